package dev.penchant.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An experiment's results as its page shows them: per metric (the primary first, then the guardrails)
 * each treatment against the control as the statistics engine answered (relative lift with its 95%
 * interval and p-value, the sequential interval, Bayesian chance to win), the sample-ratio check, and
 * a verdict that says "better" or "worse" only where the interval excludes zero. No statistics are
 * computed here: platform-api's engine did that; this only lays it out.
 */
public record ExperimentReport(List<PlatformApi.Totals> totals, List<Metric> metrics, String chart) {

    public record Metric(String name, boolean primary, String error, Double srmPValue, boolean srmMismatch,
                         String srmReason, List<Arm> arms) {
    }

    /** One variant of one metric; the control has no comparison (lift null). */
    public record Arm(String name, long users, Double mean, Double lift, Double liftLower, Double liftUpper,
                      Double pValue, Double sequentialLower, Double sequentialUpper, Double chanceToWin,
                      String reason) {
        public boolean control() {
            return lift == null && reason == null;
        }

        /** From the relative interval: better / worse where it excludes 0, else inconclusive. */
        public String verdict() {
            if (liftLower == null || liftUpper == null) return reason != null ? "not computed" : "";
            if (liftLower > 0) return "better";
            if (liftUpper < 0) return "worse";
            return "inconclusive";
        }
    }

    public boolean empty() {
        return totals.stream().allMatch(t -> t.exposures() == 0);
    }

    static ExperimentReport of(PlatformApi.ExperimentResults r) {
        List<Metric> metrics = new ArrayList<>();
        String primary = r.experiment().primaryMetric();
        if (r.metrics() != null) {
            JsonNode p = r.metrics().get(primary);
            if (p != null) metrics.add(metric(primary, true, p));
            for (Map.Entry<String, JsonNode> e : r.metrics().entrySet()) {
                if (!e.getKey().equals(primary)) metrics.add(metric(e.getKey(), false, e.getValue()));
            }
        }
        return new ExperimentReport(r.variants() == null ? List.of() : r.variants(), metrics, daily(r));
    }

    private static Metric metric(String name, boolean primary, JsonNode n) {
        if (n.hasNonNull("error")) return new Metric(name, primary, n.get("error").asText(), null, false, null, List.of());
        JsonNode srm = n.path("srm");
        List<Arm> arms = new ArrayList<>();
        for (JsonNode v : n.path("variants")) {
            JsonNode rel = v.path("relative"), seq = v.path("sequential"), bayes = v.path("bayesian");
            arms.add(new Arm(v.path("name").asText(), v.path("users").asLong(), number(v.get("mean")),
                    number(rel.get("lift")), number(rel.get("ciLower")), number(rel.get("ciUpper")), number(rel.get("pValue")),
                    number(seq.get("ciLower")), number(seq.get("ciUpper")), number(bayes.get("chanceToWin")),
                    v.hasNonNull("reason") ? v.get("reason").asText() : rel.hasNonNull("reason") ? rel.get("reason").asText() : null));
        }
        return new Metric(name, primary, null, number(srm.get("pValue")), srm.path("mismatch").asBoolean(false),
                srm.hasNonNull("reason") ? srm.get("reason").asText() : null, arms);
    }

    /** The primary metric's cumulative relative lift per day since the start, one line per treatment. */
    private static String daily(PlatformApi.ExperimentResults r) {
        List<Double> x = new ArrayList<>();
        Map<String, List<Double>> lines = new java.util.LinkedHashMap<>();
        List<PlatformApi.Variant> variants = r.experiment().variants();
        for (int i = 1; i < variants.size(); i++) lines.put(variants.get(i).name(), new ArrayList<>());
        int day = 0;
        for (PlatformApi.Day d : r.daily() == null ? List.<PlatformApi.Day>of() : r.daily()) {
            x.add((double) ++day);
            for (Map.Entry<String, List<Double>> line : lines.entrySet()) {
                Double lift = null;
                for (JsonNode v : d.result() == null ? List.<JsonNode>of() : d.result().path("variants")) {
                    if (v.path("name").asText().equals(line.getKey())) {
                        Double l = number(v.path("relative").get("lift"));
                        lift = l == null ? null : l * 100;
                    }
                }
                line.getValue().add(lift);
            }
        }
        List<Charts.Series> series = new ArrayList<>();
        lines.forEach((name, values) -> series.add(new Charts.Series(name + " lift %", values)));
        return new Charts.Chart("Cumulative relative lift of " + r.experiment().primaryMetric() + " vs "
                + (variants.isEmpty() ? "control" : variants.get(0).name()), "day", x, series).json();
    }

    private static Double number(JsonNode n) {
        return n == null || n.isNull() || !n.isNumber() ? null : n.asDouble();
    }
}
