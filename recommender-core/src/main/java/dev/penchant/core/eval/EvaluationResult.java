package dev.penchant.core.eval;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.Arrays;
import java.util.Map;

/**
 * One model on one protocol and split, as it appears in reports:
 * {"model":..,"protocol":"sampled-100"|"full"|"pointwise","split":"validation"|"test","metrics":{..}}.
 * Ranking results also carry each evaluated user's value of every per-user metric ({@link PerUser});
 * reports leave them out, comparisons over users use them.
 *
 * @param perUser null for results without per-user values (point-wise metrics, results built by hand)
 */
public record EvaluationResult(String model, String protocol, String split, Map<String, Double> metrics,
                               @JsonIgnore PerUser perUser) {
    public EvaluationResult(String model, String protocol, String split, Map<String, Double> metrics) {
        this(model, protocol, split, metrics, null);
    }

    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
        return v;
    }

    /**
     * The evaluated users (dense user indices, ascending) and, per metric, their values in the same
     * order; a metric's value in {@link #metrics()} is the mean of its per-user values. Metrics of the
     * whole list (Coverage@K) and counts ("users") have no per-user values.
     */
    public record PerUser(int[] users, Map<String, double[]> values) {
        public double[] values(String metric) {
            double[] v = values.get(metric);
            if (v == null) throw new IllegalArgumentException("no per-user metric " + metric + " in " + values.keySet());
            return v;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof PerUser p) || !Arrays.equals(users, p.users) || !values.keySet().equals(p.values.keySet()))
                return false;
            for (Map.Entry<String, double[]> e : values.entrySet())
                if (!Arrays.equals(e.getValue(), p.values.get(e.getKey()))) return false;
            return true;
        }

        @Override
        public int hashCode() {
            int h = Arrays.hashCode(users);
            for (Map.Entry<String, double[]> e : values.entrySet()) h = 31 * h + e.getKey().hashCode() ^ Arrays.hashCode(e.getValue());
            return h;
        }

        @Override
        public String toString() {
            return "PerUser[" + users.length + " users, " + values.keySet() + "]";
        }
    }
}
