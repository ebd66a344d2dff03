package dev.penchant.api.events;

import dev.penchant.support.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

@Path("/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    private final EventBatchParser parser;
    private final EventIngestService ingest;

    public EventsResource(EventBatchParser parser, EventIngestService ingest) {
        this.parser = parser;
        this.ingest = ingest;
    }

    /** Schema for the OpenAPI document only; the body is parsed by {@link EventBatchParser}. */
    @Schema(name = "EventIn")
    public record EventIn(
            @Schema(required = true, maxLength = 128, description = "client-chosen id; a retry with the same id is a duplicate") String eventId,
            @Schema(required = true) String userId,
            @Schema(required = true) String itemId,
            @Schema(required = true, description = "view, click, add_to_cart, purchase, rating, like, comment, share, skip, or a configured extra type") String type,
            @Schema(description = "rating: required, 1-5; purchase/add_to_cart/view: >= 0; others: any finite number") Double value,
            @Schema(description = "ISO-8601 with offset; defaults to the time received") String timestamp,
            @Schema(description = "free-form JSON object, at most 16 KiB serialized") java.util.Map<String, Object> context) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INGEST)
    @Operation(summary = "Record one event or a batch (array) of events; all or nothing")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(oneOf = {EventIn.class, EventIn[].class})))
    public Uni<EventIngestService.Result> record(byte[] body) throws IOException {
        EventBatch batch = parser.parse(body, Instant.now());
        return ingest.ingest(batch);
    }
}
