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
        return response(new Problem(Problem.BLANK, reason(status), status, detail, instance, null));
    }

    public static Response invalid(String detail, List<Problem.FieldError> errors, String instance) {
        return response(new Problem(Problem.type("invalid-request"), "Invalid request", 400, detail, instance,
                errors == null || errors.isEmpty() ? null : errors));
    }
}
