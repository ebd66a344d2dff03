package dev.penchant.api.users;

import dev.penchant.api.common.Page;
import dev.penchant.support.problem.ProblemMappers;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.support.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.validation.groups.ConvertGroup;
import jakarta.validation.groups.Default;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class UsersResource {
    private final UserService users;

    public UsersResource(UserService users) {
        this.users = users;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "List users by id, cursor-paginated")
    public Uni<Page<UserDto.Out>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return users.list(QueryParams.integer("limit", limit, 100, 1, 1000), cursor);
    }

    @GET
    @Path("/{userId}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "One user; 404 problem when unknown")
    public Uni<UserDto.Out> get(@PathParam("userId") @Size(max = 256) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String userId) {
        return users.get(userId);
    }

    @PUT
    @Path("/{userId}")
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Create or replace a user (201 when created, 200 when replaced)")
    public Uni<Response> put(@PathParam("userId") @Size(max = 256) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String userId, @Valid @NotNull UserDto.In body) {
        return users.put(userId, body).chain(created -> users.get(userId)
                .map(u -> Response.status(created ? 201 : 200).entity(u).build()));
    }

    @POST
    @Path("/batch")
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Create or replace up to 1,000 users; all or nothing")
    public Uni<UserDto.BatchResult> batch(
            @NotNull @Size(min = 1, max = 1000) List<UserDto.@Valid @NotNull @ConvertGroup(from = Default.class, to = UserDto.Batch.class) In> body) {
        return users.upsert(body);
    }
}
