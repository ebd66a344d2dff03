package dev.penchant.api.admin;

import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.ProblemMappers;
import dev.penchant.support.identity.ApiKeys;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** API keys: create (the secret is in that answer only), list (no secrets), revoke. Admin only. */
@Path("/v1/admin/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ApiKeysResource {
    private final ApiKeys keys;
    private final SecurityIdentity identity;

    public ApiKeysResource(ApiKeys keys, SecurityIdentity identity) {
        this.keys = keys;
        this.identity = identity;
    }

    public record NewKey(@NotBlank @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9._-]+") String name,
                         @NotEmpty @Size(max = 5) List<@NotBlank String> roles,
                         OffsetDateTime expiresAt) {
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an API key with roles (ingest, serve, admin, privacy, analyst); the plaintext key is in this response only")
    public Uni<Response> create(@Valid @NotNull NewKey body) {
        String unknown = Roles.firstUnknown(body.roles());
        if (unknown != null) throw ProblemException.badField("roles", "unknown role '" + unknown + "'; roles: " + Roles.ALL);
        Instant expires = body.expiresAt() == null ? null : body.expiresAt().toInstant();
        if (expires != null && !expires.isAfter(Instant.now())) throw ProblemException.badField("expiresAt", "must be in the future");
        return keys.create(body.name(), List.copyOf(new LinkedHashSet<>(body.roles())), expires, Identities.actor(identity))
                .map(k -> Response.status(201).entity(k).build());
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List API keys: names, roles, created, expiry, revoked, last used; never the secret")
    public Uni<List<ApiKeys.KeyView>> list() {
        return keys.list();
    }

    @DELETE
    @Path("/{name}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke a key: every node refuses it within 5 seconds (at once where it hears the NOTIFY)")
    public Uni<Response> revoke(@PathParam("name") @Size(max = 100) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String name) {
        return keys.revoke(name, Identities.actor(identity)).map(done -> Response.noContent().build());
    }
}
