package dev.penchant.support.auth;

import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every REST endpoint needs a valid X-API-Key. /q/* (health, metrics, OpenAPI) are Vert.x routes,
 * not REST resources, so this filter never sees them and they stay open.
 */
public class ApiKeyFilter {
    public static final String HEADER = "X-API-Key";

    private final ApiKeyService keys;

    public ApiKeyFilter(ApiKeyService keys) {
        this.keys = keys;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext ctx) {
        if (!keys.enabled() || ctx.getUriInfo().getPath().startsWith("/q/")) {
            return Uni.createFrom().nullItem();
        }
        String key = ctx.getHeaderString(HEADER);
        String path = ctx.getUriInfo().getPath();
        if (key == null || key.isBlank()) {
            return Uni.createFrom().item(unauthorized("Missing " + HEADER + " header", path));
        }
        return keys.verify(key).map(ok -> ok ? null : unauthorized("Invalid or revoked API key", path));
    }

    private static Response unauthorized(String detail, String path) {
        return Response.fromResponse(Problems.response(new Problem(Problem.type("unauthorized"), "Unauthorized",
                401, detail, path, null))).header("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"").build();
    }
}
