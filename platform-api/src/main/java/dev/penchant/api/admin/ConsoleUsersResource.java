package dev.penchant.api.admin;

import dev.penchant.api.console.ConsoleAccounts;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.ProblemMappers;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Console users: list, create, disable. Admin only. */
@Path("/v1/admin/console-users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConsoleUsersResource {
    private final ConsoleAccounts accounts;
    private final SecurityIdentity identity;

    public ConsoleUsersResource(ConsoleAccounts accounts, SecurityIdentity identity) {
        this.accounts = accounts;
        this.identity = identity;
    }

    public record NewUser(@NotNull @Pattern(regexp = "[A-Za-z0-9._@-]{1,100}") String username,
                          @NotNull @Size(max = 200) String password,
                          @NotEmpty @Size(max = 5) List<@NotNull String> roles) {
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List console users")
    public List<ConsoleAccounts.UserView> list() {
        return accounts.list();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create a console user (password at least 12 characters)")
    public Response create(@Valid @NotNull NewUser body) {
        String unknown = Roles.firstUnknown(body.roles());
        if (unknown != null) throw ProblemException.badField("roles", "unknown role '" + unknown + "'; roles: " + Roles.ALL);
        return Response.status(201).entity(accounts.create(body.username(), body.password(),
                List.copyOf(new LinkedHashSet<>(body.roles())), Identities.actor(identity))).build();
    }

    @POST
    @Path("/{username}/disable")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Disable a console user and end their sessions")
    public ConsoleAccounts.UserView disable(@PathParam("username") @Size(max = 100) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String username) {
        return accounts.disable(username, Identities.actor(identity));
    }
}
