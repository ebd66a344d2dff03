package dev.penchant.api.privacy;

import dev.penchant.api.common.Cursor;
import dev.penchant.api.common.Page;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Privacy requests (GDPR Art. 15/17/20): deletion and export of one end user's data. Role privacy (or
 * admin). Blocking JDBC, so these run on worker threads; the work itself is done by {@link PrivacyWorkflow}.
 */
@Path("/v1/privacy/requests")
@Produces(MediaType.APPLICATION_JSON)
public class PrivacyResource {
    private final PrivacyRequests requests;
    private final SecurityIdentity identity;

    public PrivacyResource(PrivacyRequests requests, SecurityIdentity identity) {
        this.requests = requests;
        this.identity = identity;
    }

    @Schema(name = "PrivacyRequestIn")
    public record RequestIn(@Schema(required = true, enumeration = {"delete", "export"}) String kind,
                            @Schema(required = true, maxLength = 256) String userId) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "Request deletion or export of a user's data (202); an open request of the same kind for "
            + "the user is returned instead of a new one")
    public Response create(RequestIn body, @Context UriInfo uri) {
        if (body == null) throw ProblemException.badRequest("Send {\"kind\": \"delete\" | \"export\", \"userId\": \"...\"}", null);
        if (body.kind() == null || !PrivacyRequests.KINDS.contains(body.kind())) {
            throw ProblemException.badField("kind", "must be one of " + PrivacyRequests.KINDS);
        }
        String user = body.userId();
        if (user == null || user.isBlank()) throw ProblemException.badField("userId", "is required");
        if (user.length() > 256) throw ProblemException.badField("userId", "must have at most 256 characters");
        if (user.indexOf('\0') >= 0) throw ProblemException.badField("userId", "must not contain NUL characters");
        PrivacyRequests.Created c = requests.create(body.kind(), user, Identities.actor(identity));
        return Response.accepted(c.request())
                .location(uri.getBaseUriBuilder().path("v1/privacy/requests").path(Long.toString(c.request().id())).build())
                .header("X-Penchant-Existing-Request", c.created() ? null : "true")
                .build();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "A request: status, step, deadline, per-store counts, verification")
    public PrivacyRequests.View get(@PathParam("id") long id) {
        return requests.find(id).orElseThrow(() -> ProblemException.notFound("No privacy request " + id));
    }

    @GET
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "Requests, newest first, cursor-paged; status filter; overdue=true: open past the deadline, or failed")
    public Page<PrivacyRequests.View> list(@QueryParam("status") String status, @QueryParam("overdue") String overdue,
                                           @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        String s = status == null ? null : QueryParams.oneOf("status", status, PrivacyRequests.STATUSES);
        Boolean o = overdue == null ? null : QueryParams.bool("overdue", overdue, false);
        int n = QueryParams.integer("limit", limit, 50, 1, 500);
        Cursor.Position after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        List<PrivacyRequests.View> rows = requests.list(s, o, after == null ? null : after.time().toInstant(),
                after == null ? null : Cursor.sequence(after), n + 1);
        String next = null;
        if (rows.size() > n) {
            rows = rows.subList(0, n);
            PrivacyRequests.View last = rows.get(n - 1);
            next = Cursor.encode(last.requestedAt().atOffset(ZoneOffset.UTC), Long.toString(last.id()));
        }
        return new Page<>(rows, next);
    }

    @GET
    @Path("/{id}/export")
    @RolesAllowed(Roles.PRIVACY)
    @Operation(summary = "The export document of a completed export request; 409 while it is still running")
    public Response export(@PathParam("id") long id) {
        PrivacyRequests.View r = get(id);
        if (!"export".equals(r.kind())) throw ProblemException.conflict("Privacy request " + id + " is a " + r.kind() + " request");
        return requests.exportDocument(id)
                .map(doc -> Response.ok(doc, MediaType.APPLICATION_JSON)
                        .header("Content-Disposition", "attachment; filename=\"penchant-export-" + id + ".json\"").build())
                .orElseThrow(() -> "completed".equals(r.status())
                        ? ProblemException.notFound("The export of request " + id + " has expired or was deleted")
                        : ProblemException.conflict("Privacy request " + id + " is " + r.status() + "; the export is not ready"));
    }
}
