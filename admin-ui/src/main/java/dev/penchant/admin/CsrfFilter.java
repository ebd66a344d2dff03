package dev.penchant.admin;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/** {@link Csrf}'s check, on every state-changing request of the console (no configuration: built at start). */
public class CsrfFilter {
    /** Runs after the body is read, before the resource method; any non-GET under /admin needs the token. */
    @ServerRequestFilter(readBody = true)
    public Response check(ResteasyReactiveContainerRequestContext ctx, RoutingContext rc) {
        String method = ctx.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method)) return null;
        String path = rc.normalizedPath();
        if (!path.startsWith("/admin")) return null;
        HttpServerRequest req = rc.request();
        // only an ambient credential (the session cookie) can be abused cross-site; the login form is
        // checked too (login CSRF). A request with a header credential and no cookie carries its own proof.
        if (req.getCookie(SessionCookieMechanism.COOKIE) == null && !path.equals(ConsolePages.LOGIN)) return null;
        String origin = req.getHeader("Origin");
        if (origin != null && !origin.equals("null") && !Csrf.sameOrigin(origin, req)) {
            return Csrf.refuse(path, "Cross-origin form post refused (Origin " + origin + ")");
        }
        Cookie c = req.getCookie(Csrf.COOKIE);
        String sent = null;
        FormData form = ((ResteasyReactiveRequestContext) ctx.getServerRequestContext()).getFormData();
        if (form != null) {
            FormValue v = form.getFirst(Csrf.FIELD);
            if (v != null && !v.isFileItem()) sent = v.getValue();
        }
        if (sent == null) sent = req.getHeader("X-CSRF-Token");
        if (c == null || !Csrf.valid(c.getValue()) || sent == null
                || !MessageDigest.isEqual(c.getValue().getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
            return Csrf.refuse(path, "CSRF token missing or wrong: reload the page and submit the form again");
        }
        return null;
    }

}
