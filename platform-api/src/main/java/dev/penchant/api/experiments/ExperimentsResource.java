package dev.penchant.api.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A/B experiments on a recommendation surface: write = admin, read = admin and analyst. Blocking JDBC,
 * so these run on worker threads.
 */
@Path("/v1/experiments")
@Produces(MediaType.APPLICATION_JSON)
public class ExperimentsResource {
    private final ExperimentService experiments;
    private final ExperimentResults results;
    private final SecurityIdentity identity;

    public ExperimentsResource(ExperimentService experiments, ExperimentResults results, SecurityIdentity identity) {
        this.experiments = experiments;
        this.results = results;
        this.identity = identity;
    }

    /** The body of promote-winner. */
    public record Winner(String variant) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a draft experiment: {key, hypothesis?, surface, variants: [{name, modelId | baseline, weight}] (control first, weights sum to 1), audience?, primaryMetric, guardrails?, attributionWindow? (ISO-8601, default PT24H)}")
    public Response create(JsonNode body, @Context UriInfo uri) {
        Experiment e = experiments.create(ExperimentSpec.parse(body, null), Identities.actor(identity));
        return Response.created(uri.getAbsolutePathBuilder().path(e.key()).build()).entity(e).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Experiments, newest first; status draft, running, stopped or concluded")
    public List<Experiment> list(@QueryParam("status") String status, @QueryParam("limit") String limit) {
        return experiments.list(status, limit);
    }

    @GET
    @Path("/{key}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "An experiment: variants, audience, metrics, status, times")
    public Experiment get(@PathParam("key") String key) {
        return experiments.get(key(key));
    }

    @PUT
    @Path("/{key}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace a draft; a running experiment may change hypothesis, audience, metrics and window, its weights only with restart=true (a new salt: users are assigned afresh), never its variants or surface (409)")
    public Experiment update(@PathParam("key") String key, @QueryParam("restart") String restart, JsonNode body) {
        String k = key(key);
        return experiments.update(k, ExperimentSpec.parse(body, k), QueryParams.bool("restart", restart, false),
                Identities.actor(identity));
    }

    @POST
    @Path("/{key}/start")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Start a draft; 409 when another experiment runs on the same surface")
    public Experiment start(@PathParam("key") String key) {
        return experiments.start(key(key), Identities.actor(identity));
    }

    @POST
    @Path("/{key}/stop")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Stop a running experiment; its results stay readable")
    public Experiment stop(@PathParam("key") String key) {
        return experiments.stop(key(key), Identities.actor(identity));
    }

    @POST
    @Path("/{key}/promote-winner")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Conclude: {\"variant\": name}: stop (if running) and promote the variant's model on the experiment's surface, in one audited transaction")
    public Experiment promoteWinner(@PathParam("key") String key, Winner body) {
        if (body == null) throw ProblemException.badRequest("A JSON body {\"variant\": name} is required", null);
        return experiments.promoteWinner(key(key), body.variant(), Identities.actor(identity));
    }

    @GET
    @Path("/{key}/results")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Results: per variant users, exposures, clicks, conversions, value; per metric the statistics engine's answer (as ./penchant stats prints it: lifts with CIs and p-values, sequential, Bayesian, SRM); cumulative per-day series of the primary metric")
    public ExperimentResults.Results results(@PathParam("key") String key) {
        return results.of(experiments.get(key(key)));
    }

    /** A key that cannot exist is a 404 like an absent one, after the same check as the body's (no NUL, bounded). */
    private static String key(String key) {
        if (key == null || !ExperimentSpec.KEY.matcher(key).matches()) throw ProblemException.notFound("No experiment with that key");
        return key;
    }
}
