package dev.penchant.api.training;

import java.util.List;
import java.util.Map;

/**
 * Whether a model beats the popularity baseline on the test split, as its job's report recorded both
 * (same data, same split, same evaluator): full-catalogue NDCG@10 when the report has it for both,
 * else sampled NDCG@10. A model without test metrics, or a report without the baseline, does not pass.
 */
public final class PromotionGuard {
    static final String BASELINE = "popularity";
    static final String METRIC = "NDCG@10";
    static final List<String> PROTOCOLS = List.of("full", "sampled-100");

    /** The verdict, with the figures compared (null when missing) and a sentence saying why. */
    public record Verdict(boolean passes, String protocol, Double model, Double baseline, String reason) {
    }

    private PromotionGuard() {
    }

    public static Verdict judge(String modelType, Map<String, Object> report) {
        List<?> results = report == null || !(report.get("results") instanceof List<?> l) ? List.of() : l;
        for (String protocol : PROTOCOLS) {
            Double mine = metric(results, modelType, protocol);
            Double base = metric(results, BASELINE, protocol);
            if (mine == null || base == null) continue;
            String figures = METRIC + " (" + protocol + ", test) " + fmt(mine) + " vs " + BASELINE + " " + fmt(base);
            return mine > base
                    ? new Verdict(true, protocol, mine, base, "beats " + BASELINE + ": " + figures)
                    : new Verdict(false, protocol, mine, base, "does not beat " + BASELINE + ": " + figures);
        }
        boolean hasOwn = PROTOCOLS.stream().anyMatch(p -> metric(results, modelType, p) != null);
        return new Verdict(false, null, null, null, hasOwn
                ? "its job report holds no " + BASELINE + " baseline on the test split to compare with"
                : "it has no test metrics (" + METRIC + ") in a job report");
    }

    private static Double metric(List<?> results, String model, String protocol) {
        for (Object o : results) {
            if (o instanceof Map<?, ?> r && model.equals(r.get("model")) && protocol.equals(r.get("protocol"))
                    && "test".equals(r.get("split")) && r.get("metrics") instanceof Map<?, ?> m
                    && m.get(METRIC) instanceof Number n) {
                return n.doubleValue();
            }
        }
        return null;
    }

    private static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.4f", v);
    }
}
