package dev.penchant.cli.augment;

import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Scorer;
import dev.penchant.core.split.Split;

import java.util.ArrayList;
import java.util.List;

/**
 * Metrics by history length with the shared Evaluator, unchanged: for each bucket the split is copied
 * with the held-out items of users outside the bucket emptied (the Evaluator skips users with nothing
 * held out), so each user is scored exactly as in the whole-population evaluation (same candidates:
 * the sampled negatives depend only on seed, part and user). The bucket is the number of TRAINING
 * events in the given split (pass the un-augmented one).
 */
public final class BucketedEvaluation {
    private BucketedEvaluation() {
    }

    /** Inclusive range of training-event counts; max = Integer.MAX_VALUE for "and more". */
    public record Bucket(int min, int max) {
        public String label() {
            return max == Integer.MAX_VALUE ? min + "+" : min + "-" + max;
        }

        boolean contains(int n) {
            return n >= min && n <= max;
        }
    }

    public static final List<Bucket> DEFAULT = List.of(new Bucket(1, 5), new Bucket(6, 20), new Bucket(21, Integer.MAX_VALUE));

    /** One bucket's results: split name is "test" and the model is labelled "model[bucket]". */
    public record Row(String bucket, int users, EvaluationResult sampled, EvaluationResult full) {
    }

    /** Sampled and full metrics on split part `part` per bucket, plus "all". */
    public static List<Row> evaluate(String model, Scorer scorer, Split split, Evaluator.Options options,
                                     List<Bucket> buckets, String part) {
        List<Row> rows = new ArrayList<>();
        Evaluator all = new Evaluator(split, null, options);
        rows.add(new Row("all", count(split, part), all.sampled(model, scorer, part), all.full(model, scorer, part)));
        for (Bucket b : buckets) {
            Split sub = restrict(split, b);
            Evaluator e = new Evaluator(sub, null, options);
            int users = count(sub, part);
            if (users == 0) {
                rows.add(new Row(b.label(), 0, null, null));
                continue;
            }
            rows.add(new Row(b.label(), users, e.sampled(model, scorer, part), e.full(model, scorer, part)));
        }
        return rows;
    }

    /** The split with held-out items kept only for users whose training length is in the bucket. */
    public static Split restrict(Split split, Bucket b) {
        int n = split.numUsers();
        int[][] valid = new int[n][];
        int[][] test = new int[n][];
        for (int u = 0; u < n; u++) {
            boolean in = b.contains(split.train()[u].length);
            valid[u] = in ? split.validation()[u] : new int[0];
            test[u] = in ? split.test()[u] : new int[0];
        }
        return new Split(split.protocol(), split.train(), valid, test, split.numItems());
    }

    private static int count(Split s, String part) {
        int c = 0;
        for (int u = 0; u < s.numUsers(); u++) if ((part.equals("test") ? s.test()[u] : s.validation()[u]).length > 0) c++;
        return c;
    }
}
