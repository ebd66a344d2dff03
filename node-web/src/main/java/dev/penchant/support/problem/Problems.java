package dev.penchant.support.problem;

import jakarta.ws.rs.core.Response;
import java.util.List;

/** Builds problem responses. */
public final class Problems {
    private Problems() {
    }

    public static String reason(int status) {
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        Response.StatusType known = Response.Status.fromStatusCode(status);
        if (status == 413) {
            return "Content Too Large";
        }
        if (status == 422) {
            return "Unprocessable Content";
        }
        if (status == 429) {
            return "Too Many Requests";
        }
        return known != null ? known.getReasonPhrase() : family.name();
    }

    public static Response response(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    public static Response response(int status, String detail, String instance) {
        return response(new Problem(type(status), reason(status), status, detail, instance, null));
    }

    /** A specific type URI per status, so clients can switch on it (never about:blank). */
    public static java.net.URI type(int status) {
        return Problem.type(switch (status) {
            case 400 -> "invalid-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "content-too-large";
            case 414 -> "uri-too-long";
            case 415 -> "unsupported-media-type";
            case 429 -> "too-many-requests";
            case 500 -> "internal-error";
            case 503 -> "unavailable";
            default -> "http-" + status;
        });
    }

    public static Response invalid(String detail, List<Problem.FieldError> errors, String instance) {
        return response(new Problem(Problem.type("invalid-request"), "Invalid request", 400, detail, instance,
                errors == null || errors.isEmpty() ? null : errors));
    }
}
