package dev.penchant.api.admin;

import dev.penchant.support.auth.ApiKeyService;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeysResource {
    private final ApiKeyService keys;

    public ApiKeysResource(ApiKeyService keys) {
        this.keys = keys;
    }

    public record NewKey(@NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+") String name) {
    }

    @POST
    @Operation(summary = "Create an API key; the plaintext key is in this response only")
    public Uni<Response> create(@Valid @NotNull NewKey body) {
        return keys.create(body.name()).map(k -> Response.status(201).entity(k).build());
    }
}
