package dev.penchant.cli.augment;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.gan.GanRecommender;
import dev.penchant.core.split.Split;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * GAN augmentation for sparse users, end to end, per data variant ("original" split, and "truncated":
 * {@link HistoryTruncation} applied to it): train the GAN on the variant's training data, add its top
 * items to the training histories of users with at most maxEvents training events
 * ({@link SparseUserAugmenter}), then train the downstream model twice with the same seed and
 * hyperparameters, without and with the augmentation, and evaluate both (and popularity) on the
 * variant's real histories by history-length bucket with the shared Evaluator. Validation for early
 * stopping also uses the real (un-augmented) histories.
 *
 * <p>Both downstream runs get the data set without explicit values (interactions = null): the
 * augmented sequences no longer line up with the per-position ratings, and both runs must see the same
 * inputs. This only affects point-wise heads, not the ranking.
 */
public final class AugmentationExperiment {
    private AugmentationExperiment() {
    }

    public record Options(String model, Map<String, String> modelHp, Map<String, String> ganHp, int maxEvents,
                          int perUser, double truncateFraction, int truncateMax, long seed,
                          Evaluator.Options eval, List<String> variants) {
    }

    public record VariantResult(String variant, Map<String, Object> gan, int usersAugmented, long interactionsAdded,
                                List<BucketedEvaluation.Row> popularity, List<BucketedEvaluation.Row> without,
                                List<BucketedEvaluation.Row> with) {
    }

    public static List<VariantResult> run(Dataset ds, Split split, Options o, ProgressListener progress, PrintStream log) {
        Dataset noValues = new Dataset(ds.name(), ds.users(), ds.items(), null, ds.userFeatures(), ds.itemFeatures());
        List<VariantResult> out = new ArrayList<>();
        for (String variant : o.variants()) {
            Split s = switch (variant) {
                case "original" -> split;
                case "truncated" -> HistoryTruncation.truncate(split, o.truncateFraction(), o.truncateMax(), o.seed());
                default -> throw new IllegalArgumentException("variant must be original or truncated: " + variant);
            };
            Evaluator ev = new Evaluator(s, null, o.eval());
            List<BucketedEvaluation.Row> pop;
            try (Recommender p = ModelCatalog.create("popularity", Hyperparameters.empty())) {
                p.fit(new TrainingContext(noValues, s, Hyperparameters.empty(), o.seed(), ProgressListener.NONE, ev::validationMetrics));
                pop = BucketedEvaluation.evaluate("popularity", p, s, o.eval(), BucketedEvaluation.DEFAULT, "test");
            }
            Map<String, Object> ganInfo = new LinkedHashMap<>();
            SparseUserAugmenter.Result aug;
            Hyperparameters ganHp = new Hyperparameters(o.ganHp());
            log.printf(Locale.ROOT, "[%s] training gan ...%n", variant);
            try (GanRecommender gan = (GanRecommender) ModelCatalog.create("gan", ganHp)) {
                gan.fit(new TrainingContext(noValues, s, ganHp, o.seed(), progress, ev::validationMetrics));
                ganInfo.put("stats", gan.stats());
                ganInfo.put("test", BucketedEvaluation.evaluate("gan", gan, s, o.eval(), BucketedEvaluation.DEFAULT, "test"));
                ganInfo.put("hyperparameters", ganHp.used());
                aug = SparseUserAugmenter.augment(gan, s, o.maxEvents(), o.perUser());
            }
            log.printf(Locale.ROOT, "[%s] augmented %d users with %d interactions%n", variant, aug.usersAugmented(), aug.interactionsAdded());
            List<BucketedEvaluation.Row> without = trainAndEvaluate(o, noValues, s, s, ev, progress, log, variant + " without");
            List<BucketedEvaluation.Row> with = trainAndEvaluate(o, noValues, aug.split(), s, ev, progress, log, variant + " with");
            out.add(new VariantResult(variant, ganInfo, aug.usersAugmented(), aug.interactionsAdded(), pop, without, with));
        }
        return out;
    }

    private static List<BucketedEvaluation.Row> trainAndEvaluate(Options o, Dataset ds, Split trainOn, Split evalOn,
                                                                 Evaluator ev, ProgressListener progress,
                                                                 PrintStream log, String label) {
        Hyperparameters hp = new Hyperparameters(o.modelHp());
        log.printf(Locale.ROOT, "[%s] training %s ...%n", label, o.model());
        try (Recommender r = ModelCatalog.create(o.model(), hp)) {
            r.fit(new TrainingContext(ds, trainOn, hp, o.seed(), progress, ev::validationMetrics));
            return BucketedEvaluation.evaluate(o.model(), r, evalOn, o.eval(), BucketedEvaluation.DEFAULT, "test");
        }
    }

    /** A plain-text table: per variant and bucket, HR@10 / NDCG@10 (sampled) and Recall@10 / NDCG@10 (full). */
    public static void print(List<VariantResult> results, String model, PrintStream out) {
        for (VariantResult v : results) {
            out.printf(Locale.ROOT, "variant %s: %d users augmented, %d interactions added (test split)%n",
                    v.variant(), v.usersAugmented(), v.interactionsAdded());
            out.printf(Locale.ROOT, "%-8s %5s | %-24s | %-24s | %-24s | %-24s%n", "bucket", "users",
                    "sampled HR@10 pop/-/+aug", "sampled NDCG@10 -/+aug", "full Recall@10 pop/-/+", "full NDCG@10 -/+aug");
            for (int i = 0; i < v.without().size(); i++) {
                BucketedEvaluation.Row p = v.popularity().get(i), a = v.without().get(i), b = v.with().get(i);
                if (a.sampled() == null) {
                    out.printf(Locale.ROOT, "%-8s %5d | (no users)%n", a.bucket(), 0);
                    continue;
                }
                out.printf(Locale.ROOT, "%-8s %5d | %.4f %.4f %.4f   | %.4f %.4f            | %.4f %.4f %.4f   | %.4f %.4f%n",
                        a.bucket(), a.users(), p.sampled().metric("HR@10"), a.sampled().metric("HR@10"), b.sampled().metric("HR@10"),
                        a.sampled().metric("NDCG@10"), b.sampled().metric("NDCG@10"),
                        p.full().metric("Recall@10"), a.full().metric("Recall@10"), b.full().metric("Recall@10"),
                        a.full().metric("NDCG@10"), b.full().metric("NDCG@10"));
            }
            out.println();
        }
    }
}
