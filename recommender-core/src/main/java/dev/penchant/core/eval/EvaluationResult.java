package dev.penchant.core.eval;

import java.util.Map;

/**
 * One model on one protocol and split, as it appears in reports:
 * {"model":..,"protocol":"sampled-100"|"full"|"pointwise","split":"validation"|"test","metrics":{..}}.
 */
public record EvaluationResult(String model, String protocol, String split, Map<String, Double> metrics) {
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) throw new IllegalArgumentException("no metric " + name + " in " + metrics.keySet());
        return v;
    }
}
