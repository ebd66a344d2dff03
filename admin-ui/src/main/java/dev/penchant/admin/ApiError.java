package dev.penchant.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.WebApplicationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * platform-api's refusal (its RFC 9457 problem) as a page shows it: the status, the detail, and the
 * message per field ("hyperparameters.epochs" -> "must be an integer in 1..1000, got 0").
 */
public record ApiError(int status, String detail, Map<String, String> fields) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public String field(String name) {
        return fields.get(name);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    /** Whether a failed call was platform-api answering with one of these statuses (a page shows those). */
    public static boolean answered(Throwable t, int... statuses) {
        ApiError e = of(t);
        if (e == null) return false;
        for (int s : statuses) if (e.status() == s) return true;
        return false;
    }

    /** The problem of a failed call; null for a failure that is not an HTTP answer (the caller rethrows). */
    public static ApiError of(Throwable t) {
        if (!(t instanceof WebApplicationException e)) return null;
        // a response body reads once: a predicate and a handler asking about one failure get one answer
        return READ.computeIfAbsent(e, ApiError::read);
    }

    private static final Map<Throwable, ApiError> READ = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    private static ApiError read(Throwable t) {
        WebApplicationException e = (WebApplicationException) t;
        int status = e.getResponse().getStatus();
        String detail = "platform-api answered " + status;
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            String body = e.getResponse().readEntity(String.class);
            JsonNode n = JSON.readTree(body);
            if (n.hasNonNull("detail")) detail = n.get("detail").asText();
            if (n.has("errors") && n.get("errors").isArray()) {
                for (JsonNode err : n.get("errors")) {
                    String f = err.path("field").asText("");
                    fields.merge(f, err.path("message").asText(""), (a, b) -> a + "; " + b);
                }
            }
        } catch (Exception ignored) {
            // no problem body: the status says it
        }
        return new ApiError(status, detail, fields);
    }
}
