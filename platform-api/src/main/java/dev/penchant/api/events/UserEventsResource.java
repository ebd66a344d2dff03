package dev.penchant.api.events;

import dev.penchant.api.common.Page;
import dev.penchant.support.problem.ProblemMappers;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.support.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

// its own root: JAX-RS does not fall back from /v1/users (UsersResource) to another class
@Path("/v1/users/{userId}/events")
@Produces(MediaType.APPLICATION_JSON)
public class UserEventsResource {
    private final EventQueryService query;

    public UserEventsResource(EventQueryService query) {
        this.query = query;
    }

    /** A user's data: admin only (the privacy role joins with privacy requests). */
    @GET
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "A user's events, newest first, cursor-paginated")
    public Uni<Page<EventQueryService.EventView>> list(
            @PathParam("userId") @Size(max = 256) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String userId,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return query.userEvents(userId, QueryParams.integer("limit", limit, 50, 1, 1000), cursor);
    }
}
