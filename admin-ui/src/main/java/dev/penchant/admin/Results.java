package dev.penchant.admin;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job report's test results as a table: one row per model and protocol (the trained model first,
 * then the baselines evaluated beside it on the same split), one column per metric.
 */
public record Results(List<String> metrics, List<Row> rows) {
    public record Row(String model, String protocol, boolean own, List<String> values) {
    }

    public boolean empty() {
        return rows.isEmpty();
    }

    @SuppressWarnings("unchecked")
    static Results of(Map<String, Object> report, String ownModel) {
        List<Map<String, Object>> results = new ArrayList<>();
        if (report != null && report.get("results") instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && "test".equals(m.get("split"))) results.add((Map<String, Object>) m);
            }
        }
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> r : results) if (r.get("metrics") instanceof Map<?, ?> m) for (Object k : m.keySet()) names.add(k.toString());
        List<String> metrics = List.copyOf(names);
        List<Row> own = new ArrayList<>(), others = new ArrayList<>();
        for (Map<String, Object> r : results) {
            Map<?, ?> m = r.get("metrics") instanceof Map<?, ?> x ? x : Map.of();
            List<String> values = new ArrayList<>();
            for (String n : metrics) values.add(Formats.fmt(Charts.number(m.get(n))));
            String model = String.valueOf(r.get("model"));
            Row row = new Row(model, String.valueOf(r.get("protocol")), model.equals(ownModel), values);
            (row.own() ? own : others).add(row);
        }
        own.addAll(others);
        return new Results(metrics, own);
    }
}
