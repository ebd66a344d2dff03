package dev.penchant.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** String-keyed hyperparameters with typed getters and defaults; what is read is recorded. */
public final class Hyperparameters {
    private final Map<String, String> values;
    private final Map<String, Object> used = new LinkedHashMap<>();

    public Hyperparameters(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Hyperparameters empty() {
        return new Hyperparameters(Map.of());
    }

    public synchronized int getInt(String key, int defaultValue) {
        int v = values.containsKey(key) ? Integer.parseInt(values.get(key).trim()) : defaultValue;
        used.put(key, v);
        return v;
    }

    public synchronized double getDouble(String key, double defaultValue) {
        double v = values.containsKey(key) ? Double.parseDouble(values.get(key).trim()) : defaultValue;
        used.put(key, v);
        return v;
    }

    public synchronized String getString(String key, String defaultValue) {
        String v = values.getOrDefault(key, defaultValue);
        used.put(key, v);
        return v;
    }

    public synchronized boolean getBoolean(String key, boolean defaultValue) {
        boolean v = values.containsKey(key) ? Boolean.parseBoolean(values.get(key).trim()) : defaultValue;
        used.put(key, v);
        return v;
    }

    /** The values the model actually used, defaults included: goes into reports and artifacts. */
    public synchronized Map<String, Object> used() {
        return new LinkedHashMap<>(used);
    }

    public Map<String, String> given() {
        return values;
    }
}
