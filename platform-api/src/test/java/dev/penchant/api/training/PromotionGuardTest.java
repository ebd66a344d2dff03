package dev.penchant.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromotionGuardTest {
    static Map<String, Object> result(String model, String protocol, double ndcg) {
        return Map.of("model", model, "protocol", protocol, "split", "test", "metrics", Map.of("NDCG@10", ndcg, "HR@10", 0.9));
    }

    @Test
    void prefersTheFullCatalogueAndComparesWithPopularityOnTheTestSplit() {
        var report = Map.<String, Object>of("results", List.of(result("dnn", "sampled-100", 0.50), result("popularity", "sampled-100", 0.16),
                result("dnn", "full", 0.020), result("popularity", "full", 0.025),
                Map.of("model", "dnn", "protocol", "full", "split", "validation", "metrics", Map.of("NDCG@10", 0.9))));
        PromotionGuard.Verdict v = PromotionGuard.judge("dnn", report);
        assertFalse(v.passes());
        assertEquals("full", v.protocol());
        assertEquals("does not beat popularity: NDCG@10 (full, test) 0.0200 vs popularity 0.0250", v.reason());
    }

    @Test
    void fallsBackToSampledAndRefusesWithoutFigures() {
        var sampledOnly = Map.<String, Object>of("results", List.of(result("sasrec", "sampled-100", 0.46), result("popularity", "sampled-100", 0.16)));
        assertTrue(PromotionGuard.judge("sasrec", sampledOnly).passes());
        assertEquals("sampled-100", PromotionGuard.judge("sasrec", sampledOnly).protocol());
        assertFalse(PromotionGuard.judge("dnn", null).passes());
        assertTrue(PromotionGuard.judge("dnn", Map.of()).reason().contains("no test metrics"));
        var noBaseline = Map.<String, Object>of("results", List.of(result("dnn", "full", 0.1)));
        assertTrue(PromotionGuard.judge("dnn", noBaseline).reason().contains("no popularity baseline"));
        var equal = Map.<String, Object>of("results", List.of(result("dnn", "full", 0.025), result("popularity", "full", 0.025)));
        assertFalse(PromotionGuard.judge("dnn", equal).passes(), "a tie does not beat");
    }
}
