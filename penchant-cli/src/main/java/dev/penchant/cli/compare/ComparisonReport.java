package dev.penchant.cli.compare;

import dev.penchant.cli.compare.Comparison.Difference;
import dev.penchant.cli.compare.Comparison.Metric;
import dev.penchant.cli.compare.Comparison.Summary;
import dev.penchant.core.eval.ConfidenceIntervals.Interval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Comparison} as the markdown tables the README takes as they are, and as the JSON-ready
 * summary of the report. The references of the paired differences are the best baseline (highest mean
 * full NDCG@10 among the baselines) and seqknn, the strong non-neural reference, when it ran.
 */
public final class ComparisonReport {
    public static final String STRONG_REFERENCE = "seqknn";

    private final Comparison comparison;
    private final List<String> models;
    private final String bestBaseline;
    private final List<String> references;

    /** @param baselines the baselines among the models, candidates for the best baseline */
    public ComparisonReport(Comparison comparison, List<String> baselines) {
        this.comparison = comparison;
        this.models = comparison.models();
        this.bestBaseline = comparison.best(baselines);
        List<String> refs = new ArrayList<>();
        if (bestBaseline != null) refs.add(bestBaseline);
        if (models.contains(STRONG_REFERENCE) && !refs.contains(STRONG_REFERENCE)) refs.add(STRONG_REFERENCE);
        this.references = List.copyOf(refs);
    }

    public String bestBaseline() {
        return bestBaseline;
    }

    public List<String> references() {
        return references;
    }

    /** Every model against every reference other than itself, reference by reference. */
    public List<Difference> differences() {
        List<Difference> out = new ArrayList<>();
        for (String ref : references)
            for (String m : models) {
                if (m.equals(ref)) continue;
                for (Metric metric : Comparison.METRICS) out.add(comparison.difference(m, ref, metric));
            }
        return out;
    }

    /**
     * @param heading one line saying what ran (data set, split, seeds, users), printed above the tables
     */
    public String markdown(String heading) {
        int pct = (int) Math.round(comparison.level() * 100);
        StringBuilder sb = new StringBuilder();
        sb.append(heading).append("\n\n");
        Summary any = comparison.summary(models.get(0), Comparison.PRIMARY);
        sb.append(String.format(Locale.ROOT, "Mean over %d seeds with a %d%% t-interval over the test users of the "
                + "seed-averaged per-user value (sampled: %d users; full: %d users).%n%n", any.seeds().size(), pct,
                comparison.summary(models.get(0), Comparison.METRICS.get(0)).overUsers().n(), any.overUsers().n()));
        header(sb, "model");
        for (String m : models) {
            sb.append("| ").append(m);
            for (Metric metric : Comparison.METRICS) {
                Interval i = comparison.summary(m, metric).overUsers();
                sb.append(" | ").append(fmt(i.mean())).append(' ').append(range(i, false));
            }
            sb.append(" |\n");
        }
        if (!references.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nPaired differences, row model minus reference, with a %d%% t-interval "
                    + "over users of the seed-averaged per-user differences; a claim only where it excludes zero. Best "
                    + "baseline by %s: %s.%n%n", pct, Comparison.PRIMARY.label(), bestBaseline));
            sb.append("| model | reference");
            for (Metric metric : Comparison.METRICS) sb.append(" | ").append(metric.label());
            sb.append(" |\n|---|---");
            sb.append("|---".repeat(Comparison.METRICS.size())).append("|\n");
            List<Difference> diffs = differences();
            for (int k = 0; k < diffs.size(); k += Comparison.METRICS.size()) {
                Difference first = diffs.get(k);
                sb.append("| ").append(first.model()).append(" | ").append(first.versus());
                for (int j = 0; j < Comparison.METRICS.size(); j++) {
                    Difference d = diffs.get(k + j);
                    sb.append(" | ").append(signed(d.overUsers().mean())).append(' ').append(range(d.overUsers(), true))
                            .append(' ').append(d.verdict());
                }
                sb.append(" |\n");
            }
        }
        sb.append(String.format(Locale.ROOT, "%nSpread across seeds (training and negative sampling): the per-seed means, "
                + "then their mean with a %d%% t-interval over seeds.%n%n", pct));
        List<Long> seeds = any.seeds();
        sb.append("| model | metric");
        for (Long s : seeds) sb.append(" | seed ").append(s);
        sb.append(" | over seeds |\n|---|---").append("|---".repeat(seeds.size() + 1)).append("|\n");
        for (String m : models)
            for (Metric metric : Comparison.METRICS) {
                Summary s = comparison.summary(m, metric);
                sb.append("| ").append(m).append(" | ").append(metric.label());
                for (double v : s.seedMeans()) sb.append(" | ").append(fmt(v));
                sb.append(" | ").append(fmt(s.overSeeds().mean())).append(' ').append(range(s.overSeeds(), false)).append(" |\n");
            }
        return sb.toString();
    }

    private static void header(StringBuilder sb, String first) {
        sb.append("| ").append(first);
        for (Metric metric : Comparison.METRICS) sb.append(" | ").append(metric.label());
        sb.append(" |\n|---").append("|---".repeat(Comparison.METRICS.size())).append("|\n");
    }

    /** Summaries and differences as plain maps (NaN as null), for the JSON report. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", comparison.level());
        m.put("primaryMetric", Comparison.PRIMARY.label());
        m.put("bestBaseline", bestBaseline);
        m.put("references", references);
        List<Object> summaries = new ArrayList<>();
        for (String model : models)
            for (Metric metric : Comparison.METRICS) {
                Summary s = comparison.summary(model, metric);
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("model", model);
                x.put("metric", metric.label());
                x.put("protocol", metric.protocol());
                x.put("name", metric.name());
                x.put("seeds", s.seeds());
                x.put("overUsers", interval(s.overUsers()));
                x.put("seedMeans", Arrays.stream(s.seedMeans()).boxed().toList());
                x.put("overSeeds", interval(s.overSeeds()));
                summaries.add(x);
            }
        m.put("summaries", summaries);
        List<Object> diffs = new ArrayList<>();
        for (Difference d : differences()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("model", d.model());
            x.put("reference", d.versus());
            x.put("metric", d.metric().label());
            x.put("difference", interval(d.overUsers()));
            x.put("verdict", d.verdict());
            diffs.add(x);
        }
        m.put("differences", diffs);
        return m;
    }

    static Map<String, Object> interval(Interval i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", i.n());
        m.put("mean", finite(i.mean()));
        m.put("standardError", finite(i.standardError()));
        m.put("lower", finite(i.lower()));
        m.put("upper", finite(i.upper()));
        return m;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.3f", v);
    }

    private static String range(Interval i, boolean signed) {
        if (Double.isNaN(i.lower())) return "[-]";
        return signed ? "[" + signed(i.lower()) + ", " + signed(i.upper()) + "]" : "[" + fmt(i.lower()) + ", " + fmt(i.upper()) + "]";
    }
}
