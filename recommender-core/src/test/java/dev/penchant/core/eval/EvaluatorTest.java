package dev.penchant.core.eval;

import dev.penchant.core.data.Interactions;
import dev.penchant.core.model.PointwisePredictor;
import dev.penchant.core.model.Scorer;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {
    private static final double EPS = 1e-9;

    /** Scores item i as i (higher index = better) for everyone. */
    static final Scorer BY_INDEX = (users, histories) -> {
        float[][] out = new float[users.length][];
        for (int b = 0; b < users.length; b++) {
            out[b] = new float[10];
            for (int i = 0; i < 10; i++) out[b][i] = i;
        }
        return out;
    };

    private static Interactions seqs(int[][] items, float[][] values) {
        long[][] ts = new long[items.length][];
        for (int u = 0; u < items.length; u++) {
            ts[u] = new long[items[u].length];
            for (int t = 0; t < ts[u].length; t++) ts[u][t] = t;
        }
        return new Interactions(items, values, ts);
    }

    @Test
    void sampledCandidatesExcludeHistoryAndTargetAndAreStable() {
        // 10 items; user 0: train 0,1,2 valid 3 test 4
        Interactions in = seqs(new int[][]{{0, 1, 2, 3, 4}}, new float[][]{{1, 1, 1, 1, 1}});
        Split s = Splitter.leaveOneOut(in, 10);
        Evaluator e = new Evaluator(s, in, new Evaluator.Options(3, new int[]{1, 3}, 7, 256, 1, 4));
        int[] test = e.sampledCandidates("test", 0);
        assertEquals(4, test[0]);
        assertEquals(4, test.length);
        for (int k = 1; k < test.length; k++) assertTrue(test[k] >= 5, "test negatives avoid train+valid+target: " + Arrays.toString(test));
        assertEquals(4, Arrays.stream(test).distinct().count());
        int[] valid = e.sampledCandidates("validation", 0);
        assertEquals(3, valid[0]);
        for (int k = 1; k < valid.length; k++) assertTrue(valid[k] >= 4 || valid[k] < 0, Arrays.toString(valid));
        assertArrayEquals(test, e.sampledCandidates("test", 0));
        // only 5 items left outside history+target: asking for 100 negatives gives all 5
        Evaluator many = new Evaluator(s, in, new Evaluator.Options(100, new int[]{10}, 7, 256, 1, 4));
        int[] all = many.sampledCandidates("test", 0);
        assertEquals(6, all.length);
        assertEquals(List.of(4, 5, 6, 7, 8, 9), Arrays.stream(all).sorted().boxed().toList());
    }

    @Test
    void sampledMetricsByHand() {
        // two users, 10 items. Scorer: score = item index.
        // user 0: test item 9 (best possible) -> rank 0 -> HR@1 = 1, NDCG@1 = 1, MRR = 1
        // user 1: test item 0 (worst) with 3 negatives -> rank 3 -> HR@3 = 0, MRR = 1/4
        Interactions in = seqs(new int[][]{{1, 2, 3, 9}, {4, 5, 6, 0}}, new float[][]{{1, 1, 1, 1}, {1, 1, 1, 1}});
        Split s = Splitter.leaveOneOut(in, 10);
        Evaluator e = new Evaluator(s, in, new Evaluator.Options(3, new int[]{1, 3}, 1, 1, 1, 4));
        EvaluationResult r = e.sampled("m", BY_INDEX, "test");
        assertEquals("sampled-3", r.protocol());
        assertEquals(0.5, r.metric("HR@1"), EPS);
        assertEquals(0.5, r.metric("HR@3"), EPS);
        assertEquals(0.5, r.metric("NDCG@3"), EPS);
        assertEquals((1 + 0.25) / 2, r.metric("MRR"), EPS);
        // constant scores: pessimistic ties give rank = #negatives -> nothing in the top 3
        Scorer constant = (users, h) -> new float[users.length][10];
        EvaluationResult c = e.sampled("c", constant, "test");
        assertEquals(0.0, c.metric("HR@3"), EPS);
        assertEquals(0.25, c.metric("MRR"), EPS);
    }

    @Test
    void sampledIsIndependentOfBatchingAndThreads() {
        int[][] items = new int[40][];
        for (int u = 0; u < 40; u++) items[u] = new int[]{u % 10, (u + 3) % 10, (u + 5) % 10, (u + 7) % 10};
        Interactions in = seqs(items, new float[40][4]);
        Split s = Splitter.leaveOneOut(in, 10);
        Scorer pseudo = (users, h) -> {
            float[][] out = new float[users.length][10];
            for (int b = 0; b < users.length; b++) for (int i = 0; i < 10; i++) out[b][i] = (users[b] * 31 + i * 17) % 13;
            return out;
        };
        EvaluationResult a = new Evaluator(s, in, new Evaluator.Options(4, new int[]{2}, 5, 256, 1, 4)).sampled("p", pseudo, "test");
        EvaluationResult b = new Evaluator(s, in, new Evaluator.Options(4, new int[]{2}, 5, 3, 2, 4)).sampled("p", pseudo, "test");
        assertEquals(a.metrics(), b.metrics());
    }

    @Test
    void resultsCarryPerUserValuesWhoseMeansAreTheMetrics() throws Exception {
        // users 0 and 1 as in fullRankingByHand, user 2 has too few events to hold anything out
        Interactions in = seqs(new int[][]{{1, 2, 8, 9}, {4, 5, 9, 7}, {3, 4}}, new float[][]{{1, 1, 1, 1}, {1, 1, 1, 1}, {1, 1}});
        Split s = Splitter.leaveOneOut(in, 10);
        Evaluator e = new Evaluator(s, in, new Evaluator.Options(100, new int[]{1, 2}, 1, 256, 1, 4));
        EvaluationResult full = e.full("m", BY_INDEX, "test");
        assertArrayEquals(new int[]{0, 1}, full.perUser().users());
        assertArrayEquals(new double[]{1, 0}, full.perUser().values("Recall@1"), EPS);
        assertArrayEquals(new double[]{1, 0.5}, full.perUser().values("MRR"), EPS);
        EvaluationResult sampled = e.sampled("m", BY_INDEX, "test");
        for (EvaluationResult r : List.of(full, sampled)) {
            assertEquals(r.perUser().values().keySet(), r.metrics().keySet().stream()
                    .filter(k -> !k.equals("users") && !k.startsWith("Coverage")).collect(java.util.stream.Collectors.toSet()));
            r.perUser().values().forEach((k, v) ->
                    assertEquals(r.metric(k), java.util.Arrays.stream(v).average().orElseThrow(), 1e-12, k));
        }
        // reports keep their shape: the per-user values are not serialised
        String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(full);
        assertTrue(json.startsWith("{\"model\":\"m\",\"protocol\":\"full\",\"split\":\"test\",\"metrics\":{"), json);
        assertFalse(json.contains("perUser"), json);
    }

    @Test
    void fullRankingByHand() {
        // 10 items, score = index. user 0: history (train+valid) {1,2,8}, test item 9 -> items ranked:
        // 9,7,6,5,4,3,0 (8 excluded as history) -> 9 at rank 0.
        // user 1: history {4,5,9}, test item 7 -> ranking 8,7,... -> rank 1.
        Interactions in = seqs(new int[][]{{1, 2, 8, 9}, {4, 5, 9, 7}}, new float[][]{{1, 1, 1, 1}, {1, 1, 1, 1}});
        Split s = Splitter.leaveOneOut(in, 10);
        Evaluator e = new Evaluator(s, in, new Evaluator.Options(100, new int[]{1, 2}, 1, 256, 1, 4));
        EvaluationResult r = e.full("m", BY_INDEX, "test");
        // Recall@1 = (1 + 0)/2; Recall@2 = 1; NDCG@2 = (1 + 1/log2(3))/2; Precision@2 = (1/2 + 1/2)/2; MRR = (1 + 1/2)/2
        assertEquals(0.5, r.metric("Recall@1"), EPS);
        assertEquals(1.0, r.metric("Recall@2"), EPS);
        assertEquals((1 + 1 / (Math.log(3) / Math.log(2))) / 2, r.metric("NDCG@2"), EPS);
        assertEquals(0.5, r.metric("Precision@2"), EPS);
        assertEquals(0.75, r.metric("MRR"), EPS);
        // top-1 lists: user 0 -> 9, user 1 -> 8: 2 distinct of 10 items; top-2: {9,7} u {8,7} = 3
        assertEquals(0.2, r.metric("Coverage@1"), EPS);
        assertEquals(0.3, r.metric("Coverage@2"), EPS);
    }

    @Test
    void fullRanksArePessimisticOnTies() {
        // scores: item0 1, item1 1 (relevant), item2 1, item3 0.5; item2 excluded.
        // relevant item1 ties with item0 -> placed below it -> rank 1
        BitSet ex = new BitSet();
        ex.set(2);
        assertArrayEquals(new int[]{1}, Evaluator.fullRanks(new float[]{1, 1, 1, 0.5f}, ex, new int[]{1}));
        // two relevant items tied with each other and one non-relevant: ranks 1 and 2
        assertArrayEquals(new int[]{1, 2}, Evaluator.fullRanks(new float[]{1, 1, 1}, new BitSet(), new int[]{0, 1}));
        assertArrayEquals(new int[]{1, 3, 0}, Evaluator.topK(new float[]{0, 2, 1, 2}, ex, 3));
    }

    /** A predictor that likes items with an even index and predicts rating 4 everywhere. */
    static final class EvenLikes implements Scorer, PointwisePredictor {
        @Override
        public float[][] scoreAll(int[] users, int[][] histories) {
            return BY_INDEX.scoreAll(users, histories);
        }

        @Override
        public float[] predictLike(int[] users, int[][] histories, int[] items) {
            float[] p = new float[items.length];
            for (int i = 0; i < items.length; i++) p[i] = items[i] % 2 == 0 ? 0.9f : 0.2f;
            return p;
        }

        @Override
        public float[] predictRating(int[] users, int[][] histories, int[] items) {
            float[] p = new float[items.length];
            Arrays.fill(p, 4f);
            return p;
        }
    }

    @Test
    void pointwiseUsesHeldOutValues() {
        // test interactions: user 0 item 4 rated 5 (like, predicted like), user 1 item 3 rated 2
        // (dislike, predicted dislike), user 2 item 6 rated NaN (skipped) -> accuracy 1, AUC 1,
        // rating errors -1 and 2 -> MAE 1.5, MSE 2.5
        Interactions in = seqs(new int[][]{{1, 2, 3, 4}, {5, 6, 7, 3}, {1, 2, 3, 6}},
                new float[][]{{1, 1, 1, 5}, {1, 1, 1, 2}, {1, 1, 1, Float.NaN}});
        Split s = Splitter.leaveOneOut(in, 10);
        Evaluator e = new Evaluator(s, in);
        EvaluationResult r = e.pointwise("m", new EvenLikes(), "test");
        assertEquals(2.0, r.metric("pairs"), EPS);
        assertEquals(1.0, r.metric("accuracy"), EPS);
        assertEquals(1.0, r.metric("AUC"), EPS);
        assertEquals(1.5, r.metric("MAE"), EPS);
        assertEquals(2.5, r.metric("MSE"), EPS);
        List<EvaluationResult> all = e.evaluateAll("m", new EvenLikes());
        assertEquals(6, all.size());
        assertFalse(e.evaluateAll("n", BY_INDEX).stream().anyMatch(x -> x.protocol().equals("pointwise")));
        assertNull(new Evaluator(s, null).pointwise("m", new EvenLikes(), "test"));
    }
}
