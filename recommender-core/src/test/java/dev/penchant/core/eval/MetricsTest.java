package dev.penchant.core.eval;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {
    private static final double EPS = 1e-9;

    @Test
    void pessimisticRankCountsTiesAbove() {
        // target 0.5; others 0.9 (above), 0.5 (tie -> above, pessimistic), 0.1 (below) => rank 2
        assertEquals(2, Metrics.pessimisticRank(0.5f, new float[]{0.9f, 0.5f, 0.1f}));
        // all equal to the target: it is last
        assertEquals(3, Metrics.pessimisticRank(1f, new float[]{1f, 1f, 1f}));
        // NaN target is last; NaN others never outrank
        assertEquals(2, Metrics.pessimisticRank(Float.NaN, new float[]{0f, 1f}));
        assertEquals(0, Metrics.pessimisticRank(0f, new float[]{Float.NaN}));
    }

    @Test
    void hitNdcgMrrOfOneItem() {
        // rank 2 (third place): HR@3 = 1, HR@2 = 0; NDCG@3 = 1/log2(4) = 0.5; MRR = 1/3
        assertEquals(1.0, Metrics.hit(2, 3), EPS);
        assertEquals(0.0, Metrics.hit(2, 2), EPS);
        assertEquals(0.5, Metrics.ndcgSingle(2, 3), EPS);
        assertEquals(0.0, Metrics.ndcgSingle(2, 2), EPS);
        assertEquals(1.0 / 3, Metrics.reciprocalRank(2), EPS);
        // rank 0: NDCG = 1/log2(2) = 1
        assertEquals(1.0, Metrics.ndcgSingle(0, 1), EPS);
    }

    @Test
    void setMetrics() {
        // relevant items at ranks 0 and 3, K = 3: one hit.
        // Recall@3 = 1/2, Precision@3 = 1/3,
        // DCG = 1/log2(2) = 1, IDCG = 1 + 1/log2(3) = 1.6309298, NDCG = 0.6131472
        // MRR = 1/(0+1) = 1
        int[] ranks = {0, 3};
        assertEquals(0.5, Metrics.recall(ranks, 3), EPS);
        assertEquals(1.0 / 3, Metrics.precision(ranks, 3), EPS);
        assertEquals(1.0 / (1 + 1 / (Math.log(3) / Math.log(2))), Metrics.ndcg(ranks, 3), EPS);
        assertEquals(0.6131471927654584, Metrics.ndcg(ranks, 3), 1e-12);
        assertEquals(1.0, Metrics.reciprocalRank(ranks), EPS);
        // ranks 1 and 2 at K = 5: DCG = 1/log2(3) + 1/log2(4) = 0.6309298 + 0.5 = 1.1309298; IDCG 1.6309298
        assertEquals(1.1309297535714575 / 1.6309297535714575, Metrics.ndcg(new int[]{1, 2}, 5), 1e-12);
        assertEquals(0.5, Metrics.reciprocalRank(new int[]{1, 2}), EPS);
    }

    @Test
    void aucWithTies() {
        // positives score 0.9 and 0.4; negatives 0.4 and 0.1.
        // pairs (pos, neg): (0.9,0.4)=1 (0.9,0.1)=1 (0.4,0.4)=0.5 (0.4,0.1)=1 -> 3.5 / 4 = 0.875
        boolean[] labels = {true, true, false, false};
        float[] scores = {0.9f, 0.4f, 0.4f, 0.1f};
        assertEquals(0.875, Metrics.auc(labels, scores), EPS);
        assertTrue(Double.isNaN(Metrics.auc(new boolean[]{true, true}, new float[]{0.1f, 0.2f})));
    }

    @Test
    void pointwiseClassificationAndErrors() {
        // truth ratings 5, 4, 2, 1 -> like (>= 4) = T, T, F, F
        // like probabilities 0.8, 0.3, 0.6, 0.1 -> predicted T, F, T, F: TP=1 FN=1 FP=1 TN=1
        // accuracy 0.5, precision 0.5, recall 0.5, F1 0.5; AUC: pos {0.8,0.3} vs neg {0.6,0.1}:
        //   (0.8>0.6) (0.8>0.1) (0.3<0.6) (0.3>0.1) = 3/4
        // rating predictions 4, 4, 3, 3 -> errors -1, 0, 1, 2: MAE = 1, MSE = 6/4 = 1.5, RMSE = 1.2247449
        Map<String, Double> m = Evaluator.pointwiseMetrics(new boolean[]{true, true, false, false},
                new float[]{0.8f, 0.3f, 0.6f, 0.1f}, new float[]{5, 4, 2, 1}, new float[]{4, 4, 3, 3});
        assertEquals(0.5, m.get("accuracy"), EPS);
        assertEquals(0.5, m.get("precision"), EPS);
        assertEquals(0.5, m.get("recall"), EPS);
        assertEquals(0.5, m.get("F1"), EPS);
        assertEquals(0.75, m.get("AUC"), EPS);
        assertEquals(1.0, m.get("MAE"), EPS);
        assertEquals(1.5, m.get("MSE"), EPS);
        assertEquals(Math.sqrt(1.5), m.get("RMSE"), EPS);
    }
}
