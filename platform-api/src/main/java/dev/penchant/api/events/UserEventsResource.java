package dev.penchant.api.events;

import dev.penchant.api.common.Page;
import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
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

    @GET
    @Operation(summary = "A user's events, newest first, cursor-paginated")
    public Uni<Page<EventQueryService.EventView>> list(@PathParam("userId") String userId,
                                                      @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(1000) int limit,
                                                      @QueryParam("cursor") String cursor) {
        return query.userEvents(userId, limit, cursor);
    }
}
