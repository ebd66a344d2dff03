package dev.penchant.admin;

import dev.penchant.support.problem.ProblemMappers;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A browser without a (valid) session goes to the login page and comes back afterwards; an API
 * client (no text/html in Accept) gets node-web's 401 problem.
 */
public class LoginRedirect {
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response unauthenticated(UnauthorizedException e, UriInfo uri, HttpHeaders headers) {
        return answer(uri, headers, false);
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response badSession(AuthenticationFailedException e, UriInfo uri, HttpHeaders headers) {
        return answer(uri, headers, true);
    }

    /**
     * A refusal from platform-api that the page did not handle itself (a job or model that does not
     * exist, a role platform-api refuses): its status and detail, not a 500.
     */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response platformRefused(org.jboss.resteasy.reactive.ClientWebApplicationException e, UriInfo uri) {
        ApiError err = ApiError.of(e);
        int status = err == null ? 502 : err.status() >= 500 ? 502 : err.status();
        return dev.penchant.support.problem.Problems.response(status, err == null ? "platform-api failed" : err.detail(),
                "/" + uri.getPath().replaceFirst("^/", ""));
    }

    private static boolean secureCookies() {
        return io.quarkus.arc.Arc.container().instance(ConsoleUiConfig.class).get().cookieSecure();
    }

    private static Response answer(UriInfo uri, HttpHeaders headers, boolean clearCookie) {
        String path = "/" + uri.getPath().replaceFirst("^/", "");
        String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
        if (accept == null || !accept.contains("text/html")) {
            return ProblemMappers.unauthorized(clearCookie ? "Invalid, expired or revoked credential"
                    : "No credential: log in, or send an X-API-Key header or Authorization: Bearer <session token>", path);
        }
        String query = uri.getRequestUri().getRawQuery();
        String next = path + (query == null ? "" : "?" + query);
        Response.ResponseBuilder b = Response.seeOther(URI.create(ConsolePages.LOGIN + "?next="
                + URLEncoder.encode(ConsolePages.safeNext(next), StandardCharsets.UTF_8)));
        if (clearCookie) b.cookie(ConsolePages.cookie("", java.time.Duration.ZERO, secureCookies()));
        return b.build();
    }
}
