package dev.penchant.api.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.settings.SettingProblem;
import dev.penchant.support.problem.Problem.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks what a training job asks for before it is queued, so a bad value is a 400 naming the field
 * rather than a failed job later. {@link #validate} is the one place hyperparameters pass through: JSON
 * shape here, then the catalogue's typed specs (recommender-core's {@link ModelCatalog#validate}, which
 * needs no TensorFlow), the same check `penchant train --set` gets.
 */
public final class JobValidation {
    private JobValidation() {
    }

    public static boolean isBaseline(String modelType) {
        return ModelCatalog.BASELINES.contains(modelType);
    }

    /**
     * The job's settings as the trainer reads them (name -> text, like `penchant train --set`); each
     * problem is added to errors with its field named ("modelType", "hyperparameters.epochs").
     */
    public static Map<String, String> validate(String modelType, JsonNode hyperparameters, List<FieldError> errors) {
        Map<String, String> hp = new LinkedHashMap<>();
        boolean shapeOk = true;
        if (hyperparameters != null && !hyperparameters.isNull()) {
            if (!hyperparameters.isObject()) {
                errors.add(FieldError.of("hyperparameters", "must be an object of name -> number, string or boolean"));
                shapeOk = false;
            } else {
                for (var it = hyperparameters.properties().iterator(); it.hasNext(); ) {
                    var e = it.next();
                    JsonNode v = e.getValue();
                    String field = "hyperparameters." + e.getKey();
                    if (!(v.isNumber() || v.isTextual() || v.isBoolean())) {
                        errors.add(FieldError.of(field, "must be a number, string or boolean"));
                        shapeOk = false;
                    } else if (v.isTextual() && v.asText().length() > 1000) {
                        errors.add(FieldError.of(field, "at most 1000 characters"));
                        shapeOk = false;
                    } else {
                        hp.put(e.getKey(), v.asText());
                    }
                }
            }
        }
        for (SettingProblem p : ModelCatalog.validate(modelType, shapeOk ? hp : Map.of())) {
            errors.add(FieldError.of(p.key().equals("model") ? "modelType" : "hyperparameters." + p.key(), p.message()));
        }
        return hp;
    }
}
