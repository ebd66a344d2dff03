package dev.penchant.api.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.support.problem.Problem.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks what a training job asks for before it is queued, so a bad value is a 400 naming the field
 * rather than a failed job later. {@link #validate} is the one place hyperparameters pass through:
 * the models' typed specs plug in here.
 */
public final class JobValidation {
    /**
     * The model types a job may name. platform-api carries no TensorFlow, so the catalogue on its class
     * path lists the baselines only; the TensorFlow models' names are listed here until the catalogue
     * declares every model's parameters without loading it.
     */
    static final List<String> TF_MODELS = List.of("dnn", "neumf", "sasrec", "din", "bilstm", "gan");

    private JobValidation() {
    }

    public static Set<String> modelTypes() {
        Set<String> known = new TreeSet<>(ModelCatalog.known());
        known.addAll(ModelCatalog.BASELINES);
        known.addAll(TF_MODELS);
        return known;
    }

    public static boolean isBaseline(String modelType) {
        return ModelCatalog.BASELINES.contains(modelType);
    }

    /**
     * The job's settings as the trainer reads them (name -> text, like `penchant train --set`), or the
     * problems found, added to errors with the field named ("modelType", "hyperparameters.epochs").
     */
    public static Map<String, String> validate(String modelType, JsonNode hyperparameters, List<FieldError> errors) {
        Set<String> known = modelTypes();
        if (modelType == null || modelType.isBlank()) {
            errors.add(FieldError.of("modelType", "required; one of " + known));
        } else if (!known.contains(modelType)) {
            errors.add(FieldError.of("modelType", "unknown model type '" + modelType + "'; one of " + known));
        }
        Map<String, String> hp = new LinkedHashMap<>();
        if (hyperparameters != null && !hyperparameters.isNull()) {
            if (!hyperparameters.isObject()) {
                errors.add(FieldError.of("hyperparameters", "must be an object of name -> number, string or boolean"));
            } else {
                hyperparameters.properties().forEach(e -> {
                    JsonNode v = e.getValue();
                    String field = "hyperparameters." + e.getKey();
                    if (!(v.isNumber() || v.isTextual() || v.isBoolean())) {
                        errors.add(FieldError.of(field, "must be a number, string or boolean"));
                    } else if (v.isTextual() && v.asText().length() > 1000) {
                        errors.add(FieldError.of(field, "at most 1000 characters"));
                    } else {
                        hp.put(e.getKey(), v.asText());
                    }
                });
            }
        }
        checkCounts(hp, errors);
        checkRunOptions(hp, known, errors);
        return hp;
    }

    /** Settings every iterative model reads: a count below one would train nothing (or forever). */
    private static void checkCounts(Map<String, String> hp, List<FieldError> errors) {
        for (String key : List.of("epochs", "batch_size", "patience")) {
            String v = hp.get(key);
            if (v == null) continue;
            long n;
            try {
                n = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                errors.add(FieldError.of("hyperparameters." + key, "must be an integer >= 1"));
                continue;
            }
            if (n < 1 || n > 100_000) errors.add(FieldError.of("hyperparameters." + key, "must be an integer from 1 to 100000"));
        }
    }

    /** The keys the run itself reads (as the launcher's --set): caught here rather than failing the job later. */
    private static void checkRunOptions(Map<String, String> hp, Set<String> known, List<FieldError> errors) {
        Map<String, String> data = new LinkedHashMap<>();
        hp.forEach((k, v) -> {
            if (k.startsWith("data.")) data.put(k.substring("data.".length()), v);
        });
        try {
            PreprocessOptions.fromMap(data);
        } catch (IllegalArgumentException e) {
            errors.add(FieldError.of("hyperparameters", e.getMessage()));
        }
        String split = hp.getOrDefault("split", "loo");
        if (!List.of("loo", "leave-one-out", "temporal").contains(split)) {
            errors.add(FieldError.of("hyperparameters.split", "loo or temporal"));
        }
        if (hp.containsKey("baselines")) {
            for (String b : hp.get("baselines").split("\\s*,\\s*")) {
                if (!b.isBlank() && !known.contains(b)) {
                    errors.add(FieldError.of("hyperparameters.baselines", "unknown model '" + b + "'"));
                }
            }
        }
    }
}
