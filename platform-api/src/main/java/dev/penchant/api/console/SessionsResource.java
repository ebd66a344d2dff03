package dev.penchant.api.console;

import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.ProblemMappers;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;

/**
 * Console login, "who am I" and logout. A session token is a bearer credential for every node (the
 * admin console keeps it in its cookie); "who am I" answers for API keys too.
 */
@Path("/v1/auth")
@Produces(MediaType.APPLICATION_JSON)
public class SessionsResource {
    private final ConsoleAccounts accounts;
    private final SecurityIdentity identity;

    public SessionsResource(ConsoleAccounts accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    public record Login(@NotNull @Size(min = 1, max = 100) String username, @NotNull @Size(min = 1, max = 200) String password) {
    }

    public record Me(String principal, String kind, List<String> roles, Instant expiresAt) {
    }

    @POST
    @Path("/sessions")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Extension(name = "x-public", value = "true", parseValue = true)
    @Operation(summary = "Log in as a console user: a session token (bearer) and the user's roles; 401 on any failure")
    public Response login(@Valid @NotNull Login body) {
        return accounts.login(body.username(), body.password())
                .map(s -> Response.status(201).entity(s).build())
                .orElseGet(() -> ProblemMappers.unauthorized(
                        "Login failed: wrong user name or password, or the user is locked or disabled", "/v1/auth/sessions"));
    }

    @GET
    @Path("/session")
    @RolesAllowed({Roles.INGEST, Roles.SERVE, Roles.ADMIN, Roles.PRIVACY, Roles.ANALYST})
    @Operation(summary = "Who am I: the principal of this request's credential, its kind and roles")
    public Me me() {
        Object expires = identity.getAttribute(Identities.EXPIRES_AT);
        return new Me(identity.getPrincipal().getName(), identity.getAttribute(Identities.KIND),
                List.copyOf(new TreeSet<>(identity.getRoles())), expires instanceof Instant i ? i : null);
    }

    @DELETE
    @Path("/session")
    @RolesAllowed({Roles.INGEST, Roles.SERVE, Roles.ADMIN, Roles.PRIVACY, Roles.ANALYST})
    @Operation(summary = "Log out: ends the console session whose bearer token this request carries")
    public Response logout(@HeaderParam("Authorization") String authorization) {
        if (!Identities.KIND_CONSOLE_USER.equals(identity.getAttribute(Identities.KIND)) || authorization == null) {
            throw ProblemException.badRequest("Only a console session logs out; revoke an API key with "
                    + "DELETE /v1/admin/api-keys/{name}", null);
        }
        accounts.logout(authorization.substring("Bearer ".length()).strip(), Identities.actor(identity));
        return Response.noContent().build();
    }
}
