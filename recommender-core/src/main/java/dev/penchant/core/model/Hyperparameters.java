package dev.penchant.core.model;

import dev.penchant.core.settings.Param;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's hyperparameters as given (text) and, once {@link ModelCatalog#create} has validated and
 * bound them to the model's {@link ModelSpec}, as typed values with the declared defaults. What a
 * model reads is recorded ({@link #used()}) for reports and artifacts.
 *
 * <p>{@code getInt(key)} returns the given value or the declared default; {@code getInt(key, fromData)}
 * also serves settings declared without a default (e.g. a window taken from the data): the given value,
 * else the declared default, else fromData. Reading a key the spec does not declare is a programming
 * error, so the code and the declarations cannot drift apart.
 */
public final class Hyperparameters {
    private final Map<String, String> given;
    private final Map<String, Object> used = new LinkedHashMap<>();
    private ModelSpec spec;

    public Hyperparameters(Map<String, String> given) {
        this.given = Map.copyOf(given);
    }

    public static Hyperparameters empty() {
        return new Hyperparameters(Map.of());
    }

    /** The settings as given, before defaults. */
    public Map<String, String> given() {
        return given;
    }

    /** Whether the key was given (not defaulted). */
    public boolean isSet(String key) {
        return given.containsKey(key);
    }

    synchronized void bind(ModelSpec s) {
        if (spec != null && spec != s) throw new IllegalStateException("hyperparameters already bound to " + spec.name());
        spec = s;
    }

    public synchronized ModelSpec spec() {
        return spec;
    }

    public int getInt(String key) {
        return (Integer) value(key, null, true);
    }

    public int getInt(String key, int fromData) {
        return (Integer) value(key, fromData, false);
    }

    /**
     * An int whose declared default the data may adjust (e.g. patience on large epochs): the given value
     * if set, else adjust(declared default); what is returned is what {@link #used()} reports.
     */
    public synchronized int getInt(String key, java.util.function.IntUnaryOperator adjustDefault) {
        int declared = getInt(key);
        if (isSet(key)) return declared;
        int v = adjustDefault.applyAsInt(declared);
        used.put(key, v);
        return v;
    }

    public double getDouble(String key) {
        return (Double) value(key, null, true);
    }

    public double getDouble(String key, double fromData) {
        return (Double) value(key, fromData, false);
    }

    public boolean getBoolean(String key) {
        return (Boolean) value(key, null, true);
    }

    public boolean getBoolean(String key, boolean fromData) {
        return (Boolean) value(key, fromData, false);
    }

    public String getString(String key) {
        return (String) value(key, null, true);
    }

    /** A choice whose default comes from the data (declared with {@code noDefault}). */
    public String getString(String key, String fromData) {
        return (String) value(key, fromData, false);
    }

    /** An integer list (e.g. hidden layer widths). */
    public int[] getInts(String key) {
        return ((int[]) value(key, null, true)).clone();
    }

    @SuppressWarnings("unchecked")
    public List<String> getStrings(String key) {
        return List.copyOf((List<String>) value(key, null, true));
    }

    private synchronized Object value(String key, Object fromData, boolean declaredDefault) {
        if (spec == null) throw new IllegalStateException("hyperparameters are not bound to a model: create models with ModelCatalog.create");
        Param p = spec.param(key);
        if (p == null) throw new IllegalStateException(spec.name() + " reads '" + key + "', which its spec does not declare");
        Object v;
        if (given.containsKey(key)) {
            v = p.parse(given.get(key)); // validated by ModelCatalog.create
        } else if (p.defaultValue() != null) {
            v = p.parse(p.defaultValue());
        } else if (!declaredDefault) {
            v = fromData;
        } else {
            throw new IllegalStateException(spec.name() + "." + key + " has no declared default: read it with a value from the data");
        }
        used.put(key, v instanceof int[] a ? Arrays.stream(a).boxed().toList() : v);
        return v;
    }

    /** The values the model actually used, defaults included: goes into reports and artifacts. */
    public synchronized Map<String, Object> used() {
        return new LinkedHashMap<>(used);
    }
}
