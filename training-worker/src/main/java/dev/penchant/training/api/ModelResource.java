package dev.penchant.training.api;

import dev.penchant.support.problem.ProblemException;
import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.registry.ModelRegistry;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.sql.SQLException;
import java.util.List;

/** The model registry: list, promote, download artifacts. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {
    private final ModelRegistry registry;
    private final ArtifactStore artifacts;

    public ModelResource(ModelRegistry registry, ArtifactStore artifacts) {
        this.registry = registry;
        this.artifacts = artifacts;
    }

    @GET
    public List<ModelRegistry.ModelView> list(@QueryParam("name") String name, @QueryParam("status") String status,
                                              @QueryParam("limit") @DefaultValue("100") int limit) throws SQLException {
        return registry.list(name, status, Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("/{id}")
    public ModelRegistry.ModelView get(@PathParam("id") long id) throws SQLException {
        return registry.find(id).orElseThrow(() -> ProblemException.notFound("no model " + id));
    }

    /** Promotes the model and archives the previously promoted one of its name; inference nodes hear it on model_promoted. */
    @POST
    @Path("/{id}/promote")
    public ModelRegistry.ModelView promote(@PathParam("id") long id) throws SQLException {
        return registry.promote(id).orElseThrow(() -> ProblemException.notFound("no model " + id));
    }

    /** The exported model directory as a zip (SavedModel + model.json); ETag is its SHA-256. */
    @GET
    @Path("/{id}/artifact")
    @Produces({"application/zip", "application/problem+json"})
    public Response artifact(@PathParam("id") long id) throws SQLException {
        ModelRegistry.ModelView m = get(id);
        if (m.artifactId() == null) throw ProblemException.notFound("model " + id + " has no artifact");
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
