package dev.penchant.admin;

import dev.penchant.support.problem.Problem;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.core.multipart.FormData;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/**
 * CSRF protection for every form of the console (double submit): each browser gets a random token in
 * an HttpOnly, SameSite=Strict cookie, every form carries it in the hidden field {@value #FIELD}, and
 * every state-changing request to /admin is refused (403) unless the two are present and equal. A
 * foreign site can make the browser send the cookie (not even that, with SameSite=Strict) but cannot
 * read it to fill the field. Also refuses a cross-origin Origin header.
 */
@Singleton
public class Csrf {
    public static final String COOKIE = "penchant_csrf";
    public static final String FIELD = "_csrf";
    static final String ATTRIBUTE = "penchant.console.csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConsoleUiConfig config;

    public Csrf(ConsoleUiConfig config) {
        this.config = config;
    }

    /** This browser's token: its cookie's, or a fresh one that is set on the response. */
    public String token(RoutingContext rc) {
        Object known = rc.get(ATTRIBUTE);
        if (known instanceof String s) return s;
        Cookie c = rc.request().getCookie(COOKIE);
        String token = c != null && valid(c.getValue()) ? c.getValue() : null;
        if (token == null) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
            rc.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/admin").setHttpOnly(true)
                    .setSecure(config.cookieSecure()).setSameSite(CookieSameSite.STRICT));
        }
        rc.put(ATTRIBUTE, token);
        return token;
    }

    private static boolean valid(String v) {
        return v != null && v.length() == 43 && v.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '_');
    }

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
        if (origin != null && !origin.equals("null") && !sameOrigin(origin, req)) {
            return refuse(path, "Cross-origin form post refused (Origin " + origin + ")");
        }
        Cookie c = req.getCookie(COOKIE);
        String sent = null;
        FormData form = ((ResteasyReactiveRequestContext) ctx.getServerRequestContext()).getFormData();
        if (form != null) {
            FormValue v = form.getFirst(FIELD);
            if (v != null && !v.isFileItem()) sent = v.getValue();
        }
        if (sent == null) sent = req.getHeader("X-CSRF-Token");
        if (c == null || !valid(c.getValue()) || sent == null
                || !MessageDigest.isEqual(c.getValue().getBytes(StandardCharsets.US_ASCII), sent.getBytes(StandardCharsets.US_ASCII))) {
            return refuse(path, "CSRF token missing or wrong: reload the page and submit the form again");
        }
        return null;
    }

    private static boolean sameOrigin(String origin, HttpServerRequest req) {
        try {
            URI o = URI.create(origin);
            String host = req.getHeader("Host");
            return host != null && o.getAuthority() != null && o.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Response refuse(String path, String detail) {
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("csrf"), "Forbidden", 403, detail, path, null)).build();
    }
}
