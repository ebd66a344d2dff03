package dev.penchant.admin;

import dev.penchant.support.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * The console's shell: the overview (from platform-api's REST API), login and logout. Server-rendered,
 * no JavaScript needed. Further pages come with the console work.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {
    public static final String LOGIN = "/admin/login";

    private final PlatformApi api;
    private final PlatformIdentities identities;
    private final SecurityIdentity identity;

    public ConsolePages(PlatformApi api, PlatformIdentities identities, SecurityIdentity identity) {
        this.api = api;
        this.identities = identities;
        this.identity = identity;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(String user, PlatformApi.Overview counts);

        static native TemplateInstance login(String next, boolean failed);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Overview page: counts of users, items, events, jobs, models, privacy requests")
    public Uni<TemplateInstance> overview() {
        Credentials c = Credentials.of(identity);
        return api.overview(c.authorization(), c.apiKey())
                .map(counts -> Templates.overview(identity.getPrincipal().getName(), counts));
    }

    @GET
    @Path("/login")
    @PermitAll
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Login page (a form; works without JavaScript)")
    public TemplateInstance loginPage(@QueryParam("next") String next) {
        return Templates.login(safeNext(next), false);
    }

    @POST
    @Path("/login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Log in: sets the session cookie and redirects (303) to the page asked for")
    public Uni<Response> login(@FormParam("username") String username, @FormParam("password") String password,
                               @FormParam("next") String next, @Context UriInfo uri) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Uni.createFrom().item(failed(next));
        }
        return api.login(new PlatformApi.Login(username.strip(), password))
                .map(s -> Response.seeOther(URI.create(safeNext(next)))
                        .cookie(cookie(s.token(), Duration.between(Instant.now(), s.expiresAt()), secure(uri))).build())
                .onFailure(WebApplicationException.class).recoverWithItem(e -> failed(next));
    }

    @POST
    @Path("/logout")
    @PermitAll
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Log out: ends the session on platform-api, clears the cookie, back to the login page")
    public Uni<Response> logout(@CookieParam(SessionCookieMechanism.COOKIE) String token, @Context UriInfo uri) {
        Response back = Response.seeOther(URI.create(LOGIN)).cookie(cookie("", Duration.ZERO, secure(uri))).build();
        if (token == null || token.isBlank()) return Uni.createFrom().item(back);
        identities.forget(new Credentials(token, null));
        return api.logout("Bearer " + token).replaceWith(back).onFailure().recoverWithItem(back);
    }

    private static Response failed(String next) {
        return Response.status(401).type(MediaType.TEXT_HTML).entity(Templates.login(safeNext(next), true)).build();
    }

    /** Only a console path: a login link must not send the browser elsewhere (open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/admin") || next.startsWith("//") || next.contains("\\") || next.startsWith(LOGIN)) {
            return "/admin";
        }
        return next;
    }

    static boolean secure(UriInfo uri) {
        return uri != null && "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
    }

    static NewCookie cookie(String token, Duration maxAge, boolean secure) {
        return new NewCookie.Builder(SessionCookieMechanism.COOKIE).value(token).path("/admin").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(secure).maxAge((int) Math.max(0, maxAge.toSeconds())).build();
    }
}
