package dev.penchant.tf;

import dev.penchant.core.model.TrainingStats;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.dnn.DnnRecommender;
import dev.penchant.core.split.Split;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real (small) training runs of the TF models on a generated sequential data set. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelTrainingTest {
    private static final Map<String, String> SMALL_DNN = Map.of("dim", "32", "hidden", "64", "negatives", "64",
            "window", "10", "epochs", "40", "patience", "3", "threads", "2");

    private Dataset data;
    private Split split;
    private Recommender dnn;
    private Map<String, Double> popularity;
    private final java.util.List<Double> dnnEpochLosses = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    void train() {
        data = TestData.chains(300, 10, 40, 20, 1);
        split = TestData.leaveOneOut(data);
        popularity = MiniEval.evaluate(MiniEval.popularity(split), split, false, 0, 3);
        dnn = ModelCatalog.create("dnn", new Hyperparameters(SMALL_DNN));
        dnn.fit(new TrainingContext(data, split, new Hyperparameters(SMALL_DNN), 42, new ProgressListener() {
            @Override
            public void epochEnd(int epoch, double loss, Map<String, Double> validationMetrics) {
                dnnEpochLosses.add(loss);
            }
        }, s -> MiniEval.evaluate(s, split, true, 0, 5)));
    }

    @Test
    void everyEpochReportsAFiniteLossWithPointwiseHeads() {
        // the console draws this curve; the data carry values, so the heads' losses are part of it
        assertFalse(dnnEpochLosses.isEmpty());
        for (double loss : dnnEpochLosses) assertTrue(Double.isFinite(loss) && loss > 0, "epoch losses " + dnnEpochLosses);
    }

    @AfterAll
    void close() {
        if (dnn != null) dnn.close();
    }

    private TrainingContext context(Map<String, String> hp, long seed) {
        return new TrainingContext(data, split, new Hyperparameters(hp), seed, ProgressListener.NONE,
                s -> MiniEval.evaluate(s, split, true, 0, 5));
    }

    @Test
    void dnnLearnsSequencesWellAbovePopularity() {
        Map<String, Double> m = MiniEval.evaluate(dnn, split, false, 0, 3);
        TrainingStats stats = ((TfRecommender) dnn).stats();
        assertTrue(stats.bestEpoch() >= 1 && stats.examplesPerSecond() > 0);
        assertEquals(stats.device().equals("gpu") ? "gpu" : "cpu", stats.device());
        System.out.println("dnn test " + m + " popularity " + popularity + " " + stats);
        assertTrue(m.get("HR@10") > popularity.get("HR@10") + 0.4, "dnn " + m + " vs popularity " + popularity);
        // the point-wise heads separate the liked (5) from the random (2) interactions
        int[] users = {0, 1, 2, 3};
        int[][] hist = {split.train()[0], split.train()[1], split.train()[2], split.train()[3]};
        int[] items = {split.validation()[0][0], split.validation()[1][0], split.validation()[2][0], split.validation()[3][0]};
        float[] like = ((DnnRecommender) dnn).predictLike(users, hist, items);
        float[] rating = ((DnnRecommender) dnn).predictRating(users, hist, items);
        for (int i = 0; i < 4; i++) {
            assertTrue(like[i] >= 0 && like[i] <= 1);
            assertTrue(rating[i] > 0 && rating[i] < 7, "rating on the data's scale: " + rating[i]);
        }
    }

    @Test
    void exportReloadsWithIdenticalScores(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("dnn");
        ((Exportable) dnn).export(out, Map.of("HR@10", 0.5), dev.penchant.core.preprocess.HistoryRules.none());
        assertTrue(Files.exists(out.resolve("saved_model.pb")));
        assertTrue(Files.exists(out.resolve("model.json")));
        int[] users = {0, 5, 17, 299, -1};
        int[][] hist = {split.train()[0], split.train()[5], new int[0], split.train()[299], new int[]{3, 4, 5}};
        float[][] expected = dnn.scoreAll(users, hist);
        try (ExportedModel loaded = ExportedModel.open(out)) {
            assertEquals("dnn", loaded.modelName());
            assertEquals(data.numItems(), loaded.numItems());
            assertEquals(data.items().ids(), loaded.items().ids());
            assertTrue(loaded.hasPointwise());
            float[][] emb = loaded.itemEmbeddings();
            assertEquals(data.numItems(), emb.length);
            assertEquals(32, emb[0].length);
            float[][] actual = loaded.scoreAll(users, hist);
            for (int i = 0; i < users.length; i++) assertArrayEquals(expected[i], actual[i], "user row " + i);
            int[] items = {1, 2, 3, 4, 5};
            assertArrayEquals(((DnnRecommender) dnn).predictLike(users, hist, items), loaded.predictLike(users, hist, items));
            assertArrayEquals(((DnnRecommender) dnn).predictRating(users, hist, items), loaded.predictRating(users, hist, items));
            assertTrue(((Map<?, ?>) loaded.metadata().get("hyperparameters")).containsKey("dim"));
            assertEquals(0.5, ((Map<?, ?>) loaded.metadata().get("metrics")).get("HR@10"));
        }
    }

    @Test
    void sameSeedSameWeightsOnCpu() {
        Map<String, String> hp = new java.util.HashMap<>(SMALL_DNN);
        hp.put("epochs", "2");
        hp.put("deterministic", "true");
        float[][] a = scoresAfterTraining(hp, 9), b = scoresAfterTraining(hp, 9), c = scoresAfterTraining(hp, 10);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], "same seed, row " + i);
        assertFalse(java.util.Arrays.equals(a[0], c[0]), "another seed trains differently");
    }

    private float[][] scoresAfterTraining(Map<String, String> hp, long seed) {
        try (Recommender r = ModelCatalog.create("dnn", new Hyperparameters(hp))) {
            r.fit(new TrainingContext(data, split, new Hyperparameters(hp), seed, ProgressListener.NONE, null));
            return r.scoreAll(new int[]{0, 1, 2}, new int[][]{split.train()[0], split.train()[1], split.train()[2]});
        }
    }

    @Test
    void neumfLearnsAbovePopularity(@TempDir Path dir) {
        Map<String, String> hp = Map.of("factors", "16", "layers", "32,16,8", "epochs", "20", "patience", "3", "batch_size", "128");
        try (Recommender r = ModelCatalog.create("neumf", new Hyperparameters(hp))) {
            r.fit(context(hp, 42));
            Map<String, Double> m = MiniEval.evaluate(r, split, false, 0, 3);
            System.out.println("neumf test " + m + " popularity " + popularity);
            assertTrue(m.get("HR@10") > popularity.get("HR@10") + 0.1, "neumf " + m + " vs popularity " + popularity);
            // NeuMF reads the user, never the history: an unknown user is not personalised, whatever the history
            ((Exportable) r).export(dir.resolve("neumf"), Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
            try (ExportedModel loaded = ExportedModel.open(dir.resolve("neumf"))) {
                dev.penchant.core.preprocess.HistoryEncoder.Encoded known = loaded.historyEncoder(null)
                        .encodeItems(List.of(data.items().idOf(1), data.items().idOf(2)));
                assertFalse(loaded.usesHistory());
                assertFalse(loaded.canPersonalise(-1, known));
                assertTrue(loaded.canPersonalise(0, dev.penchant.core.preprocess.HistoryEncoder.Encoded.EMPTY));
            }
        }
    }

    @Test
    void earlyStoppingIgnoresGainsBelowMinDeltaButKeepsTheBestWeights() {
        // a validation metric that creeps up by 0.01% an epoch: every epoch is a new best, none is a real gain
        Map<String, String> hp = new java.util.HashMap<>(SMALL_DNN);
        hp.putAll(Map.of("epochs", "12", "patience", "3", "validate_every", "1"));
        for (String minDelta : new String[]{"0.001", "0"}) {
            hp.put("min_delta", minDelta);
            int[] calls = {0};
            TrainingContext ctx = new TrainingContext(data, split, new Hyperparameters(hp), 42, ProgressListener.NONE,
                    r -> Map.of("NDCG@10", 0.5 + 0.00005 * ++calls[0]));
            try (Recommender r = ModelCatalog.create("dnn", new Hyperparameters(hp))) {
                r.fit(ctx);
                TrainingStats stats = ((TfRecommender) r).stats();
                if (minDelta.equals("0")) {
                    assertEquals(12, stats.epochs(), "every tiny gain resets patience");
                } else {
                    assertEquals(4, stats.epochs(), "the first validation, then patience 3 without a 0.1% gain");
                }
                assertEquals(stats.epochs(), stats.bestEpoch(), "the latest (best) weights are kept");
            }
        }
    }
}
