package dev.penchant.core.model;

import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a model is and which hyperparameters it takes, readable without the model's code (the
 * TensorFlow models' specs live here, in the TensorFlow-free core; recommender-tf only supplies their
 * factories through a {@link ModelProvider}).
 */
public record ModelSpec(String name, Kind kind, String description, ParamGroup parameters, List<Constraint> constraints) {
    public enum Kind {
        BASELINE, TENSORFLOW;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A rule over several hyperparameters, checked on the typed values (given or default; null where a
     * value comes from the data), e.g. "dim must be a multiple of heads".
     */
    public record Constraint(String key, String message, Predicate<Map<String, Object>> holds) {
    }

    public ModelSpec {
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
    }

    public ModelSpec(String name, Kind kind, String description, List<Param> parameters, Constraint... constraints) {
        this(name, kind, description, new ParamGroup("", name, parameters), List.of(constraints));
    }

    public List<Param> params() {
        return parameters.params();
    }

    public Param param(String key) {
        return parameters.param(key);
    }
}
