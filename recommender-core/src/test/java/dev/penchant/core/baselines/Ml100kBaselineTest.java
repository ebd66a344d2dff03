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
 * The README's reference figures on real MovieLens 100K (leave-one-out, 100 sampled negatives):
 * popularity HR@10 0.313 NDCG@10 0.164, transitions HR@10 0.457 NDCG@10 0.296, each within 0.02.
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
        assertEquals(0.313, r.metric("HR@10"), 0.02, r.toString());
        assertEquals(0.164, r.metric("NDCG@10"), 0.02, r.toString());
    }

    @Test
    void transitionMatchesReadme() {
        EvaluationResult r = test("transition", 42);
        assertEquals(0.457, r.metric("HR@10"), 0.02, r.toString());
        assertEquals(0.296, r.metric("NDCG@10"), 0.02, r.toString());
    }

    /** Averaging over five sampling seeds removes most sampling noise: a tighter check of the protocol. */
    @Test
    void fiveSeedMeansAreCloser() {
        double[] sums = new double[4];
        for (long seed = 1; seed <= 5; seed++) {
            EvaluationResult p = test("popularity", seed);
            EvaluationResult t = test("transition", seed);
            sums[0] += p.metric("HR@10") / 5;
            sums[1] += p.metric("NDCG@10") / 5;
            sums[2] += t.metric("HR@10") / 5;
            sums[3] += t.metric("NDCG@10") / 5;
        }
        assertEquals(0.313, sums[0], 0.01);
        assertEquals(0.164, sums[1], 0.01);
        assertEquals(0.457, sums[2], 0.01);
        assertEquals(0.296, sums[3], 0.01);
    }
}
