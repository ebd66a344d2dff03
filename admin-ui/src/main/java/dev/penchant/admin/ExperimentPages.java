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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A/B experiments: the list, a creation form (variants are models or baselines; platform-api checks the
 * weights, the models and every other field, and its per-field errors are shown beside the fields), an
 * experiment's page with its results as the statistics engine computed them, and start / stop /
 * conclude (promote the winner, behind a confirmation).
 */
@Path("/admin/experiments")
@Produces(MediaType.TEXT_HTML)
public class ExperimentPages {
    static final List<String> STATUSES = List.of("draft", "running", "stopped", "concluded");
    // the choices platform-api accepts (its ExperimentSpec and ModelRegistry.SURFACES decide; it validates again)
    static final List<String> SURFACES = List.of("user", "session", "similar");
    static final List<String> METRICS = List.of("ctr", "conversion", "mean_value");
    static final List<String> BASELINES = List.of("current", "popularity", "transition", "seqknn");
    static final List<String> AUDIENCES = List.of("all", "new_users", "percentage");
    /** Variant rows on the form; empty rows are left out. */
    static final int VARIANT_ROWS = 4;

    private final PlatformApi api;
    private final Caller caller;

    public ExperimentPages(PlatformApi api, Caller caller) {
        this.api = api;
        this.caller = caller;
    }

    /** One variant row of the form: arm is "model:ID" or "baseline:NAME". */
    public record Row(int index, String name, String arm, String weight, String error) {
        /** 1-based, as the form labels it. */
        public int number() {
            return index + 1;
        }
    }

    /** What the form was filled with (or its defaults). */
    public record Draft(String key, String hypothesis, String surface, String primaryMetric, List<String> guardrails,
                        String audience, String percentage, String attributionWindow, List<Row> rows) {
    }

    /** An arm the form offers. */
    public record Arm(String value, String label) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(Shell shell, List<PlatformApi.Experiment> experiments, String status,
                                            List<String> statuses);

        static native TemplateInstance create(Shell shell, Draft draft, List<Arm> arms, List<String> surfaces,
                                              List<String> metrics, List<String> audiences, ApiError error);

        static native TemplateInstance experiment(Shell shell, PlatformApi.Experiment experiment, ExperimentReport report,
                                                  String message);

        static native TemplateInstance conclude(Shell shell, PlatformApi.Experiment experiment, String refusal);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Experiments page: newest first, filter by status")
    public Uni<TemplateInstance> list(@QueryParam("status") String status) {
        String s = status == null || status.isBlank() ? null : status;
        return api.experiments(caller.auth(), caller.key(), s, 200)
                .map(es -> Templates.list(caller.shell("experiments"), es, s, STATUSES));
    }

    @GET
    @Path("/new")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Form for a new (draft) experiment: surface, metric, audience, window, variants")
    public Uni<TemplateInstance> createForm() {
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(0, "control", "baseline:current", "0.5", null));
        rows.add(new Row(1, "treatment", "", "0.5", null));
        for (int i = 2; i < VARIANT_ROWS; i++) rows.add(new Row(i, "", "", "", null));
        Draft d = new Draft("", "", "user", "ctr", List.of(), "all", "", "PT24H", rows);
        return arms().map(arms -> Templates.create(caller.shell("experiments"), d, arms, SURFACES, METRICS, AUDIENCES, null));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create the draft from the form: 303 to its page, or the form again with each field's error (400)")
    public Uni<Response> create(@FormParam("key") String key, @FormParam("hypothesis") String hypothesis,
                                @FormParam("surface") String surface, @FormParam("primaryMetric") String metric,
                                @FormParam("guardrails") List<String> guardrails, @FormParam("audience") String audience,
                                @FormParam("percentage") String percentage, @FormParam("attributionWindow") String window,
                                @FormParam(Csrf.FIELD) String csrf) {
        Map<String, List<String>> form = Forms.fields();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < VARIANT_ROWS; i++) {
            rows.add(new Row(i, strip(Forms.first(form, "v" + i + ".name")), strip(Forms.first(form, "v" + i + ".arm")),
                    strip(Forms.first(form, "v" + i + ".weight")), null));
        }
        List<String> rails = guardrails == null ? List.of() : guardrails.stream().filter(g -> !g.isBlank()).toList();
        Draft draft = new Draft(strip(key), strip(hypothesis), surface, metric, rails, audience, strip(percentage),
                strip(window), rows);

        Map<String, String> local = new LinkedHashMap<>();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", draft.key());
        if (!draft.hypothesis().isEmpty()) body.put("hypothesis", draft.hypothesis());
        body.put("surface", surface);
        body.put("primaryMetric", metric);
        body.put("guardrails", rails);
        if (!draft.attributionWindow().isEmpty()) body.put("attributionWindow", draft.attributionWindow());
        Map<String, Object> aud = new LinkedHashMap<>();
        aud.put("kind", audience);
        if ("percentage".equals(audience)) {
            try {
                aud.put("percentage", Double.parseDouble(draft.percentage()));
            } catch (NumberFormatException e) {
                local.put("audience.percentage", "a number from 0 to 100");
            }
        }
        body.put("audience", aud);
        // the rows sent, in order; sentRow maps platform-api's variants[i] back to the form's row
        List<Map<String, Object>> variants = new ArrayList<>();
        List<Integer> sentRow = new ArrayList<>();
        for (Row r : rows) {
            if (r.name().isEmpty() && r.arm().isEmpty() && r.weight().isEmpty()) continue;
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", r.name());
            Long model = r.arm().startsWith("model:") ? parseId(r.arm().substring("model:".length())) : null;
            if (model != null) {
                v.put("modelId", model);
            } else if (r.arm().startsWith("baseline:")) {
                v.put("baseline", r.arm().substring("baseline:".length()));
            } else {
                local.merge("v" + r.index(), "choose a model or a baseline", (x, y) -> x + "; " + y);
            }
            try {
                v.put("weight", Double.parseDouble(r.weight()));
            } catch (NumberFormatException e) {
                local.merge("v" + r.index(), "weight: a number between 0 and 1", (x, y) -> x + "; " + y);
            }
            variants.add(v);
            sentRow.add(r.index());
        }
        body.put("variants", variants);
        if (!local.isEmpty()) {
            return arms().map(arms -> invalid(draft, arms, new ApiError(400, "Invalid experiment: " + local.size()
                    + " invalid field(s)", local), sentRow));
        }
        return api.createExperiment(caller.auth(), caller.key(), body)
                .map(e -> Response.seeOther(URI.create("/admin/experiments/" + e.key())).build())
                .onFailure(e -> ApiError.answered(e, 400, 409))
                .recoverWithUni(e -> arms().map(arms -> invalid(draft, arms, ApiError.of(e), sentRow)));
    }

    private Response invalid(Draft draft, List<Arm> arms, ApiError error, List<Integer> sentRow) {
        // platform-api names a variant's field "variants[i].weight": shown on the form's row i was sent from
        List<Row> rows = new ArrayList<>();
        for (Row r : draft.rows()) {
            List<String> messages = new ArrayList<>();
            if (error.has("v" + r.index())) messages.add(error.field("v" + r.index()));
            int sent = sentRow.indexOf(r.index());
            if (sent >= 0) {
                for (var f : error.fields().entrySet()) {
                    String prefix = "variants[" + sent + "]";
                    if (f.getKey().startsWith(prefix)) {
                        String field = f.getKey().substring(prefix.length()).replaceFirst("^\\.", "");
                        messages.add((field.isEmpty() ? "" : field + ": ") + f.getValue());
                    }
                }
            }
            rows.add(new Row(r.index(), r.name(), r.arm(), r.weight(), messages.isEmpty() ? null : String.join("; ", messages)));
        }
        Draft d = new Draft(draft.key(), draft.hypothesis(), draft.surface(), draft.primaryMetric(), draft.guardrails(),
                draft.audience(), draft.percentage(), draft.attributionWindow(), rows);
        return Response.status(error.status() == 409 ? 409 : 400).type(MediaType.TEXT_HTML)
                .entity(Templates.create(caller.shell("experiments"), d, arms, SURFACES, METRICS, AUDIENCES, error)).build();
    }

    /** The arms the form offers: every registered or promoted model, then the baselines. */
    private Uni<List<Arm>> arms() {
        return api.models(caller.auth(), caller.key(), null, null, 200).map(models -> {
            List<Arm> out = new ArrayList<>();
            for (PlatformApi.Model m : models) {
                if ("archived".equals(m.status())) continue;
                out.add(new Arm("model:" + m.id(), m.name() + " v" + m.version() + " (" + m.modelType() + ", " + m.status() + ")"));
            }
            for (String b : BASELINES) {
                out.add(new Arm("baseline:" + b, b.equals("current") ? "current (what the surface serves now)" : b + " baseline"));
            }
            return out;
        });
    }

    @GET
    @Path("/{key}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "An experiment's page: variants, audience, and results per metric (lift with 95% CI, p-value, "
            + "sequential CI, chance to win, SRM) with the primary metric's daily cumulative lift")
    public Uni<TemplateInstance> experiment(@PathParam("key") String key, @QueryParam("msg") String message) {
        return api.experimentResults(caller.auth(), caller.key(), key).map(r ->
                Templates.experiment(caller.shell("experiments"), r.experiment(), ExperimentReport.of(r), message));
    }

    @POST
    @Path("/{key}/start")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Start a draft (409 when another experiment runs on its surface), back to its page")
    public Uni<Response> start(@PathParam("key") String key, @FormParam(Csrf.FIELD) String csrf) {
        return action(key, api.startExperiment(caller.auth(), caller.key(), key), "Started: inference nodes assign its variants within seconds");
    }

    @POST
    @Path("/{key}/stop")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stop a running experiment (its results stay), back to its page")
    public Uni<Response> stop(@PathParam("key") String key, @FormParam(Csrf.FIELD) String csrf) {
        return action(key, api.stopExperiment(caller.auth(), caller.key(), key), "Stopped: every request is served by the surface's promoted model again");
    }

    @GET
    @Path("/{key}/conclude")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Confirmation page for concluding an experiment: choose the winner")
    public Uni<TemplateInstance> concludeForm(@PathParam("key") String key, @QueryParam("refused") String refusal) {
        return api.experiment(caller.auth(), caller.key(), key)
                .map(e -> Templates.conclude(caller.shell("experiments"), e, refusal));
    }

    @POST
    @Path("/{key}/conclude")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Conclude (confirmed): stop and promote the winner's model on the experiment's surface; a refusal comes back with its reason")
    public Uni<Response> conclude(@PathParam("key") String key, @FormParam("variant") String variant,
                                  @FormParam("confirm") String confirm, @FormParam(Csrf.FIELD) String csrf) {
        if (!"yes".equals(confirm)) return Uni.createFrom().item(Response.seeOther(URI.create(page(key) + "/conclude")).build());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("variant", variant);
        return api.promoteWinner(caller.auth(), caller.key(), key, body)
                .map(e -> Forms.seeOther(page(key), "msg", "Concluded: " + e.winner() + " won"))
                .onFailure(e -> ApiError.answered(e, 400, 409))
                .recoverWithItem(e -> Forms.seeOther(page(key) + "/conclude", "refused", refusal(ApiError.of(e))));
    }

    private Uni<Response> action(String key, Uni<PlatformApi.Experiment> call, String done) {
        return call.map(e -> Forms.seeOther(page(key), "msg", done))
                .onFailure(e -> ApiError.answered(e, 409))
                .recoverWithItem(e -> Forms.seeOther(page(key), "msg", ApiError.of(e).detail()));
    }

    private static String refusal(ApiError e) {
        return e.fields().isEmpty() ? e.detail() : String.join("; ", e.fields().values());
    }

    private static String page(String key) {
        return "/admin/experiments/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    private static Long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }
}
