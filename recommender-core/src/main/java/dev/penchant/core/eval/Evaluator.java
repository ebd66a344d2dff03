package dev.penchant.core.eval;

import dev.penchant.core.data.Interactions;
import dev.penchant.core.model.PointwisePredictor;
import dev.penchant.core.model.Scorer;
import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;
import dev.penchant.core.split.Split;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * The one evaluation code path for every model, baselines included.
 *
 * <p>History: for the validation split a user's history is train[u]; for the test split it is
 * train[u] followed by validation[u] (as SASRec feeds train + valid when testing).
 *
 * <p>Sampled protocol ("sampled-100", as SASRec / NCF): per user with a held-out item, the candidates
 * are the first held-out item plus {@code negatives} distinct items drawn uniformly from the items
 * that are neither in the user's history nor the held-out item; the seed is fixed and each user's
 * draw depends only on (seed, split, user), so results do not depend on batching or threads.
 * Reports HR@K, NDCG@K (K = 5, 10, 20) and MRR. Ties are pessimistic (see {@link Metrics}).
 *
 * <p>Full protocol ("full"): every item except the user's history items is ranked; the relevant set
 * is the user's held-out items that are not in the history (users left with none are skipped).
 * Reports Recall@K, Precision@K, NDCG@K, MRR and catalogue Coverage@K (distinct items over all top-K
 * lists / numItems; top-K lists break score ties by lower item index).
 *
 * <p>Point-wise ("pointwise"), only for models implementing {@link PointwisePredictor}: on held-out
 * interactions that carry a value, like = value >= likeThreshold; accuracy, precision, recall, F1
 * (predicted like = probability >= 0.5), AUC, and MAE / MSE / RMSE of the predicted rating.
 *
 * <p>Sampled and full results carry each evaluated user's values ({@link EvaluationResult.PerUser});
 * the reported metrics are their means, so intervals and paired comparisons over users read the very
 * numbers the report averages.
 *
 * <p>Users are scored in batches through the {@link Scorer}; instances hold no mutable state, so
 * one evaluator may serve several threads.
 */
public final class Evaluator {
    public static final String SAMPLED = "sampled-100";
    public static final String FULL = "full";
    public static final String POINTWISE = "pointwise";

    /**
     * @param negatives    negatives per user in the sampled protocol
     * @param ks           cut-offs
     * @param seed         seed of the negative sampling
     * @param batchSize    users per scoring call
     * @param threads      batches evaluated in parallel (1 = in the calling thread)
     * @param likeThreshold value at or above which a held-out interaction counts as liked
     */
    public record Options(int negatives, int[] ks, long seed, int batchSize, int threads, double likeThreshold) {
        public static Options defaults() {
            return fromMap(java.util.Map.of(), 42L);
        }

        public Options withSeed(long s) {
            return new Options(negatives, ks, s, batchSize, threads, likeThreshold);
        }

        public Options withThreads(int t) {
            return new Options(negatives, ks, seed, batchSize, t, likeThreshold);
        }

        /** The "eval.*" declarations. */
        public static final ParamGroup PARAMETERS = new ParamGroup("eval.", "the evaluation", List.of(
                Param.integer("negatives", 100, 1, 1_000_000, "sampled protocol: negatives per user"),
                Param.integer("batchSize", 256, 1, 1_000_000, "users per scoring call"),
                Param.integer("threads", 1, 1, 1024, "batches evaluated in parallel"),
                Param.anyNumber("likeThreshold", 4.0, "point-wise protocol: value at or above which a held-out interaction counts as liked")));

        /** From "eval.*" settings (prefix removed): negatives, batchSize, threads, likeThreshold. */
        public static Options fromMap(java.util.Map<String, String> m, long seed) {
            java.util.Map<String, Object> v = PARAMETERS.values(m);
            return new Options((Integer) v.get("negatives"), new int[]{5, 10, 20}, seed, (Integer) v.get("batchSize"),
                    (Integer) v.get("threads"), (Double) v.get("likeThreshold"));
        }
    }

    private final Split split;
    private final Interactions interactions;
    private final Options options;

    /** @param interactions the full interactions the split came from (for held-out values); may be null */
    public Evaluator(Split split, Interactions interactions, Options options) {
        this.split = split;
        this.interactions = interactions;
        this.options = options;
    }

    public Evaluator(Split split, Interactions interactions) {
        this(split, interactions, Options.defaults());
    }

    public Options options() {
        return options;
    }

    /** Human-readable protocol description for reports. */
    public String describe() {
        return "split=" + split.protocol() + "; history for validation = train, for test = train + validation; "
                + SAMPLED.replace("100", String.valueOf(options.negatives())) + ": first held-out item + "
                + options.negatives() + " distinct negatives uniform over items outside history and target (seed "
                + options.seed() + "), HR/NDCG@" + Arrays.toString(options.ks()) + ", MRR; full: all items except "
                + "history ranked, relevant = held-out items not in history, Recall/Precision/NDCG/Coverage@K, MRR; "
                + "ties pessimistic (target ranked below equal scores)";
    }

    /** The sampled protocol's metrics on the validation split: what early stopping sees. */
    public Map<String, Double> validationMetrics(Scorer scorer) {
        return sampled("model", scorer, "validation").metrics();
    }

    /** Both protocols on both splits, plus point-wise metrics when the scorer predicts them. */
    public List<EvaluationResult> evaluateAll(String model, Scorer scorer) {
        List<EvaluationResult> out = new ArrayList<>();
        for (String part : List.of("validation", "test")) {
            out.add(sampled(model, scorer, part));
            out.add(full(model, scorer, part));
            if (scorer instanceof PointwisePredictor p) {
                EvaluationResult r = pointwise(model, p, part);
                if (r != null) out.add(r);
            }
        }
        return out;
    }

    // ---- cases ----

    private int[] held(String part, int u) {
        return switch (part) {
            case "validation" -> split.validation()[u];
            case "test" -> split.test()[u];
            default -> throw new IllegalArgumentException("split part must be validation or test: " + part);
        };
    }

    private int[] history(String part, int u) {
        if (part.equals("validation")) return split.train()[u];
        int[] t = split.train()[u];
        int[] v = split.validation()[u];
        int[] h = Arrays.copyOf(t, t.length + v.length);
        System.arraycopy(v, 0, h, t.length, v.length);
        return h;
    }

    private int[] usersWithHeldOut(String part) {
        return IntStream.range(0, split.numUsers()).filter(u -> held(part, u).length > 0).toArray();
    }

    /** Runs body over batch indices, in parallel when configured; callers write into per-user slots. */
    private void forBatches(int batches, IntConsumer body) {
        if (options.threads() <= 1 || batches <= 1) {
            for (int b = 0; b < batches; b++) body.accept(b);
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(options.threads());
        try {
            pool.submit(() -> IntStream.range(0, batches).parallel().forEach(body)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    // ---- sampled ----

    /** The candidates of one user: target first, then the negatives. Exposed for tests and debugging. */
    public int[] sampledCandidates(String part, int u) {
        int target = held(part, u)[0];
        int[] hist = history(part, u);
        int numItems = split.numItems();
        BitSet excluded = new BitSet(numItems);
        for (int i : hist) if (i >= 0 && i < numItems) excluded.set(i);
        excluded.set(target);
        int available = numItems - excluded.cardinality();
        int k = Math.min(options.negatives(), available);
        int[] cand = new int[k + 1];
        cand[0] = target;
        SplittableRandom rnd = new SplittableRandom(mix(options.seed(), part.equals("test") ? 2 : 1, u));
        if (available <= 2 * k) {
            // few candidates left: partial Fisher-Yates over the explicit pool
            int[] pool = new int[available];
            int p = 0;
            for (int i = excluded.nextClearBit(0); i < numItems; i = excluded.nextClearBit(i + 1)) pool[p++] = i;
            for (int j = 0; j < k; j++) {
                int r = j + rnd.nextInt(available - j);
                int tmp = pool[j];
                pool[j] = pool[r];
                pool[r] = tmp;
                cand[j + 1] = pool[j];
            }
        } else {
            BitSet drawn = new BitSet(numItems);
            int j = 1;
            while (j <= k) {
                int i = rnd.nextInt(numItems);
                if (excluded.get(i) || drawn.get(i)) continue;
                drawn.set(i);
                cand[j++] = i;
            }
        }
        return cand;
    }

    private static long mix(long seed, int part, int user) {
        long z = seed * 0x9E3779B97F4A7C15L + part * 0xBF58476D1CE4E5B9L + user * 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public EvaluationResult sampled(String model, Scorer scorer, String part) {
        int[] users = usersWithHeldOut(part);
        int[] ranks = new int[users.length];
        int bs = options.batchSize();
        int batches = (users.length + bs - 1) / bs;
        forBatches(batches, b -> {
            int from = b * bs;
            int n = Math.min(bs, users.length - from);
            int[] us = new int[n];
            int[][] hs = new int[n][];
            int[][] cs = new int[n][];
            for (int i = 0; i < n; i++) {
                us[i] = users[from + i];
                hs[i] = history(part, us[i]);
                cs[i] = sampledCandidates(part, us[i]);
            }
            float[][] scores = scorer.scoreCandidates(us, hs, cs);
            for (int i = 0; i < n; i++) {
                float[] s = scores[i];
                ranks[from + i] = Metrics.pessimisticRank(s[0], Arrays.copyOfRange(s, 1, s.length));
            }
        });
        // per-user values first; every reported mean is the mean of these
        Map<String, double[]> per = new LinkedHashMap<>();
        for (int k : options.ks()) per.put("HR@" + k, perUser(ranks, r -> Metrics.hit(r, k)));
        for (int k : options.ks()) per.put("NDCG@" + k, perUser(ranks, r -> Metrics.ndcgSingle(r, k)));
        per.put("MRR", perUser(ranks, Metrics::reciprocalRank));
        Map<String, Double> m = new LinkedHashMap<>();
        per.forEach((name, v) -> m.put(name, mean(v)));
        m.put("users", (double) ranks.length);
        return new EvaluationResult(model, SAMPLED.replace("100", String.valueOf(options.negatives())), part, m,
                new EvaluationResult.PerUser(users, per));
    }

    private static double[] perUser(int[] ranks, java.util.function.IntToDoubleFunction metric) {
        double[] v = new double[ranks.length];
        for (int i = 0; i < ranks.length; i++) v[i] = metric.applyAsDouble(ranks[i]);
        return v;
    }

    // ---- full ranking ----

    public EvaluationResult full(String model, Scorer scorer, String part) {
        int[] users = usersWithHeldOut(part);
        int numItems = split.numItems();
        int[] ks = options.ks();
        int maxK = Arrays.stream(ks).max().orElse(10);
        int[][] relRanks = new int[users.length][];
        int[][] tops = new int[users.length][];
        int bs = options.batchSize();
        int batches = (users.length + bs - 1) / bs;
        forBatches(batches, b -> {
            int from = b * bs;
            int n = Math.min(bs, users.length - from);
            int[] us = new int[n];
            int[][] hs = new int[n][];
            for (int i = 0; i < n; i++) {
                us[i] = users[from + i];
                hs[i] = history(part, us[i]);
            }
            float[][] scores = scorer.scoreAll(us, hs);
            for (int i = 0; i < n; i++) {
                float[] s = scores[i];
                BitSet excluded = new BitSet(numItems);
                for (int h : hs[i]) if (h >= 0 && h < numItems) excluded.set(h);
                int[] rel = Arrays.stream(held(part, us[i])).filter(x -> !excluded.get(x)).distinct().toArray();
                if (rel.length == 0) continue;
                relRanks[from + i] = fullRanks(s, excluded, rel);
                tops[from + i] = topK(s, excluded, maxK);
            }
        });
        int evaluated = 0;
        for (int[] r : relRanks) if (r != null) evaluated++;
        int[] evaluatedUsers = new int[evaluated];
        int[][] ranked = new int[evaluated][];
        int[][] evaluatedTops = new int[evaluated][];
        for (int i = 0, e = 0; i < users.length; i++) {
            if (relRanks[i] == null) continue;
            evaluatedUsers[e] = users[i];
            evaluatedTops[e] = tops[i];
            ranked[e++] = relRanks[i];
        }
        // per-user values first; every reported mean is the mean of these
        Map<String, double[]> per = new LinkedHashMap<>();
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k : ks) {
            double[] rec = new double[evaluated];
            double[] prec = new double[evaluated];
            double[] nd = new double[evaluated];
            BitSet covered = new BitSet(numItems);
            for (int i = 0; i < evaluated; i++) {
                rec[i] = Metrics.recall(ranked[i], k);
                prec[i] = Metrics.precision(ranked[i], k);
                nd[i] = Metrics.ndcg(ranked[i], k);
                for (int j = 0; j < Math.min(k, evaluatedTops[i].length); j++) covered.set(evaluatedTops[i][j]);
            }
            per.put("Recall@" + k, rec);
            per.put("Precision@" + k, prec);
            per.put("NDCG@" + k, nd);
            m.put("Recall@" + k, mean(rec));
            m.put("Precision@" + k, mean(prec));
            m.put("NDCG@" + k, mean(nd));
            m.put("Coverage@" + k, numItems == 0 ? 0 : (double) covered.cardinality() / numItems);
        }
        double[] mrr = new double[evaluated];
        for (int i = 0; i < evaluated; i++) mrr[i] = Metrics.reciprocalRank(ranked[i]);
        per.put("MRR", mrr);
        m.put("MRR", mean(mrr));
        m.put("users", (double) evaluated);
        return new EvaluationResult(model, FULL, part, m, new EvaluationResult.PerUser(evaluatedUsers, per));
    }

    /**
     * 0-based ranks of the relevant items among all non-excluded items: a relevant item is placed
     * below every non-relevant item with an equal or higher score (pessimistic) and below relevant
     * items with a higher score (equal relevant scores: lower index first).
     */
    static int[] fullRanks(float[] scores, BitSet excluded, int[] rel) {
        BitSet relSet = new BitSet(scores.length);
        for (int r : rel) relSet.set(r);
        float[] others = new float[scores.length];
        int n = 0;
        for (int j = 0; j < scores.length; j++)
            if (!excluded.get(j) && !relSet.get(j)) others[n++] = Float.isNaN(scores[j]) ? Float.NEGATIVE_INFINITY : scores[j];
        float[] sorted = Arrays.copyOf(others, n);
        Arrays.sort(sorted);
        int[] ranks = new int[rel.length];
        for (int a = 0; a < rel.length; a++) {
            float s = scores[rel[a]];
            int above;
            if (Float.isNaN(s)) {
                above = n;
            } else {
                // count of others >= s: n - (first index with value >= s)
                int lo = 0;
                int hi = n;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (sorted[mid] < s) lo = mid + 1;
                    else hi = mid;
                }
                above = n - lo;
            }
            int relAbove = 0;
            for (int c = 0; c < rel.length; c++) {
                if (c == a) continue;
                float o = scores[rel[c]];
                if (Float.isNaN(o)) continue;
                if (Float.isNaN(s) || o > s || (o == s && rel[c] < rel[a])) relAbove++;
            }
            ranks[a] = above + relAbove;
        }
        return ranks;
    }

    /** Top k non-excluded items, best first; equal scores by lower item index. */
    static int[] topK(float[] scores, BitSet excluded, int k) {
        // min-heap over (score, -index) of size k
        int[] heap = new int[k];
        int size = 0;
        for (int j = 0; j < scores.length; j++) {
            if (excluded.get(j) || Float.isNaN(scores[j])) continue;
            if (size < k) {
                heap[size] = j;
                siftUp(heap, size++, scores);
            } else if (better(j, heap[0], scores)) {
                heap[0] = j;
                siftDown(heap, size, scores);
            }
        }
        int[] out = Arrays.copyOf(heap, size);
        Integer[] boxed = Arrays.stream(out).boxed().toArray(Integer[]::new);
        Arrays.sort(boxed, (a, b) -> better(a, b, scores) ? -1 : (better(b, a, scores) ? 1 : 0));
        for (int i = 0; i < size; i++) out[i] = boxed[i];
        return out;
    }

    private static boolean better(int a, int b, float[] s) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }

    private static void siftUp(int[] h, int i, float[] s) {
        while (i > 0) {
            int p = (i - 1) / 2;
            if (better(h[p], h[i], s)) {
                int t = h[p];
                h[p] = h[i];
                h[i] = t;
                i = p;
            } else return;
        }
    }

    private static void siftDown(int[] h, int size, float[] s) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int r = l + 1;
            int worst = i;
            if (l < size && better(h[worst], h[l], s)) worst = l;
            if (r < size && better(h[worst], h[r], s)) worst = r;
            if (worst == i) return;
            int t = h[i];
            h[i] = h[worst];
            h[worst] = t;
            i = worst;
        }
    }

    // ---- point-wise ----

    /** Point-wise metrics on held-out interactions with a value; null when there are none. */
    public EvaluationResult pointwise(String model, PointwisePredictor predictor, String part) {
        if (interactions == null) return null;
        List<int[]> pairs = new ArrayList<>(); // {user, item, offset}
        List<Float> values = new ArrayList<>();
        for (int u = 0; u < split.numUsers(); u++) {
            int[] held = held(part, u);
            int offset = split.train()[u].length + (part.equals("test") ? split.validation()[u].length : 0);
            int[] seq = interactions.items()[u];
            float[] vals = interactions.values()[u];
            for (int k = 0; k < held.length; k++) {
                int pos = offset + k;
                // the held-out items are the suffix of the user's sequence; skip if that does not hold
                if (pos >= seq.length || seq[pos] != held[k] || Float.isNaN(vals[pos])) continue;
                pairs.add(new int[]{u, held[k]});
                values.add(vals[pos]);
            }
        }
        int n = pairs.size();
        if (n == 0) return null;
        float[] like = new float[n];
        float[] rating = new float[n];
        int bs = options.batchSize();
        for (int from = 0; from < n; from += bs) {
            int m = Math.min(bs, n - from);
            int[] us = new int[m];
            int[] its = new int[m];
            int[][] hs = new int[m][];
            for (int i = 0; i < m; i++) {
                us[i] = pairs.get(from + i)[0];
                its[i] = pairs.get(from + i)[1];
                hs[i] = history(part, us[i]);
            }
            System.arraycopy(predictor.predictLike(us, hs, its), 0, like, from, m);
            System.arraycopy(predictor.predictRating(us, hs, its), 0, rating, from, m);
        }
        boolean[] labels = new boolean[n];
        float[] truth = new float[n];
        for (int i = 0; i < n; i++) {
            truth[i] = values.get(i);
            labels[i] = truth[i] >= options.likeThreshold();
        }
        Map<String, Double> m = pointwiseMetrics(labels, like, truth, rating);
        return new EvaluationResult(model, POINTWISE, part, m);
    }

    /** Classification at probability 0.5 plus AUC, and rating errors. */
    public static Map<String, Double> pointwiseMetrics(boolean[] labels, float[] like, float[] truth, float[] rating) {
        int n = labels.length;
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        double ae = 0;
        double se = 0;
        for (int i = 0; i < n; i++) {
            boolean pred = like[i] >= 0.5f;
            if (pred && labels[i]) tp++;
            else if (pred) fp++;
            else if (labels[i]) fn++;
            else tn++;
            double err = rating[i] - truth[i];
            ae += Math.abs(err);
            se += err * err;
        }
        double precision = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        double recall = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("accuracy", n == 0 ? 0 : (double) (tp + tn) / n);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("F1", precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
        m.put("AUC", Metrics.auc(labels, like));
        m.put("MAE", n == 0 ? 0 : ae / n);
        m.put("MSE", n == 0 ? 0 : se / n);
        m.put("RMSE", n == 0 ? 0 : Math.sqrt(se / n));
        m.put("pairs", (double) n);
        return m;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) sum += v;
        return values.length == 0 ? 0 : sum / values.length;
    }
}
