package dev.penchant.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response of every node.
 *
 * @param type     a URI naming the kind of problem (never about:blank; see {@link Problems#type(int)})
 * @param errors   one entry per bad field; empty or absent when the problem is not about input
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, String instance,
                      List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Base for the type URIs of Penchant's own problems; they need not resolve. */
    public static final String TYPE_BASE = "https://penchant.dev/problems/";

    public static URI type(String slug) {
        return URI.create(TYPE_BASE + slug);
    }

    /**
     * One bad input field.
     *
     * @param field   the field's path inside its object, e.g. "timestamp" or "context.page"
     * @param index   position of the object in a batch; null when the body was one object
     * @param message what is wrong, in words
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, Integer index, String message) {
        public static FieldError of(String field, String message) {
            return new FieldError(field, null, message);
        }
    }
}
