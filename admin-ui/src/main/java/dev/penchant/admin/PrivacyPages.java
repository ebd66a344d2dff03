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
 * Privacy requests (role privacy; admin holds every role): the list with status and overdue filters,
 * a form for a deletion or export request, a request's page with its step, per-store counts and
 * verification (live while it runs), and the export document's download. The user id typed in the
 * form goes to platform-api only; the pages show the request's keyed hash, never the id.
 */
@Path("/admin/privacy")
@Produces(MediaType.TEXT_HTML)
public class PrivacyPages {
    static final List<String> STATUSES = List.of("received", "in_progress", "completed", "failed");
    static final List<String> KINDS = List.of("delete", "export");

    private final PlatformApi api;
    private final Caller caller;

    public PrivacyPages(PlatformApi api, Caller caller) {
        this.api = api;
        this.caller = caller;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Shell shell, List<PlatformApi.PrivacyRequest> requests, String status,
                                            boolean overdue, List<String> statuses, String next);

        static native TemplateInstance create(Shell shell, List<String> kinds, String kind, ApiError error);

        static native TemplateInstance request(Shell shell, PlatformApi.PrivacyRequest request, String message);

        static native TemplateInstance request$state(Shell shell, PlatformApi.PrivacyRequest request);
    }

    @GET
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "Privacy requests page: newest first; filter by status, or overdue (open past the deadline, or failed)")
    public Uni<TemplateInstance> list(@QueryParam("status") String status, @QueryParam("overdue") boolean overdue,
                                      @QueryParam("cursor") String cursor) {
        String s = status == null || status.isBlank() ? null : status;
        return api.privacyRequests(caller.auth(), caller.key(), s, overdue ? Boolean.TRUE : null, 100,
                        cursor == null || cursor.isBlank() ? null : cursor)
                .map(p -> Templates.list(caller.shell("privacy"), p.items(), s, overdue, STATUSES, p.next()));
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "Form for a deletion or export request")
    public TemplateInstance createForm(@QueryParam("kind") String kind) {
        return Templates.create(caller.shell("privacy"), KINDS, kind != null && KINDS.contains(kind) ? kind : "delete", null);
    }

    @POST
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "File the request: 303 to its page (an open request of the same kind for the user is shown instead of a new one), or the form with the field's error")
    public Uni<Response> create(@FormParam("kind") String kind, @FormParam("userId") String userId,
                                @FormParam("confirm") String confirm, @FormParam(Csrf.FIELD) String csrf) {
        if ("delete".equals(kind) && !"yes".equals(confirm)) {
            return Uni.createFrom().item(form(kind, new ApiError(400, "Confirm the deletion: it cannot be undone",
                    Map.of("confirm", "tick the box to confirm"))));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", kind);
        body.put("userId", userId == null ? null : userId.strip());
        return api.createPrivacyRequest(caller.auth(), caller.key(), body)
                .map(r -> {
                    boolean existing = "true".equals(r.getHeaderString("X-Penchant-Existing-Request"));
                    String msg = existing ? "An open " + kind + " request for this user exists already; this is it"
                            : "Request filed: the " + kind + " runs in the background";
                    return Forms.seeOther("/admin/privacy/" + r.getEntity().id(), "msg", msg);
                })
                .onFailure(e -> ApiError.answered(e, 400))
                .recoverWithItem(e -> form(kind, ApiError.of(e)));
    }

    private Response form(String kind, ApiError error) {
        return Response.status(400).type(MediaType.TEXT_HTML)
                .entity(Templates.create(caller.shell("privacy"), KINDS, kind != null && KINDS.contains(kind) ? kind : "delete", error)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "A request's page: status, step, deadline, per-store counts, verification (live while open)")
    public Uni<TemplateInstance> request(@PathParam("id") long id, @QueryParam("msg") String message) {
        return api.privacyRequest(caller.auth(), caller.key(), id)
                .map(r -> Templates.request(caller.shell("privacy"), r, message));
    }

    @GET
    @Path("/{id}/state")
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "Fragment: a request's state (its page polls it while the request is open)")
    public Uni<TemplateInstance> state(@PathParam("id") long id) {
        return api.privacyRequest(caller.auth(), caller.key(), id)
                .map(r -> Templates.request$state(caller.shell("privacy"), r));
    }

    @GET
    @Path("/{id}/export")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "Download a completed export request's document (JSON attachment, not cached)")
    public Uni<Response> export(@PathParam("id") long id) {
        return api.privacyExport(caller.auth(), caller.key(), id)
                .map(doc -> Response.ok(doc, MediaType.APPLICATION_JSON)
                        .header("Content-Disposition", "attachment; filename=\"penchant-export-" + id + ".json\"")
                        .header("Cache-Control", "no-store").build());
    }
}
