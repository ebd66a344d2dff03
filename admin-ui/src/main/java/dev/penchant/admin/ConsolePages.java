package dev.penchant.admin;

import dev.penchant.support.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * The console's shell: the overview (counts, the model serving each surface, recent jobs, serving
 * figures from the inference nodes), login and logout. Server-rendered, no JavaScript needed.
 */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {
    public static final String LOGIN = "/admin/login";

    private final PlatformApi api;
    private final PlatformIdentities identities;
    private final Caller caller;
    private final ServingMetrics serving;
    private final ConsoleUiConfig config;

    public ConsolePages(PlatformApi api, PlatformIdentities identities, Caller caller, ServingMetrics serving,
                        ConsoleUiConfig config) {
        this.api = api;
        this.identities = identities;
        this.caller = caller;
        this.serving = serving;
        this.config = config;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(Shell shell, PlatformApi.Overview counts, List<PlatformApi.Model> promoted,
                                                List<PlatformApi.Job> jobs, List<ServingMetrics.NodeFigures> nodes);

        static native TemplateInstance overview$serving(Shell shell, List<ServingMetrics.NodeFigures> nodes);

        static native TemplateInstance login(Shell shell, String next, boolean failed);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Overview page: counts, the promoted models, recent jobs, serving QPS / p99 / fallback rate")
    public Uni<TemplateInstance> overview() {
        String a = caller.auth(), k = caller.key();
        return Uni.combine().all().unis(api.overview(a, k), api.models(a, k, null, "promoted", 20), api.jobs(a, k, null, 8),
                        serving.scrape())
                .with((counts, promoted, jobs, nodes) -> Templates.overview(caller.shell("overview"), counts, promoted, jobs, nodes));
    }

    /** The serving figures alone, for the overview's live refresh (htmx polls it). */
    @GET
    @Path("/serving")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Fragment: serving figures per inference node (the overview polls it)")
    public Uni<TemplateInstance> servingFragment() {
        return serving.scrape().map(nodes -> Templates.overview$serving(caller.shell("overview"), nodes));
    }

    @GET
    @Path("/login")
    @PermitAll
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Login page (a form; works without JavaScript)")
    public TemplateInstance loginPage(@QueryParam("next") String next) {
        return Templates.login(caller.anonymous("login"), safeNext(next), false);
    }

    @POST
    @Path("/login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Log in: sets the session cookie and redirects (303) to the page asked for")
    public Uni<Response> login(@FormParam("username") String username, @FormParam("password") String password,
                               @FormParam("next") String next, @FormParam(Csrf.FIELD) String csrf) {
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Uni.createFrom().item(failed(next));
        }
        return api.login(new PlatformApi.Login(username.strip(), password))
                .map(s -> Response.seeOther(URI.create(landing(safeNext(next), s.roles())))
                        .cookie(cookie(s.token(), Duration.between(Instant.now(), s.expiresAt()), config.cookieSecure())).build())
                .onFailure(WebApplicationException.class).recoverWithItem(e -> failed(next));
    }

    @POST
    @Path("/logout")
    @PermitAll
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Log out: ends the session on platform-api, clears the cookie, back to the login page")
    public Uni<Response> logout(@CookieParam(SessionCookieMechanism.COOKIE) String token, @FormParam(Csrf.FIELD) String csrf) {
        Response back = Response.seeOther(URI.create(LOGIN)).cookie(cookie("", Duration.ZERO, config.cookieSecure())).build();
        if (token == null || token.isBlank()) return Uni.createFrom().item(back);
        identities.forget(new Credentials(token, null));
        return api.logout("Bearer " + token).replaceWith(back).onFailure().recoverWithItem(back);
    }

    private Response failed(String next) {
        return Response.status(401).type(MediaType.TEXT_HTML).entity(Templates.login(caller.anonymous("login"), safeNext(next), true)).build();
    }

    /** The overview is for readers; a user who holds only the privacy role starts on the privacy requests. */
    static String landing(String next, List<String> roles) {
        boolean reader = roles.contains(Roles.ADMIN) || roles.contains(Roles.ANALYST);
        return next.equals("/admin") && !reader && roles.contains(Roles.PRIVACY) ? "/admin/privacy" : next;
    }

    /** Only a console path: a login link must not send the browser elsewhere (open redirect). */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/admin") || next.startsWith("//") || next.contains("\\") || next.startsWith(LOGIN)) {
            return "/admin";
        }
        return next;
    }

    static NewCookie cookie(String token, Duration maxAge, boolean secure) {
        return new NewCookie.Builder(SessionCookieMechanism.COOKIE).value(token).path("/admin").httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).secure(secure).maxAge((int) Math.max(0, maxAge.toSeconds())).build();
    }
}
