package dev.penchant.admin;

import dev.penchant.support.problem.Problem;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF protection for every form of the console (double submit): each browser gets a random token in
 * an HttpOnly, SameSite=Strict cookie, every form carries it in the hidden field {@value #FIELD}, and
 * every state-changing request to /admin is refused (403) unless the two are present and equal. A
 * foreign site can make the browser send the cookie (not even that, with SameSite=Strict) but cannot
 * read it to fill the field. Also refuses a cross-origin Origin header. The check is {@link CsrfFilter}.
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

    static boolean valid(String v) {
        return v != null && v.length() == 43 && v.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '_');
    }

    static boolean sameOrigin(String origin, HttpServerRequest req) {
        try {
            URI o = URI.create(origin);
            String host = req.getHeader("Host");
            return host != null && o.getAuthority() != null && o.getAuthority().equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Response refuse(String path, String detail) {
        return Response.status(403).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("csrf"), "Forbidden", 403, detail, path, null)).build();
    }
}
