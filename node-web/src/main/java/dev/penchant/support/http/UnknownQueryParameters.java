package dev.penchant.support.http;

import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.ProblemException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A query parameter the resource method does not declare is an error (400 naming it), not something
 * silently ignored: a typo such as {@code ?limt=5} would otherwise look like it worked.
 */
public class UnknownQueryParameters {
    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    @ServerRequestFilter
    public void check(ContainerRequestContext ctx, ResourceInfo resource) {
        Set<String> sent = ctx.getUriInfo().getQueryParameters().keySet();
        Method m = resource == null ? null : resource.getResourceMethod();
        if (sent.isEmpty() || m == null) return;
        Set<String> known = declared.computeIfAbsent(m, UnknownQueryParameters::queryParams);
        List<Problem.FieldError> errors = new ArrayList<>();
        for (String name : new TreeSet<>(sent)) {
            if (!known.contains(name)) {
                errors.add(Problem.FieldError.of(name.length() > 100 ? name.substring(0, 100) : name,
                        "unknown query parameter" + (known.isEmpty() ? "; this operation takes none"
                                : "; known: " + String.join(", ", new TreeSet<>(known)))));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("Unknown query parameter(s)", errors);
        }
    }

    private static Set<String> queryParams(Method m) {
        Set<String> names = new HashSet<>();
        for (Annotation[] params : m.getParameterAnnotations()) {
            for (Annotation a : params) {
                if (a instanceof QueryParam q) names.add(q.value());
            }
        }
        return Set.copyOf(names);
    }
}
