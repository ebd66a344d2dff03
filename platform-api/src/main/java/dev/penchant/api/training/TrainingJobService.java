package dev.penchant.api.training;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.api.events.EventBatchParser;
import dev.penchant.support.audit.AuditLog;
import dev.penchant.support.problem.Problem.FieldError;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.training.queue.DatasetFilter;
import dev.penchant.training.queue.JobQueue;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Validates and queues jobs (audited), answers the API's questions about them, cancels them (audited). */
@Singleton
public class TrainingJobService {
    /** The body of POST /v1/training-jobs; name defaults to the model type, dataset to every event, seed to 42. */
    public record SubmitRequest(String modelType, JsonNode dataset, JsonNode hyperparameters, Long seed, JsonNode name) {
    }

    /** What a model may be named (also checked by the schema); versions count per name. */
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final JobQueue queue;
    private final Set<String> eventTypes;

    public TrainingJobService(JobQueue queue, EventBatchParser events) {
        this.queue = queue;
        this.eventTypes = events.types();
    }

    public JobQueue.JobView submit(SubmitRequest req, String actor) {
        if (req == null) throw ProblemException.badRequest("A JSON body is required", null);
        List<FieldError> errors = new ArrayList<>();
        // a JsonNode, not a String: Jackson would turn "name": 7 into "7"
        String name = req.name() == null || req.name().isNull() ? null : req.name().isTextual() ? req.name().asText() : "";
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(FieldError.of("name", "1 to 100 characters: letters, digits, '.', '_', '-', starting with a letter or digit"));
        }
        Map<String, String> hp = JobValidation.validate(req.modelType(), req.hyperparameters(), errors);
        DatasetFilter dataset = DatasetFilter.parse(req.dataset(), (field, message) -> errors.add(FieldError.of(field, message)));
        if (dataset != null && dataset.eventTypes() != null) {
            for (int i = 0; i < dataset.eventTypes().size(); i++) {
                if (!eventTypes.contains(dataset.eventTypes().get(i))) {
                    errors.add(FieldError.of("dataset.eventTypes[" + i + "]", "unknown event type; known: " + new TreeSet<>(eventTypes)));
                }
            }
        }
        if (!errors.isEmpty()) throw ProblemException.badRequest("Invalid training job: " + errors.size() + " invalid field(s)", errors);
        long seed = req.seed() == null ? 42L : req.seed();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name == null ? req.modelType() : name);
        details.put("modelType", req.modelType());
        details.put("dataset", dataset.toMap());
        long id = queue.submit(dataset, name, req.modelType(), hp, seed, actor, jobId -> c -> AuditLog.write(c,
                new AuditLog.Entry(actor, "training-job.submitted", Long.toString(jobId), details)));
        return get(id);
    }

    public JobQueue.JobView get(long id) {
        return queue.find(id).orElseThrow(() -> ProblemException.notFound("No training job " + id));
    }

    public List<JobQueue.JobView> list(String status, String limit) {
        String s = QueryParams.oneOf("status", status, JobQueue.STATUSES);
        return queue.list(s, QueryParams.integer("limit", limit, 100, 1, 1000));
    }

    public JobQueue.JobView cancel(long id, String actor) {
        JobQueue.CancelOutcome outcome = queue.requestCancel(id, c -> AuditLog.write(c,
                new AuditLog.Entry(actor, "training-job.cancelled", Long.toString(id), Map.of())));
        return switch (outcome) {
            case NOT_FOUND -> throw ProblemException.notFound("No training job " + id);
            case ALREADY_FINISHED -> throw ProblemException.conflict("Training job " + id + " has already finished");
            case CANCELLED, REQUESTED -> get(id);
        };
    }
}
