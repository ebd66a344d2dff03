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
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Models: versions per name, a model's metrics on both protocols beside the baselines of its own run,
 * lineage (job, data snapshot), and promote / roll back behind a confirmation page. The promotion
 * guard lives in platform-api; its refusal (409) is shown with its reason, and an admin may then
 * promote anyway (force, audited there).
 */
@Path("/admin/models")
@Produces(MediaType.TEXT_HTML)
public class ModelPages {
    private final PlatformApi api;
    private final Caller caller;

    public ModelPages(PlatformApi api, Caller caller) {
        this.api = api;
        this.caller = caller;
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Shell shell, List<PlatformApi.Model> models, String name);

        static native TemplateInstance model(Shell shell, PlatformApi.Model model, PlatformApi.Job job, Results results,
                                             List<PlatformApi.Model> versions, String message, String refusal);

        static native TemplateInstance confirm(Shell shell, PlatformApi.Model model, PlatformApi.Model current,
                                               boolean force, String refusal);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Models page: every version, newest first; filter by name")
    public Uni<TemplateInstance> list(@QueryParam("name") String name) {
        String n = name == null || name.isBlank() ? null : name;
        return api.models(caller.auth(), caller.key(), n, null, 200).map(ms -> Templates.list(caller.shell("models"), ms, n));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "A model's page: metrics vs baselines on both protocols, lineage, versions, promote / roll back")
    public Uni<TemplateInstance> model(@PathParam("id") long id, @QueryParam("msg") String message,
                                       @QueryParam("refused") String refusal) {
        String a = caller.auth(), k = caller.key();
        return api.model(a, k, id).flatMap(m -> {
            Uni<PlatformApi.Job> job = m.jobId() == null ? Uni.createFrom().nullItem()
                    : api.job(a, k, m.jobId()).onFailure().recoverWithNull();
            return Uni.combine().all().unis(job, api.models(a, k, m.name(), null, 100)).with((j, versions) ->
                    Templates.model(caller.shell("models"), m, j, Results.of(j == null ? null : j.report(), m.modelType()),
                            versions, message, refusal));
        });
    }

    @GET
    @Path("/{id}/promote")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Confirmation page for promoting (or rolling back to) a model")
    public Uni<TemplateInstance> confirm(@PathParam("id") long id, @QueryParam("force") boolean force,
                                         @QueryParam("refused") String refusal) {
        String a = caller.auth(), k = caller.key();
        return api.model(a, k, id).flatMap(m -> api.models(a, k, m.name(), "promoted", 1).map(cur ->
                Templates.confirm(caller.shell("models"), m, cur.isEmpty() ? null : cur.get(0), force, refusal)));
    }

    @POST
    @Path("/{id}/promote")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Promote (confirmed); the guard's refusal comes back to the model page with its reason")
    public Uni<Response> promote(@PathParam("id") long id, @FormParam("confirm") String confirm,
                                 @FormParam("force") String force, @FormParam(Csrf.FIELD) String csrf) {
        if (!"yes".equals(confirm)) return Uni.createFrom().item(Response.seeOther(URI.create("/admin/models/" + id + "/promote")).build());
        boolean forced = "true".equals(force);
        return api.promote(caller.auth(), caller.key(), id, forced ? Boolean.TRUE : null)
                .map(m -> Forms.seeOther("/admin/models/" + id, "msg",
                        (forced ? "Promoted (forced): " : "Promoted: ") + m.name() + " v" + m.version()))
                .onFailure(e -> ApiError.answered(e, 409))
                .recoverWithItem(e -> Forms.seeOther("/admin/models/" + id, "refused", ApiError.of(e).detail()));
    }
}
