package dev.penchant.api.admin;

import dev.penchant.api.common.Cursor;
import dev.penchant.api.common.Page;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.support.security.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The audit log, newest first, filtered and cursor-paginated. */
@Path("/v1/admin/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final Pool pool;

    public AuditResource(Pool pool) {
        this.pool = pool;
    }

    public record Entry(long id, OffsetDateTime occurredAt, String actor, String action, String subject,
                        Map<String, Object> details) {
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.ANALYST})
    @Operation(summary = "Audit rows (actor, action, subject, time, details), newest first")
    public Uni<Page<Entry>> list(@QueryParam("actor") String actor, @QueryParam("action") String action,
                                 @QueryParam("since") String since, @QueryParam("until") String until,
                                 @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        String a = QueryParams.text("actor", actor, 200);
        String ac = QueryParams.text("action", action, 100);
        Instant from = QueryParams.instant("since", since);
        Instant to = QueryParams.instant("until", until);
        int n = QueryParams.integer("limit", limit, 100, 1, 1000);
        if (from != null && to != null && !from.isBefore(to)) throw ProblemException.badField("until", "must be after since");
        Cursor.Position after = cursor == null || cursor.isBlank() ? null : Cursor.decode(cursor);
        Long afterId = null;
        if (after != null) {
            try {
                afterId = Long.parseLong(after.id());
            } catch (NumberFormatException e) {
                throw ProblemException.badField("cursor", "not a cursor this API issued");
            }
        }
        Tuple args = Tuple.tuple().addString(a).addString(ac).addOffsetDateTime(utc(from)).addOffsetDateTime(utc(to))
                .addOffsetDateTime(after == null ? null : after.time()).addLong(afterId).addInteger(n + 1);
        return pool.preparedQuery("""
                        select id, occurred_at, actor, action, subject, details from audit_log
                         where ($1::text is null or actor = $1) and ($2::text is null or action = $2)
                           and ($3::timestamptz is null or occurred_at >= $3) and ($4::timestamptz is null or occurred_at < $4)
                           and ($5::timestamptz is null or (occurred_at, id) < ($5, $6))
                         order by occurred_at desc, id desc limit $7""")
                .execute(args)
                .map(rows -> {
                    List<Entry> out = new ArrayList<>();
                    String next = null;
                    for (Row r : rows) {
                        if (out.size() == n) {
                            Entry last = out.get(n - 1);
                            next = Cursor.encode(last.occurredAt(), Long.toString(last.id()));
                            break;
                        }
                        out.add(new Entry(r.getLong(0), r.getOffsetDateTime(1).withOffsetSameInstant(ZoneOffset.UTC),
                                r.getString(2), r.getString(3), r.getString(4), r.getJsonObject(5).getMap()));
                    }
                    return new Page<>(out, next);
                });
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }
}
