package dev.penchant.core.baselines;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The data set README's corrected reference figures on real MovieLens 100K (leave-one-out with
 * same-second events in file order, 100 sampled negatives): popularity HR@10 0.404 NDCG@10 0.222,
 * transitions HR@10 0.508 NDCG@10 0.321, sequence-aware item kNN HR@10 0.662 NDCG@10 0.413, each
 * within 0.02.
 * Skipped (with a message) only when the shared data directory is absent.
 */
class Ml100kBaselineTest {
    static Dataset ds;
    static Split split;

    /** ../shared/data/ml-100k beside the repository root (CI layout), else /work/shared/data/ml-100k. */
    static Path dataDir() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        if (p != null && p.getParent() != null) {
            Path beside = p.getParent().resolve("shared/data/ml-100k");
            if (Files.exists(beside.resolve("ml-100k.inter"))) return beside;
        }
        Path fixed = Path.of("/work/shared/data/ml-100k");
        return Files.exists(fixed.resolve("ml-100k.inter")) ? fixed : null;
    }

    @BeforeAll
    static void load() {
        Path dir = dataDir();
        assumeTrue(dir != null, "ML-100K not found at <repo>/../shared/data/ml-100k or /work/shared/data/ml-100k; skipping");
        ds = Preprocessor.build(DataFormats.open(dir, "movielens-atomic", Map.of())).dataset();
        split = Splitter.leaveOneOut(ds.interactions(), ds.numItems());
    }

    private static EvaluationResult test(String model, long seed) {
        try (Recommender r = ModelCatalog.create(model, Hyperparameters.empty())) {
            r.fit(new TrainingContext(ds, split, Hyperparameters.empty(), seed, ProgressListener.NONE, s -> Map.of()));
            return new Evaluator(split, ds.interactions(), Evaluator.Options.defaults().withSeed(seed)).sampled(model, r, "test");
        }
    }

    @Test
    void datasetShape() {
        assertEquals(943, ds.numUsers());
        assertEquals(1682, ds.numItems());
        assertEquals(100_000L, ds.interactions().size());
    }

    @Test
    void popularityMatchesReadme() {
        EvaluationResult r = test("popularity", 42);
        assertEquals(943.0, r.metric("users"));
        assertEquals(0.404, r.metric("HR@10"), 0.02, r.toString());
        assertEquals(0.222, r.metric("NDCG@10"), 0.02, r.toString());
    }

    @Test
    void transitionMatchesReadme() {
        EvaluationResult r = test("transition", 42);
        assertEquals(0.508, r.metric("HR@10"), 0.02, r.toString());
        assertEquals(0.321, r.metric("NDCG@10"), 0.02, r.toString());
    }

    @Test
    void seqKnnMatchesReadme() {
        EvaluationResult r = test("seqknn", 42);
        assertEquals(0.662, r.metric("HR@10"), 0.02, r.toString());
        assertEquals(0.413, r.metric("NDCG@10"), 0.02, r.toString());
    }

    /**
     * The README averages four sampling seeds, which removes most sampling noise: a tighter check of
     * the protocol. Ordering same-second events by item id instead of file order fails it by far
     * (popularity drops to about 0.31, transitions to about 0.46).
     */
    @Test
    void fourSeedMeansAreCloser() {
        String[] models = {"popularity", "transition", "seqknn"};
        double[][] reference = {{0.404, 0.222}, {0.508, 0.321}, {0.662, 0.413}};
        for (int m = 0; m < models.length; m++) {
            double hr = 0;
            double ndcg = 0;
            for (long seed = 1; seed <= 4; seed++) {
                EvaluationResult r = test(models[m], seed);
                hr += r.metric("HR@10") / 4;
                ndcg += r.metric("NDCG@10") / 4;
            }
            assertEquals(reference[m][0], hr, 0.01, models[m] + " HR@10");
            assertEquals(reference[m][1], ndcg, 0.01, models[m] + " NDCG@10");
        }
    }
}
