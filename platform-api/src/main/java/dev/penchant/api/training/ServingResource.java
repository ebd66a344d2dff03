package dev.penchant.api.training;

import dev.penchant.support.security.Roles;
import dev.penchant.training.registry.ModelRegistry;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Which model serves each recommendation surface (table serving_models); set by promotion. */
@Path("/v1/serving")
@Produces(MediaType.APPLICATION_JSON)
public class ServingResource {
    private final ModelService models;

    public ServingResource(ModelService models) {
        this.models = models;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "The promoted model of each surface (user, session, similar); a surface nothing was promoted on is absent")
    public List<ModelRegistry.Serving> serving() {
        return models.serving();
    }
}
