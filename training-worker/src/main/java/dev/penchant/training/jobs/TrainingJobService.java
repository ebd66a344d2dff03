package dev.penchant.training.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.training.data.DatasetSpec;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Validates and submits jobs, and answers the API's questions about them. */
@ApplicationScoped
public class TrainingJobService {
    public static final Set<String> STATUSES = Set.of("queued", "running", "succeeded", "failed", "cancelled");

    /** The body of POST /v1/training-jobs; dataset defaults to "platform", seed to 42. */
    public record SubmitRequest(String modelType, String dataset, JsonNode hyperparameters, Long seed) {
    }

    private final JobQueue queue;

    public TrainingJobService(JobQueue queue) {
        this.queue = queue;
    }

    /** Model types a job may name: the catalogue's models and the baselines. */
    public static Set<String> knownModelTypes() {
        Set<String> known = new TreeSet<>(ModelCatalog.known());
        known.addAll(ModelCatalog.BASELINES);
        return known;
    }

    public JobQueue.JobView submit(SubmitRequest req) {
        if (req == null) throw ProblemException.badRequest("a JSON body is required", null);
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> known = knownModelTypes();
        if (req.modelType() == null || req.modelType().isBlank()) {
            errors.add(Problem.FieldError.of("modelType", "required; one of " + known));
        } else if (!known.contains(req.modelType())) {
            errors.add(Problem.FieldError.of("modelType", "unknown model type '" + req.modelType() + "'; one of " + known));
        }
        String dataset = req.dataset() == null ? DatasetSpec.PLATFORM : req.dataset();
        try {
            DatasetSpec.parse(dataset);
        } catch (IllegalArgumentException e) {
            errors.add(Problem.FieldError.of("dataset", e.getMessage()));
        }
        Map<String, String> hp = new LinkedHashMap<>();
        JsonNode h = req.hyperparameters();
        if (h != null && !h.isNull()) {
            if (!h.isObject()) {
                errors.add(Problem.FieldError.of("hyperparameters", "must be an object of name -> number, string or boolean"));
            } else {
                h.properties().forEach(e -> {
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        errors.add(Problem.FieldError.of("hyperparameters." + e.getKey(),
                                "must be a number, string or boolean"));
                    } else {
                        hp.put(e.getKey(), e.getValue().asText());
                    }
                });
            }
        }
        checkRunOptions(hp, known, errors);
        if (!errors.isEmpty()) throw ProblemException.badRequest("invalid training job", errors);
        long id = queue.submit(dataset, req.modelType(), hp, req.seed() == null ? 42L : req.seed());
        return get(id);
    }

    /** The keys the run itself reads (as the launcher's --set): caught here rather than failing the job later. */
    private static void checkRunOptions(Map<String, String> hp, Set<String> known, List<Problem.FieldError> errors) {
        Map<String, String> data = new LinkedHashMap<>();
        hp.forEach((k, v) -> {
            if (k.startsWith("data.")) data.put(k.substring("data.".length()), v);
        });
        try {
            PreprocessOptions.fromMap(data);
        } catch (IllegalArgumentException e) {
            errors.add(Problem.FieldError.of("hyperparameters", e.getMessage()));
        }
        String split = hp.getOrDefault("split", "loo");
        if (!List.of("loo", "leave-one-out", "temporal").contains(split)) {
            errors.add(Problem.FieldError.of("hyperparameters.split", "loo or temporal"));
        }
        if (hp.containsKey("baselines")) {
            for (String b : hp.get("baselines").split("\\s*,\\s*")) {
                if (!b.isBlank() && !known.contains(b)) {
                    errors.add(Problem.FieldError.of("hyperparameters.baselines", "unknown model '" + b + "'"));
                }
            }
        }
    }

    public JobQueue.JobView get(long id) {
        return queue.find(id).orElseThrow(() -> ProblemException.notFound("no training job " + id));
    }

    public List<JobQueue.JobView> list(String status, int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.badRequest("unknown status",
                    List.of(Problem.FieldError.of("status", "one of " + new TreeSet<>(STATUSES))));
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("bad limit", List.of(Problem.FieldError.of("limit", "1..1000")));
        }
        return queue.list(status, limit);
    }

    public JobQueue.JobView cancel(long id) {
        return switch (queue.requestCancel(id)) {
            case NOT_FOUND -> throw ProblemException.notFound("no training job " + id);
            case ALREADY_FINISHED -> throw ProblemException.conflict("training job " + id + " has already finished");
            case CANCELLED, REQUESTED -> get(id);
        };
    }
}
