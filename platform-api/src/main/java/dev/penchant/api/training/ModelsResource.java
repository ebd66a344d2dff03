package dev.penchant.api.training;

import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.registry.ModelRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The model registry: list, promote (guarded), download artifacts. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {
    private final ModelService models;
    private final ArtifactStore artifacts;
    private final SecurityIdentity identity;

    public ModelsResource(ModelService models, ArtifactStore artifacts, SecurityIdentity identity) {
        this.models = models;
        this.artifacts = artifacts;
        this.identity = identity;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Registered models, newest first; status registered, promoted or archived")
    public List<ModelRegistry.ModelView> list(@QueryParam("name") String name, @QueryParam("status") String status,
                                              @QueryParam("limit") String limit) {
        return models.list(name, status, limit);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "A model: metrics, lineage (job, data snapshot), artifact, status")
    public ModelRegistry.ModelView get(@PathParam("id") long id) {
        return models.get(id);
    }

    /**
     * Makes it the model of a surface (default user); the model that served the surface before is archived
     * unless it serves another one. Inference nodes hear it on serving_changed.
     */
    @POST
    @Path("/{id}/promote")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Promote a model on a surface (user, session, similar; default user); 409 when it does not beat popularity on its test split, unless force=true")
    public ModelRegistry.ModelView promote(@PathParam("id") long id, @QueryParam("force") String force,
                                           @QueryParam("surface") String surface) {
        String s = QueryParams.oneOf("surface", surface, ModelRegistry.SURFACES);
        return models.promote(id, QueryParams.bool("force", force, false), s == null ? "user" : s, Identities.actor(identity));
    }

    /** The exported model directory as a zip (SavedModel + model.json); ETag is its SHA-256. */
    @GET
    @Path("/{id}/artifact")
    @Produces({"application/zip", "application/problem+json"})
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Download a model's artifact (zip); admin only, it lists the users the model knows")
    public Response artifact(@PathParam("id") long id) {
        ModelRegistry.ModelView m = models.get(id);
        if (m.artifactId() == null) throw ProblemException.notFound("Model " + id + " has no artifact");
        long artifactId = m.artifactId();
        StreamingOutput body = out -> {
            if (!artifacts.copyTo(artifactId, out)) throw new IllegalStateException("artifact " + artifactId + " vanished");
        };
        return Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"" + m.name() + "-v" + m.version() + ".zip\"")
                .header("ETag", "\"" + m.artifactSha256() + "\"")
                .header("Content-Length", m.artifactSizeBytes())
                .build();
    }
}
