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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Training jobs: the list, the launch form generated from the model type's declared hyperparameters
 * (platform-api validates; its per-field errors are shown beside each field), a job's live progress
 * with loss and validation curves, cancel, and finished runs compared in one table and chart.
 */
@Path("/admin/jobs")
@Produces(MediaType.TEXT_HTML)
public class JobPages {
    static final String HP = "hp.";
    static final List<String> STATUSES = List.of("queued", "running", "succeeded", "failed", "cancelled");

    private final PlatformApi api;
    private final Caller caller;

    public JobPages(PlatformApi api, Caller caller) {
        this.api = api;
        this.caller = caller;
    }

    /** One input of the launch form, typed from the declared setting. */
    public record Field(String name, String input, String label, String value, String min, String max, String step,
                        List<String> choices, String meaning, String allowed, String defaultText, String error) {
        public boolean select() {
            return !choices.isEmpty();
        }
    }

    public record Compared(PlatformApi.Job job, Results results) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Shell shell, List<PlatformApi.Job> jobs, String status, List<String> statuses);

        static native TemplateInstance launch(Shell shell, List<PlatformApi.ModelType> types, PlatformApi.ModelType type,
                                              List<Field> fields, String seed, String eventTypes, ApiError error);

        static native TemplateInstance job(Shell shell, PlatformApi.Job job, Results results, String loss, String validation,
                                           String message);

        static native TemplateInstance job$progress(Shell shell, PlatformApi.Job job, Results results, String loss, String validation);

        static native TemplateInstance compare(Shell shell, List<Compared> runs, List<String> metrics, String metric, String chart);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Training jobs page: newest first, filter by status")
    public Uni<TemplateInstance> list(@QueryParam("status") String status) {
        String s = status == null || status.isBlank() ? null : status;
        return api.jobs(caller.auth(), caller.key(), s, 100).map(jobs -> Templates.list(caller.shell("jobs"), jobs, s, STATUSES));
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Launch form: pick a model type, then its declared hyperparameters with defaults and ranges")
    public Uni<TemplateInstance> launchForm(@QueryParam("type") String type) {
        return api.modelTypes(caller.auth(), caller.key()).map(types -> {
            PlatformApi.ModelType t = pick(types, type);
            return Templates.launch(caller.shell("jobs"), types, t, fields(t, Map.of(), null), "42", "", null);
        });
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Launch a job from the form: 303 to its page, or the form again with each field's error (400)")
    public Uni<Response> launch(@FormParam("modelType") String modelType, @FormParam("seed") String seed,
                                @FormParam("eventTypes") String eventTypes, @FormParam(Csrf.FIELD) String csrf) {
        Map<String, List<String>> form = Forms.fields();
        return api.modelTypes(caller.auth(), caller.key()).flatMap(types -> {
            PlatformApi.ModelType t = pick(types, modelType);
            Map<String, String> given = new LinkedHashMap<>();
            form.forEach((k, v) -> {
                if (k.startsWith(HP) && !v.isEmpty()) given.put(k.substring(HP.length()), v.get(0).strip());
            });
            Map<String, Object> hp = new LinkedHashMap<>();
            if (t != null) {
                for (PlatformApi.Param p : t.parameters()) {
                    String v = given.get(p.name());
                    // only what differs from the declared default: the job records the choices made
                    if (v != null && !v.isEmpty() && !v.equals(p.defaultValue())) hp.put(p.name(), v);
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("modelType", modelType);
            body.put("hyperparameters", hp);
            List<String> events = eventTypes == null ? List.of()
                    : List.of(eventTypes.split("\\s*,\\s*")).stream().filter(x -> !x.isBlank()).toList();
            if (!events.isEmpty()) body.put("dataset", Map.of("eventTypes", events));
            ApiError seedError = null;
            if (seed != null && !seed.isBlank()) {
                try {
                    body.put("seed", Long.parseLong(seed.strip()));
                } catch (NumberFormatException e) {
                    seedError = new ApiError(400, "Invalid training job: 1 invalid field(s)", Map.of("seed", "must be an integer"));
                }
            }
            if (seedError != null) {
                return Uni.createFrom().item(invalid(types, t, given, seed, eventTypes, seedError));
            }
            return api.submitJob(caller.auth(), caller.key(), body)
                    .map(job -> Response.seeOther(URI.create("/admin/jobs/" + job.id())).build())
                    .onFailure(e -> ApiError.answered(e, 400))
                    .recoverWithItem(e -> invalid(types, t, given, seed, eventTypes, ApiError.of(e)));
        });
    }

    private Response invalid(List<PlatformApi.ModelType> types, PlatformApi.ModelType t, Map<String, String> given,
                             String seed, String eventTypes, ApiError error) {
        return Response.status(400).type(MediaType.TEXT_HTML).entity(Templates.launch(caller.shell("jobs"), types, t,
                fields(t, given, error), seed, eventTypes, error)).build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "A job's page: status, progress, loss and validation curves (live while it runs), report")
    public Uni<TemplateInstance> job(@PathParam("id") long id, @QueryParam("msg") String message) {
        return api.job(caller.auth(), caller.key(), id).map(j -> Templates.job(caller.shell("jobs"), j,
                Results.of(j.report(), j.modelType()), Charts.loss(j), Charts.validation(j), message));
    }

    @GET
    @Path("/{id}/progress")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Fragment: a job's progress and curves (its page polls it while the job runs)")
    public Uni<TemplateInstance> progress(@PathParam("id") long id) {
        return api.job(caller.auth(), caller.key(), id).map(j -> Templates.job$progress(caller.shell("jobs"), j,
                Results.of(j.report(), j.modelType()), Charts.loss(j), Charts.validation(j)));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Cancel a job, back to its page")
    public Uni<Response> cancel(@PathParam("id") long id, @FormParam(Csrf.FIELD) String csrf) {
        return api.cancelJob(caller.auth(), caller.key(), id)
                .map(j -> back(id, "Cancel requested"))
                .onFailure(e -> ApiError.answered(e, 409))
                .recoverWithItem(e -> back(id, ApiError.of(e).detail()));
    }

    private static Response back(long id, String message) {
        return Forms.seeOther("/admin/jobs/" + id, "msg", message);
    }

    @GET
    @Path("/compare")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Compare runs: their test metrics in one table, one validation metric per epoch in one chart")
    public Uni<TemplateInstance> compare(@QueryParam("id") List<Long> ids, @QueryParam("metric") String metric) {
        List<Long> chosen = ids == null ? List.of() : ids.stream().distinct().limit(12).toList();
        if (chosen.isEmpty()) {
            return Uni.createFrom().item(Templates.compare(caller.shell("jobs"), List.of(), List.of(), "", Charts.compare(List.of(), "loss")));
        }
        List<Uni<PlatformApi.Job>> each = new ArrayList<>();
        for (Long id : chosen) each.add(api.job(caller.auth(), caller.key(), id));
        return Uni.join().all(each).andFailFast().map(jobs -> {
            List<String> metrics = Charts.metricNames(jobs);
            String m = metric != null && metrics.contains(metric) ? metric : metrics.get(0);
            List<Compared> runs = jobs.stream().map(j -> new Compared(j, Results.of(j.report(), j.modelType()))).toList();
            return Templates.compare(caller.shell("jobs"), runs, metrics, m, Charts.compare(jobs, m));
        });
    }

    private static PlatformApi.ModelType pick(List<PlatformApi.ModelType> types, String name) {
        if (name != null) for (PlatformApi.ModelType t : types) if (t.name().equals(name)) return t;
        return null;
    }

    /** The form's inputs: the values given (or the declared defaults) and platform-api's message per field. */
    static List<Field> fields(PlatformApi.ModelType type, Map<String, String> given, ApiError error) {
        if (type == null) return List.of();
        List<Field> out = new ArrayList<>();
        for (PlatformApi.Param p : type.parameters()) {
            String value = given.containsKey(p.name()) ? given.get(p.name()) : p.defaultValue() == null ? "" : p.defaultValue();
            String input = switch (p.type()) {
                case "int", "double" -> "number";
                default -> "text";
            };
            List<String> choices = switch (p.type()) {
                case "boolean" -> List.of("true", "false");
                case "choice" -> p.choices();
                default -> List.of();
            };
            String step = "int".equals(p.type()) ? "1" : "any";
            String err = error == null ? null : error.field("hyperparameters." + p.name());
            out.add(new Field(HP + p.name(), input, p.name(), value, p.min() == null ? null : Formats.plain(p.min()),
                    p.max() == null ? null : Formats.plain(p.max()), step, choices == null ? List.of() : choices,
                    p.meaning(), p.allowed(), p.defaultValue() != null ? p.defaultValue() : p.defaultNote(), err));
        }
        return out;
    }
}
