package dev.penchant.cli.compare;

import dev.penchant.core.eval.ConfidenceIntervals;
import dev.penchant.core.eval.ConfidenceIntervals.Interval;
import dev.penchant.core.eval.EvaluationResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The statistics of a multi-seed comparison, from the evaluator's per-user values on the test split.
 *
 * <p>Users are the sampling unit. For a model and metric, each test user's value is first averaged over
 * the seeds (the seed drives training and the sampled negatives); the mean and its 95% t-interval are
 * over users of those seed-averaged values. A paired difference A - B takes, per user, A's
 * seed-averaged value minus B's (same users, and within a seed the same negatives), with a t-interval
 * over users; "A > B" or "A < B" only when that interval excludes zero. The spread across seeds (the
 * per-seed means, with a t-interval over seeds) shows the training noise the user interval averages out.
 */
public final class Comparison {
    /** A headline metric: the evaluator's protocol (by prefix: "sampled", "full") and metric name. */
    public record Metric(String label, String protocol, String name) {
    }

    public static final List<Metric> METRICS = List.of(
            new Metric("HR@10 sampled", "sampled", "HR@10"), new Metric("NDCG@10 sampled", "sampled", "NDCG@10"),
            new Metric("Recall@10 full", "full", "Recall@10"), new Metric("NDCG@10 full", "full", "NDCG@10"));
    /** The metric that picks the best baseline. */
    public static final Metric PRIMARY = METRICS.get(3);

    /** Values of one model, metric and seed over the evaluated users (ascending user index). */
    private record PerUser(int[] users, double[] values) {
    }

    private final double level;
    /** model -> metric label -> seed -> per-user values. */
    private final Map<String, Map<String, TreeMap<Long, PerUser>>> values = new LinkedHashMap<>();

    public Comparison(double level) {
        this.level = level;
    }

    public double level() {
        return level;
    }

    /** Keeps the headline metrics' per-user values of one model's test results for one seed. */
    public void add(String model, long seed, List<EvaluationResult> results) {
        for (Metric m : METRICS) {
            EvaluationResult r = results.stream()
                    .filter(x -> x.split().equals("test") && x.protocol().startsWith(m.protocol()) && x.perUser() != null)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            model + ": no " + m.protocol() + " test result with per-user values"));
            PerUser p = new PerUser(r.perUser().users(), r.perUser().values(m.name()).clone());
            values.computeIfAbsent(model, k -> new LinkedHashMap<>()).computeIfAbsent(m.label(), k -> new TreeMap<>())
                    .put(seed, p);
        }
    }

    public List<String> models() {
        return List.copyOf(values.keySet());
    }

    /**
     * @param overUsers  mean and t-interval over users of the seed-averaged per-user values
     * @param seedMeans  the mean over users of each seed, in seed order
     * @param overSeeds  t-interval over the per-seed means (no interval with one seed)
     */
    public record Summary(String model, Metric metric, List<Long> seeds, Interval overUsers, double[] seedMeans,
                          Interval overSeeds) {
    }

    public Summary summary(String model, Metric metric) {
        TreeMap<Long, PerUser> bySeed = series(model, metric);
        double[] seedMeans = bySeed.values().stream().mapToDouble(p -> Arrays.stream(p.values()).average().orElse(Double.NaN)).toArray();
        return new Summary(model, metric, List.copyOf(bySeed.keySet()), ConfidenceIntervals.t(seedAveraged(bySeed), level),
                seedMeans, ConfidenceIntervals.t(seedMeans, level));
    }

    /** @param verdict "A > B", "A < B" or "no difference" (with the model names) */
    public record Difference(String model, String versus, Metric metric, Interval overUsers, String verdict) {
    }

    /** model minus versus, paired by user (and by seed: both must have run the same seeds). */
    public Difference difference(String model, String versus, Metric metric) {
        TreeMap<Long, PerUser> a = series(model, metric);
        TreeMap<Long, PerUser> b = series(versus, metric);
        if (!a.keySet().equals(b.keySet()))
            throw new IllegalArgumentException(model + " ran seeds " + a.keySet() + ", " + versus + " " + b.keySet());
        double[] x = seedAveraged(a);
        double[] y = seedAveraged(b);
        if (!Arrays.equals(a.firstEntry().getValue().users(), b.firstEntry().getValue().users()))
            throw new IllegalStateException(model + " and " + versus + " were evaluated on different users");
        double[] d = new double[x.length];
        for (int i = 0; i < d.length; i++) d[i] = x[i] - y[i];
        Interval ci = ConfidenceIntervals.t(d, level);
        String verdict = !ci.excludesZero() ? "no difference" : ci.mean() > 0 ? model + " > " + versus : model + " < " + versus;
        return new Difference(model, versus, metric, ci, verdict);
    }

    /** The candidate with the highest mean on the primary metric (first listed wins a tie). */
    public String best(Collection<String> candidates) {
        String best = null;
        double top = Double.NEGATIVE_INFINITY;
        for (String c : candidates) {
            if (!values.containsKey(c)) continue;
            double m = summary(c, PRIMARY).overUsers().mean();
            if (m > top) {
                top = m;
                best = c;
            }
        }
        return best;
    }

    private TreeMap<Long, PerUser> series(String model, Metric metric) {
        Map<String, TreeMap<Long, PerUser>> byMetric = values.get(model);
        if (byMetric == null || !byMetric.containsKey(metric.label()))
            throw new IllegalArgumentException("no values for " + model + " / " + metric.label());
        return byMetric.get(metric.label());
    }

    /** Per-user means over the seeds; every seed must have evaluated the same users. */
    private static double[] seedAveraged(TreeMap<Long, PerUser> bySeed) {
        int[] users = bySeed.firstEntry().getValue().users();
        double[] sum = new double[users.length];
        List<Long> mismatched = new ArrayList<>();
        for (Map.Entry<Long, PerUser> e : bySeed.entrySet()) {
            if (!Arrays.equals(users, e.getValue().users())) {
                mismatched.add(e.getKey());
                continue;
            }
            double[] v = e.getValue().values();
            for (int i = 0; i < v.length; i++) sum[i] += v[i];
        }
        if (!mismatched.isEmpty())
            throw new IllegalStateException("seeds " + mismatched + " evaluated other users than seed " + bySeed.firstKey());
        for (int i = 0; i < sum.length; i++) sum[i] /= bySeed.size();
        return sum;
    }
}
