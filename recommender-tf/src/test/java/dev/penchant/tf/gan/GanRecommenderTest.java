package dev.penchant.tf.gan;

import dev.penchant.core.baselines.PopularityRecommender;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.model.TrainingStats;
import dev.penchant.tf.ExportedModel;
import dev.penchant.tf.TestData;
import dev.penchant.core.split.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GanRecommenderTest {

    static Hyperparameters hp(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("gen_hidden", "32", "dis_hidden", "16", "noise_dim", "4",
                "deterministic", "true"));
        for (String s : kv) {
            String[] p = s.split("=", 2);
            m.put(p[0], p[1]);
        }
        return new Hyperparameters(m);
    }

    static TrainingContext ctx(Dataset d, Split s, Hyperparameters hp, Evaluator ev) {
        return new TrainingContext(d, s, hp, 7, ProgressListener.NONE, ev == null ? null : ev::validationMetrics);
    }

    @Test
    void eachStepUpdatesOnlyItsOwnNetwork() {
        Dataset d = TestData.chains(60, 4, 10, 12, 1);
        Split s = TestData.leaveOneOut(d);
        Hyperparameters h = hp();
        try (GanRecommender gan = (GanRecommender) ModelCatalog.create("gan", h)) {
            gan.prepareForTest(ctx(d, s, h, null));
            assertFalse(gan.generatorVariables().isEmpty());
            assertFalse(gan.discriminatorVariables().isEmpty());
            int[] users = {0, 1, 2, 3, 4, 5, 6, 7};
            Random rng = new Random(3);

            List<float[]> g0 = read(gan, gan.generatorVariables()), d0 = read(gan, gan.discriminatorVariables());
            gan.step(true, gan.batch(s.train(), users, rng));
            List<float[]> g1 = read(gan, gan.generatorVariables()), d1 = read(gan, gan.discriminatorVariables());
            assertSame(g0, g1, "generator after a discriminator step");
            assertAllChanged(d0, d1, "discriminator after its own step");

            gan.step(false, gan.batch(s.train(), users, rng));
            List<float[]> g2 = read(gan, gan.generatorVariables()), d2 = read(gan, gan.discriminatorVariables());
            assertSame(d1, d2, "discriminator after a generator step");
            assertAllChanged(g1, g2, "generator after its own step");
        }
    }

    @Test
    void smallRunBeatsPopularityAndServesFromItsExport(@TempDir Path dir) throws Exception {
        Dataset d = TestData.chains(300, 10, 20, 25, 5);
        Split s = TestData.leaveOneOut(d);
        Evaluator ev = new Evaluator(s, d.interactions());
        Hyperparameters h = hp("gen_hidden=64", "dis_hidden=32", "epochs=40", "validate_every=2", "patience=5");
        try (GanRecommender gan = (GanRecommender) ModelCatalog.create("gan", h);
             PopularityRecommender pop = new PopularityRecommender()) {
            gan.fit(ctx(d, s, h, ev));
            pop.fit(ctx(d, s, Hyperparameters.empty(), ev));
            double g = ev.sampled("gan", gan, "test").metric("HR@10");
            double p = ev.sampled("popularity", pop, "test").metric("HR@10");
            assertTrue(g > p + 0.15, "gan HR@10 " + g + " vs popularity " + p);
            assertTrue(ev.full("gan", gan, "test").metric("NDCG@10") > ev.full("pop", pop, "test").metric("NDCG@10"));

            // trained by the shared trainer: the same statistics as every model, both steps' losses per epoch
            TrainingStats st = gan.stats();
            assertTrue(st.epochs() > 0 && st.bestEpoch() > 0 && st.examples() > 0 && st.examplesPerSecond() > 0, st.toString());
            assertTrue(gan.epochLog().get(0).keySet().containsAll(List.of("d_loss", "g_loss", "gen_pairwise_l1")));
            gan.export(dir, Map.of("HR@10", g), dev.penchant.core.preprocess.HistoryRules.none());
            // one model.json for every model: the fields the GAN's own copy lacked are there
            Map<?, ?> json = new com.fasterxml.jackson.databind.ObjectMapper().readValue(dir.resolve("model.json").toFile(), Map.class);
            for (String key : List.of("format", "model", "numUsers", "numItems", "historyLength", "variableWindow",
                    "scoreRowsPerRun", "inputs", "preprocessing", "hyperparameters", "metrics", "training", "users", "items"))
                assertTrue(json.containsKey(key), key + " in " + json.keySet());
            assertEquals(Map.of("user", false, "history", true), json.get("inputs"));
            int[] users = {0, 5, 299};
            int[][] hist = {s.train()[0], s.train()[5], new int[]{3, 4}};
            float[][] live = gan.scoreAll(users, hist);
            try (ExportedModel m = ExportedModel.open(dir)) {
                assertEquals("gan", m.modelName());
                float[][] served = m.scoreAll(users, hist);
                for (int i = 0; i < users.length; i++) assertArrayEquals(live[i], served[i], 1e-5f);
            }
        }
    }

    private static List<float[]> read(GanRecommender gan, List<Variable<TFloat32>> vars) {
        List<float[]> out = new ArrayList<>();
        for (Variable<TFloat32> v : vars) out.add(gan.read(v));
        return out;
    }

    private static void assertSame(List<float[]> a, List<float[]> b, String what) {
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), 0f, what + " (variable " + i + ")");
    }

    private static void assertAllChanged(List<float[]> a, List<float[]> b, String what) {
        for (int i = 0; i < a.size(); i++) assertFalse(Arrays.equals(a.get(i), b.get(i)), what + " (variable " + i + ")");
    }
}
