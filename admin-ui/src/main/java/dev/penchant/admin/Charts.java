package dev.penchant.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chart data as the page hands it to uPlot (static/console.js reads a data-chart attribute):
 * {title, xLabel, x: [...], series: [{label, values: [...]}]}; null values leave gaps.
 */
final class Charts {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Charts() {
    }

    record Series(String label, List<Double> values) {
    }

    record Chart(String title, String xLabel, List<Double> x, List<Series> series) {
        String json() {
            try {
                return JSON.writeValueAsString(this);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Training loss per epoch, and each training step's own loss where a model has several ("*_loss"). */
    static String loss(PlatformApi.Job job) {
        List<Double> x = new ArrayList<>(), loss = new ArrayList<>();
        Map<String, List<Double>> parts = new LinkedHashMap<>();
        for (PlatformApi.Epoch e : epochs(job)) if (e.metrics() != null)
            for (String k : e.metrics().keySet()) if (k.endsWith("_loss")) parts.put(k, new ArrayList<>());
        for (PlatformApi.Epoch e : epochs(job)) {
            x.add((double) e.epoch());
            loss.add(e.loss());
            parts.forEach((k, v) -> v.add(number(e.metrics() == null ? null : e.metrics().get(k))));
        }
        List<Series> series = new ArrayList<>();
        series.add(new Series("loss", loss));
        parts.forEach((k, v) -> series.add(new Series(k, v)));
        return new Chart("Training loss", "epoch", x, series).json();
    }

    /** Validation figures worth a curve: rates, not the step losses or the count of users evaluated. */
    static boolean curve(String metric) {
        return !metric.endsWith("_loss") && !metric.equals("users");
    }

    /** Every validation metric the epochs logged, one line each. */
    static String validation(PlatformApi.Job job) {
        List<PlatformApi.Epoch> epochs = epochs(job);
        Set<String> names = new LinkedHashSet<>();
        for (PlatformApi.Epoch e : epochs) if (e.metrics() != null) e.metrics().keySet().stream().filter(Charts::curve).forEach(names::add);
        List<Double> x = new ArrayList<>();
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (String n : names) values.put(n, new ArrayList<>());
        for (PlatformApi.Epoch e : epochs) {
            x.add((double) e.epoch());
            for (String n : names) values.get(n).add(number(e.metrics() == null ? null : e.metrics().get(n)));
        }
        List<Series> series = new ArrayList<>();
        values.forEach((n, v) -> series.add(new Series("validation " + n, v)));
        return new Chart("Validation", "epoch", x, series).json();
    }

    /** One metric's validation curve per run, for comparing runs. */
    static String compare(List<PlatformApi.Job> jobs, String metric) {
        int maxEpoch = 0;
        for (PlatformApi.Job j : jobs) for (PlatformApi.Epoch e : epochs(j)) maxEpoch = Math.max(maxEpoch, e.epoch());
        List<Double> x = new ArrayList<>();
        for (int i = 1; i <= maxEpoch; i++) x.add((double) i);
        List<Series> series = new ArrayList<>();
        for (PlatformApi.Job j : jobs) {
            Double[] v = new Double[maxEpoch];
            for (PlatformApi.Epoch e : epochs(j)) {
                if (e.epoch() >= 1 && e.epoch() <= maxEpoch) v[e.epoch() - 1] = metric.equals("loss") ? e.loss()
                        : number(e.metrics() == null ? null : e.metrics().get(metric));
            }
            series.add(new Series("#" + j.id() + " " + j.modelType(), java.util.Arrays.asList(v)));
        }
        return new Chart("Validation " + metric + " per run", "epoch", x, series).json();
    }

    /** The validation metric names the runs logged (for the compare chart's choice). */
    static List<String> metricNames(List<PlatformApi.Job> jobs) {
        Set<String> names = new LinkedHashSet<>();
        for (PlatformApi.Job j : jobs) for (PlatformApi.Epoch e : epochs(j))
            if (e.metrics() != null) e.metrics().keySet().stream().filter(Charts::curve).forEach(names::add);
        names.add("loss");
        return List.copyOf(names);
    }

    private static List<PlatformApi.Epoch> epochs(PlatformApi.Job job) {
        return job.epochs() == null ? List.of() : job.epochs();
    }

    static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }
}
