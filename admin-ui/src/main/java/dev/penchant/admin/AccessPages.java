package dev.penchant.admin;

import dev.penchant.support.security.Roles;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Data and access: API keys (created: the secret is shown on that one answer, never stored or shown
 * again; revoke), console users (create, disable) and the audit log with filters.
 */
@Path("/admin/access")
@Produces(MediaType.TEXT_HTML)
public class AccessPages {
    private final PlatformApi api;
    private final Caller caller;

    public AccessPages(PlatformApi api, Caller caller) {
        this.api = api;
        this.caller = caller;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance access(Shell shell, List<PlatformApi.ApiKey> keys, List<PlatformApi.ConsoleUser> users,
                                              List<String> roles, PlatformApi.CreatedKey created, String message, ApiError error);

        static native TemplateInstance audit(Shell shell, PlatformApi.AuditPage page, String actor, String action,
                                             String since, String until, ApiError error);
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "API keys and console users")
    public Uni<TemplateInstance> access(@QueryParam("msg") String message) {
        return page(null, message, null).map(r -> (TemplateInstance) r.getEntity());
    }

    private Uni<Response> page(PlatformApi.CreatedKey created, String message, ApiError error) {
        String a = caller.auth(), k = caller.key();
        return Uni.combine().all().unis(api.apiKeys(a, k), api.consoleUsers(a, k)).with((keys, users) -> {
            Response.ResponseBuilder b = Response.status(error == null ? (created == null ? 200 : 201) : error.status())
                    .type(MediaType.TEXT_HTML).entity(Templates.access(caller.shell("access"), keys, users, Roles.ALL.stream().sorted().toList(),
                            created, message, error));
            // the page with a new key's secret must not be kept by the browser or a proxy
            if (created != null) b.header("Cache-Control", "no-store");
            return b.build();
        });
    }

    @POST
    @Path("/api-keys")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an API key: this answer shows its secret, once")
    public Uni<Response> createKey(@FormParam("name") String name, @FormParam("roles") List<String> roles,
                                   @FormParam("expiresAt") String expiresAt, @FormParam(Csrf.FIELD) String csrf) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.strip());
        body.put("roles", roles == null ? List.of() : roles);
        if (expiresAt != null && !expiresAt.isBlank()) body.put("expiresAt", expiresAt.strip());
        return api.createApiKey(caller.auth(), caller.key(), body)
                .flatMap(created -> page(created, null, null))
                .onFailure(e -> status(e) == 400 || status(e) == 409).recoverWithUni(e -> page(null, null, ApiError.of(e)));
    }

    @POST
    @Path("/api-keys/{name}/revoke")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke an API key")
    public Uni<Response> revokeKey(@PathParam("name") String name, @FormParam(Csrf.FIELD) String csrf) {
        return api.revokeApiKey(caller.auth(), caller.key(), name).replaceWith(back("Revoked key " + name))
                .onFailure(e -> status(e) == 404).recoverWithUni(e -> page(null, null, ApiError.of(e)));
    }

    @POST
    @Path("/console-users")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a console user")
    public Uni<Response> createUser(@FormParam("username") String username, @FormParam("password") String password,
                                    @FormParam("roles") List<String> roles, @FormParam(Csrf.FIELD) String csrf) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username == null ? "" : username.strip());
        body.put("password", password == null ? "" : password);
        body.put("roles", roles == null ? List.of() : roles);
        return api.createConsoleUser(caller.auth(), caller.key(), body).replaceWith(back("Created console user " + username))
                .onFailure(e -> status(e) == 400 || status(e) == 409).recoverWithUni(e -> page(null, null, ApiError.of(e)));
    }

    @POST
    @Path("/console-users/{username}/disable")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Disable a console user (ends their sessions)")
    public Uni<Response> disableUser(@PathParam("username") String username, @FormParam(Csrf.FIELD) String csrf) {
        return api.disableConsoleUser(caller.auth(), caller.key(), username).replaceWith(back("Disabled " + username))
                .onFailure(e -> status(e) == 404).recoverWithUni(e -> page(null, null, ApiError.of(e)));
    }

    @GET
    @Path("/audit")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "The audit log, newest first, filtered by actor, action and time; paged")
    public Uni<Response> audit(@QueryParam("actor") String actor, @QueryParam("action") String action,
                               @QueryParam("since") String since, @QueryParam("until") String until,
                               @QueryParam("cursor") String cursor) {
        String ac = blank(actor), an = blank(action), s = blank(since), u = blank(until);
        return api.audit(caller.auth(), caller.key(), ac, an, s, u, 50, blank(cursor))
                .map(p -> Response.ok(Templates.audit(caller.shell("audit"), p, ac, an, s, u, null)).build())
                .onFailure(e -> status(e) == 400).recoverWithItem(e -> Response.status(400).type(MediaType.TEXT_HTML)
                        .entity(Templates.audit(caller.shell("audit"), new PlatformApi.AuditPage(List.of(), null), ac, an, s, u,
                                ApiError.of(e))).build());
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static int status(Throwable e) {
        ApiError a = ApiError.of(e);
        return a == null ? -1 : a.status();
    }

    private static Response back(String message) {
        return Forms.seeOther("/admin/access", "msg", message);
    }
}
