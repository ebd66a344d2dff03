package dev.penchant.support.problem;

import java.net.URI;
import java.util.List;

/** What services throw to answer with a problem; {@link ProblemMappers} turns it into the response. */
public class ProblemException extends RuntimeException {
    private final int status;
    private final URI type;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Integer retryAfterSeconds;

    public ProblemException(int status, URI type, String title, String detail, List<Problem.FieldError> errors) {
        this(status, type, title, detail, errors, null);
    }

    private ProblemException(int status, URI type, String title, String detail, List<Problem.FieldError> errors,
                             Integer retryAfterSeconds) {
        super(detail, null, false, false); // control flow, not a bug: no stack trace
        this.retryAfterSeconds = retryAfterSeconds;
        this.status = status;
        this.type = type == null ? Problems.type(status) : type;
        this.title = title == null ? Problems.reason(status) : title;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
    }

    public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(400, Problem.type("invalid-request"), "Invalid request", detail, errors);
    }

    /** One bad field (a query parameter, a body field): the detail says what, the error names it. */
    public static ProblemException badField(String field, String message) {
        return badRequest("Invalid " + field + ": " + message, List.of(Problem.FieldError.of(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, null, null, detail, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, null, null, detail, null);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, null, null, detail, null);
    }

    /** 503 with Retry-After: a dependency (the database) is away; the same request is expected to work later. */
    public static ProblemException unavailable(String detail, int retryAfterSeconds) {
        return new ProblemException(503, null, null, detail, null, retryAfterSeconds);
    }

    /** Seconds for a Retry-After header, or null for none. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance, errors);
    }
}
