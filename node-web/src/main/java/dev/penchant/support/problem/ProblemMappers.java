package dev.penchant.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import dev.penchant.support.security.CredentialMechanism;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every error a REST endpoint of any node can raise into application/problem+json.
 * Registered globally because the node-support jar is Jandex-indexed.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response r = Problems.response(e.toProblem(path(uri)));
        if (e.retryAfterSeconds() == null) return r;
        return Response.fromResponse(r).header("Retry-After", Integer.toString(e.retryAfterSeconds())).build();
    }

    /** The database is away (refused, lost, shutting down): 503 with Retry-After, logged without a stack trace. */
    public static Response databaseUnavailable(Throwable e, String path) {
        LOG.warnf("database unavailable at %s: %s", path, e.toString());
        return Response.fromResponse(Problems.response(503,
                        "The database is unavailable; retry after " + DatabaseUnavailable.RETRY_AFTER_SECONDS + " s", path))
                .header("Retry-After", Integer.toString(DatabaseUnavailable.RETRY_AFTER_SECONDS)).build();
    }

    /** No credential on a method that needs a role. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return unauthorized("No credential: send an X-API-Key header or Authorization: Bearer <session token>", path(uri));
    }

    /** A credential that is unknown, expired or revoked (which of these is not said). */
    @ServerExceptionMapper
    public Response badCredential(AuthenticationFailedException e, UriInfo uri) {
        // an identity provider that could not ask the database: not the credential's fault (security may wrap it)
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof ProblemException p) return problem(p, uri);
        }
        if (DatabaseUnavailable.is(e)) return databaseUnavailable(e, path(uri));
        return unauthorized("Invalid, expired or revoked credential", path(uri));
    }

    /** A valid credential without the role the method needs. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, ResourceInfo resource) {
        String[] roles = rolesOf(resource);
        String needs = roles == null ? "" : "; it needs one of: " + String.join(", ", roles);
        return Problems.response(new Problem(Problems.type(403), "Forbidden", 403,
                "Your credential lacks the role for this operation" + needs, path(uri), null));
    }

    public static Response unauthorized(String detail, String path) {
        return Response.fromResponse(Problems.response(new Problem(Problems.type(401), "Unauthorized", 401,
                detail, path, null))).header("WWW-Authenticate", CredentialMechanism.CHALLENGE).build();
    }

    private static String[] rolesOf(ResourceInfo resource) {
        if (resource == null) return null;
        Method m = resource.getResourceMethod();
        RolesAllowed r = m == null ? null : m.getAnnotation(RolesAllowed.class);
        if (r == null && resource.getResourceClass() != null) {
            r = resource.getResourceClass().getAnnotation(RolesAllowed.class);
        }
        return r == null ? null : r.value();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "No resource at " + path(uri);
            case 405 -> "Method not allowed on " + path(uri);
            case 406 -> "No acceptable representation; this API produces application/json";
            case 415 -> "Unsupported content type; send application/json";
            default -> e.getMessage();
        };
        Response.ResponseBuilder b = Response.fromResponse(Problems.response(status, detail, path(uri)));
        if (e.getResponse() != null && e.getResponse().getHeaderString("Allow") != null) {
            b.header("Allow", e.getResponse().getHeaderString("Allow"));
        }
        return b.build();
    }

    // Jackson's databind errors arrive unwrapped (MismatchedInputException and subclasses).
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response violations(ResteasyReactiveViolationException e, UriInfo uri) {
        return violation(e, uri);
    }

    @ServerExceptionMapper
    public Response violation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        boolean returnValue = false;
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            for (Path.Node n : v.getPropertyPath()) {
                if (n.getKind() == ElementKind.RETURN_VALUE) {
                    returnValue = true;
                }
            }
            errors.add(fieldError(v));
        }
        if (returnValue) { // our bug, not the client's
            LOG.errorf(e, "response failed validation at %s", path(uri));
            return Problems.response(500, "The server produced an invalid response", path(uri));
        }
        errors.sort(Comparator.comparing((Problem.FieldError f) -> f.index() == null ? -1 : f.index())
                .thenComparing(Problem.FieldError::field));
        return Problems.invalid(errors.size() + " invalid field(s)", errors, path(uri));
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        return unexpected(e, sqlState(e), path(uri));
    }

    /**
     * A 500 with a reference id that is also in the log (with the stack trace, which the client never
     * sees) - unless the database refused a character (NUL), which is the client's input: 400.
     */
    public static Response unexpected(Throwable e, String sqlState, String path) {
        if (DatabaseUnavailable.is(e)) return databaseUnavailable(e, path);
        if (UNSTORABLE_TEXT.contains(String.valueOf(sqlState))) {
            return Problems.invalid("A text value holds a character the database cannot store (NUL, U+0000)", null, path);
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s at %s", id, path);
        return Problems.response(500, "Unexpected error; reference " + id, path);
    }

    /** PostgreSQL's "character not in repertoire" (NUL in text) and "untranslatable character" (\u0000 in jsonb). */
    static final java.util.Set<String> UNSTORABLE_TEXT = java.util.Set.of("22021", "22P05");

    /** The SQLState of the first java.sql.SQLException among e and its causes, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException s) return s.getSQLState();
        }
        return null;
    }

    static Response json(JsonProcessingException e, UriInfo uri) {
        if (e instanceof StreamConstraintsException) {
            return Problems.response(413, "JSON document too large", path(uri));
        }
        if (e instanceof InputCoercionException) {
            // a number too large for its field; Jackson's own text names Java types, not the field
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            String field = fieldAt(e);
            return Problems.invalid("A number is out of range" + where, List.of(Problem.FieldError.of(field,
                    "number out of range")), path(uri));
        }
        if (e instanceof StreamReadException || !(e instanceof JsonMappingException m)) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            return Problems.response(new Problem(Problem.type("malformed-json"), "Malformed JSON", 400,
                    "Request body is not valid JSON" + where + ": " + e.getOriginalMessage(), path(uri), null));
        }
        Located at = locate(m.getPath());
        String message;
        if (m.getCause() instanceof InputCoercionException) {
            message = "number out of range";
        } else if (m instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'";
            at = locate(m.getPath()); // the path already ends with the unknown name
        } else if (m instanceof InvalidFormatException f && f.getValue() instanceof String v && v.indexOf('\u0000') >= 0) {
            message = NUL_MESSAGE;
        } else if (m instanceof InvalidFormatException f) {
            message = "cannot read '" + f.getValue() + "' as " + typeName(f.getTargetType());
        } else if (m instanceof InvalidTypeIdException) {
            message = "unknown type id";
        } else if (m instanceof MismatchedInputException mi) {
            message = mi.getTargetType() == null ? "wrong JSON type" : "expected " + typeName(mi.getTargetType());
        } else if (m instanceof ValueInstantiationException vi) {
            message = vi.getCause() == null ? "invalid value" : vi.getCause().getMessage();
        } else {
            message = m.getOriginalMessage();
        }
        if (at.field.isEmpty() && at.index == null) {
            return Problems.invalid("Request body has the wrong shape: " + message, null, path(uri));
        }
        return Problems.invalid("Invalid field " + (at.field.isEmpty() ? "(the element itself)" : at.field),
                List.of(new Problem.FieldError(at.field.isEmpty() ? "$" : at.field, at.index, message)), path(uri));
    }

    /** What a string holding U+0000 is told: PostgreSQL text and jsonb cannot store it. */
    public static final String NUL_MESSAGE = "must not contain the NUL character (U+0000)";
    /** For {@code @Pattern} on path parameters: any text without U+0000. */
    public static final String NO_NUL = "[^\\u0000]*";

    private record Located(String field, Integer index) {
    }

    /** The current field name of the parser that raised e, or "$" when unknown. */
    private static String fieldAt(JsonProcessingException e) {
        try {
            if (e.getProcessor() instanceof com.fasterxml.jackson.core.JsonParser p && p.currentName() != null) {
                return p.currentName();
            }
        } catch (Exception ignored) {
            // the parser may be closed; fall back
        }
        return "$";
    }

    /** Splits a Jackson path into the batch index (a leading array position) and the field path. */
    private static Located locate(List<JsonMappingException.Reference> refs) {
        Integer index = null;
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < refs.size(); i++) {
            JsonMappingException.Reference r = refs.get(i);
            if (r.getFieldName() != null) {
                if (field.length() > 0) {
                    field.append('.');
                }
                field.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                if (i == 0) {
                    index = r.getIndex();
                } else {
                    field.append('[').append(r.getIndex()).append(']');
                }
            }
        }
        return new Located(field.toString(), index);
    }

    private static Problem.FieldError fieldError(ConstraintViolation<?> v) {
        Integer index = null;
        StringBuilder field = new StringBuilder();
        boolean inBody = false;
        for (Path.Node n : v.getPropertyPath()) {
            switch (n.getKind()) {
                case METHOD, CONSTRUCTOR, RETURN_VALUE, CROSS_PARAMETER -> {
                }
                case PARAMETER -> {
                    inBody = true;
                    if (!n.getName().startsWith("arg") && !"body".equals(n.getName())) {
                        field.append(n.getName()); // a path or query parameter
                    }
                }
                default -> {
                    // a list parameter's elements: the first index is the batch position
                    if (inBody && index == null && field.length() == 0 && n.getIndex() != null) {
                        index = n.getIndex();
                    } else if (n.getIndex() != null) {
                        field.append('[').append(n.getIndex()).append(']');
                    } else if (n.getKey() != null) {
                        field.append('[').append(n.getKey()).append(']');
                    }
                    if (n.getName() != null && !n.getName().startsWith("<")) {
                        if (field.length() > 0) {
                            field.append('.');
                        }
                        field.append(n.getName());
                    }
                }
            }
        }
        return new Problem.FieldError(field.length() == 0 ? "$" : field.toString(), index, v.getMessage());
    }

    private static String typeName(Class<?> c) {
        if (c == null) {
            return "the expected type";
        }
        if (Number.class.isAssignableFrom(c) || (c.isPrimitive() && c != boolean.class)) {
            return "a number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "a boolean";
        }
        if (c == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(c) || c.isArray()) {
            return "an array";
        }
        if (java.util.Map.class.isAssignableFrom(c) || c.isRecord()) {
            return "an object";
        }
        if (java.time.temporal.Temporal.class.isAssignableFrom(c)) {
            return "an ISO-8601 timestamp";
        }
        return c.getSimpleName();
    }

    static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}
