package dev.penchant.tf.sasrec;

import dev.penchant.core.baselines.PopularityRecommender;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.SyntheticSequences;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Explainer;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.din.DinRecommender;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import dev.penchant.tf.ExportedModel;
import java.nio.file.Files;
import dev.penchant.tf.ModelArtifact;
import dev.penchant.tf.SessionScorer;

import java.nio.file.Path;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SASRec on data whose next item is a function of the previous one (a random cycle through the
 * catalogue, flat-ish popularity): it must rank the next item near-perfectly where popularity cannot,
 * measured with the shared Evaluator on leave-one-out, sampled-100. Plus explain() invariants and the
 * DIN candidate path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SequenceModelsTest {
    private Dataset data;
    private Split split;
    private Evaluator evaluator;
    private SasRecRecommender sasrec;
    private Hyperparameters sasrecSettings;

    @BeforeAll
    void train() {
        data = SyntheticSequences.dataset("successor", SyntheticSequences.sequences(400, 300, 12, 20, 1.0, 7), 300);
        split = Splitter.leaveOneOut(data.interactions(), data.numItems());
        evaluator = new Evaluator(split, data.interactions());
        Hyperparameters hp = new Hyperparameters(Map.of("dim", "32", "window", "20", "epochs", "60",
                "validate_every", "5", "patience", "4", "dropout", "0.1", "deterministic", "true"));
        sasrecSettings = hp;
        sasrec = (SasRecRecommender) ModelCatalog.create("sasrec", hp);
        sasrec.fit(new TrainingContext(data, split, hp, 1L, ProgressListener.NONE, evaluator::validationMetrics));
    }

    @AfterAll
    void close() {
        if (sasrec != null) sasrec.close();
    }

    private static double testHr10(Evaluator e, Recommender r) {
        for (EvaluationResult x : e.evaluateAll(r.name(), r))
            if (x.split().equals("test") && x.protocol().equals(Evaluator.SAMPLED)) return x.metrics().get("HR@10");
        throw new AssertionError("no sampled test result");
    }

    @Test
    void sasrecLearnsTheSuccessorWherePopularityCannot() {
        double model = testHr10(evaluator, sasrec);
        double pop;
        try (PopularityRecommender p = new PopularityRecommender()) {
            p.fit(new TrainingContext(data, split, Hyperparameters.empty(), 1L, ProgressListener.NONE, null));
            pop = testHr10(evaluator, p);
        }
        System.out.printf("successor data: sasrec test HR@10 %.4f, popularity %.4f (%s)%n", model, pop, sasrec.stats());
        assertTrue(model >= 0.95, "sasrec HR@10 " + model);
        assertTrue(pop < 0.5, "popularity HR@10 " + pop);
    }

    @Test
    void sampledSoftmaxAlsoLearnsTheSuccessorAndIsChosenForLargeCatalogues() {
        Hyperparameters hp = new Hyperparameters(Map.of("dim", "32", "window", "20", "epochs", "60", "loss", "sampled",
                "negatives", "32", "validate_every", "5", "patience", "4", "dropout", "0.1", "deterministic", "true"));
        try (SasRecRecommender sampled = (SasRecRecommender) ModelCatalog.create("sasrec", hp)) {
            sampled.fit(new TrainingContext(data, split, hp, 1L, ProgressListener.NONE, evaluator::validationMetrics));
            double hr = testHr10(evaluator, sampled);
            System.out.printf("successor data: sasrec loss=sampled (32 negatives of 300) test HR@10 %.4f%n", hr);
            assertTrue(hr >= 0.9, "sampled-softmax sasrec HR@10 " + hr);
            assertEquals("sampled", hp.used().get("loss"));
        }
        // the default follows the catalogue: 300 items here, so the full softmax
        assertEquals("softmax", sasrecSettings.used().get("loss"));
    }

    @Test
    void explainGivesAttentionOverTheHistory() {
        int[] history = Arrays.copyOf(split.train()[3], 9);
        List<Explainer.Attribution> a = sasrec.explain(3, history, 0);
        assertEquals(history.length, a.size());
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(i, a.get(i).historyPosition());
            assertEquals(history[i], a.get(i).item());
            assertTrue(a.get(i).weight() >= 0 && a.get(i).weight() <= 1);
            sum += a.get(i).weight();
        }
        assertEquals(1.0, sum, 1e-4);
        // the window is the last max_length items of a long history
        int[] longHistory = split.train()[5].length > 20 ? split.train()[5] : concat(split.train()[5], split.train()[6]);
        List<Explainer.Attribution> b = sasrec.explain(5, longHistory, 0);
        assertEquals(Math.min(20, longHistory.length), b.size());
        assertEquals(longHistory.length - 1, b.get(b.size() - 1).historyPosition());
    }

    @Test
    void shortWindowScoresAsTheFullPaddedWindow(@TempDir Path dir) throws Exception {
        // variable window: a 3-item history runs in a 16-position window, a 20-item one in 20, each in a
        // run of its own; the same artifact told it has a fixed window pads both to 20 in one run
        int[] shortHistory = Arrays.copyOf(split.train()[7], 3);
        int[] longHistory = concat(split.train()[8], split.train()[9]);
        assertTrue(longHistory.length >= 20);
        int[] users = {7, 8, 9};
        int[][] hist = {shortHistory, longHistory, Arrays.copyOf(split.train()[9], 5)};
        Path variable = dir.resolve("variable"), fixed = dir.resolve("fixed");
        sasrec.export(variable, Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
        sasrec.export(fixed, Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
        Path json = fixed.resolve(ModelArtifact.MODEL_JSON);
        String meta = Files.readString(json);
        String fixedMeta = meta.replaceAll("\"variableWindow\"\\s*:\\s*true", "\"variableWindow\" : false");
        assertNotEquals(meta, fixedMeta);
        Files.writeString(json, fixedMeta);
        try (ExportedModel v = ExportedModel.open(variable); ExportedModel f = ExportedModel.open(fixed)) {
            float[][] grouped = v.scoreAll(users, hist);
            float[][] padded = f.scoreAll(users, hist);
            for (int i = 0; i < users.length; i++) {
                assertArrayEquals(padded[i], grouped[i], 1e-4f, "row " + i);
                // rows come back in the order they were given
                assertArrayEquals(v.scoreAll(new int[]{users[i]}, new int[][]{hist[i]})[0], grouped[i], 1e-5f, "alone " + i);
            }
        }
    }

    @Test
    void exportReloadsWithTheSameScores(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("sasrec");
        sasrec.export(out, Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
        int[] users = {0, 5, -1};
        int[][] hist = {split.train()[0], split.train()[5], new int[]{3, 4, 5}};
        float[][] expected = sasrec.scoreAll(users, hist);
        try (ExportedModel loaded = ExportedModel.open(out)) {
            assertEquals("sasrec", loaded.modelName());
            float[][] actual = loaded.scoreAll(users, hist);
            for (int i = 0; i < users.length; i++) assertArrayEquals(expected[i], actual[i], 1e-5f, "user row " + i);
            // the served artifact explains as the trained model does
            assertTrue(loaded.explains());
            int[] history = Arrays.copyOf(split.train()[3], 9);
            assertSameAttributions(sasrec.explain(3, history, 0), loaded.explain(3, history, 0));
            // self-attention: the scoring run returns the same window, so serving explains for free
            assertTrue(loaded.sharedAttention());
            assertTrue(loaded.explainAll(3, history, new int[0]).isEmpty(), "no items, nothing to explain");
            SessionScorer.Scored scored = loaded.scoreWithAttention(new int[]{3, 0}, new int[][]{history, split.train()[0]});
            assertArrayEquals(sasrec.scoreAll(new int[]{3}, new int[][]{history})[0], scored.scores()[0], 1e-5f);
            assertSameAttributions(sasrec.explain(3, history, 0), Explainer.fromWindow(history, scored.attention()[0]));
            assertSameAttributions(sasrec.explain(0, split.train()[0], 0), Explainer.fromWindow(split.train()[0], scored.attention()[1]));
        }
    }

    private static void assertSameAttributions(List<Explainer.Attribution> expected, List<Explainer.Attribution> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).item(), actual.get(i).item());
            assertEquals(expected.get(i).weight(), actual.get(i).weight(), 1e-5);
        }
    }

    @Test
    void dinScoresCandidatesAsItScoresAllItemsAndExplains(@TempDir Path dir) {
        Hyperparameters hp = new Hyperparameters(Map.of("dim", "16", "window", "10", "epochs", "1", "deterministic", "true"));
        try (DinRecommender din = (DinRecommender) ModelCatalog.create("din", hp)) {
            din.fit(new TrainingContext(data, split, hp, 1L, ProgressListener.NONE, null));
            int[] users = {0, 1, 2};
            int[][] hist = {split.train()[0], split.train()[1], new int[0]};
            int[][] cand = {{0, 5, 299}, {7, 8, 9}, {1, 2, 3}};
            float[][] all = din.scoreAll(users, hist);
            float[][] some = din.scoreCandidates(users, hist, cand);
            for (int u = 0; u < 3; u++) for (int j = 0; j < 3; j++) assertEquals(all[u][cand[u][j]], some[u][j], 1e-4);
            int[] history = Arrays.copyOf(split.train()[0], 6);
            List<Explainer.Attribution> a = din.explain(0, history, 5);
            assertEquals(6, a.size());
            assertEquals(1.0, a.stream().mapToDouble(Explainer.Attribution::weight).sum(), 1e-4);
            // target attention: another candidate weighs the same history differently
            List<Explainer.Attribution> other = din.explain(0, history, 200);
            assertTrue(java.util.stream.IntStream.range(0, 6).anyMatch(i -> Math.abs(a.get(i).weight() - other.get(i).weight()) > 1e-6));
            din.export(dir.resolve("din"), Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
            try (ExportedModel loaded = ExportedModel.open(dir.resolve("din"))) {
                assertTrue(loaded.explains());
                assertSameAttributions(a, loaded.explain(0, history, 5));
                assertSameAttributions(other, loaded.explain(0, history, 200));
                // served in runs of 16 users, as trained validation scores them (bounds the activation unit's memory)
                assertEquals(16, ((Number) loaded.metadata().get("scoreRowsPerRun")).intValue());
                int[] many = java.util.stream.IntStream.range(0, 20).toArray();
                int[][] manyHist = java.util.stream.IntStream.range(0, 20).mapToObj(i -> split.train()[i]).toArray(int[][]::new);
                float[][] trained = din.scoreAll(many, manyHist);
                float[][] served = loaded.scoreAll(many, manyHist);
                for (int i = 0; i < many.length; i++) assertArrayEquals(trained[i], served[i], 1e-4f, "user " + i);
                // several candidates in one run explain as one run each
                assertFalse(loaded.sharedAttention());
                List<List<Explainer.Attribution>> both = loaded.explainAll(0, history, new int[]{5, 200});
                assertSameAttributions(a, both.get(0));
                assertSameAttributions(other, both.get(1));
            }
        }
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
