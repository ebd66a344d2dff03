package dev.penchant.api.items;

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

@Path("/v1/items")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ItemsResource {
    private final ItemService items;

    public ItemsResource(ItemService items) {
        this.items = items;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST, Roles.INGEST})
    @Operation(summary = "List items by id, cursor-paginated")
    public Uni<Page<ItemDto.Out>> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        return items.list(QueryParams.integer("limit", limit, 100, 1, 1000), cursor);
    }

    @GET
    @Path("/{itemId}")
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST, Roles.INGEST})
    @Operation(summary = "One item; 404 problem when unknown")
    public Uni<ItemDto.Out> get(@PathParam("itemId") @Size(max = 256) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String itemId) {
        return items.get(itemId);
    }

    @PUT
    @Path("/{itemId}")
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Create or replace an item (201 when created, 200 when replaced)")
    public Uni<Response> put(@PathParam("itemId") @Size(max = 256) @Pattern(regexp = ProblemMappers.NO_NUL, message = ProblemMappers.NUL_MESSAGE) String itemId, @Valid @NotNull ItemDto.In body) {
        return items.put(itemId, body).chain(created -> items.get(itemId)
                .map(u -> Response.status(created ? 201 : 200).entity(u).build()));
    }

    @POST
    @Path("/batch")
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Create or replace up to 1,000 items; all or nothing")
    public Uni<ItemDto.BatchResult> batch(
            @NotNull @Size(min = 1, max = 1000) List<ItemDto.@Valid @NotNull @ConvertGroup(from = Default.class, to = ItemDto.Batch.class) In> body) {
        return items.upsert(body);
    }
}
