package dev.penchant.api.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.penchant.api.common.Cursor;
import dev.penchant.api.common.Page;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a user's events newest first, keyset-paginated on (occurred_at, seq): events of the same time
 * come newest-sent first, the reverse of the order they were sent in (seq is assigned at ingest).
 */
@Singleton
public class EventQueryService {
    private final Pool pool;

    public EventQueryService(Pool pool) {
        this.pool = pool;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventView(String eventId, String userId, String itemId, String type, Double value,
                            OffsetDateTime timestamp, OffsetDateTime receivedAt, @JsonRawValue String context) {
    }

    public Uni<Page<EventView>> userEvents(String userId, int limit, String cursor) {
        String sql;
        Tuple args;
        if (cursor == null) {
            sql = """
                    select event_id, user_id, item_id, type, value, occurred_at, received_at, context::text, seq
                    from events where user_id = $1
                    order by occurred_at desc, seq desc limit $2""";
            args = Tuple.of(userId, limit + 1);
        } else {
            Cursor.Position at = Cursor.decode(cursor);
            sql = """
                    select event_id, user_id, item_id, type, value, occurred_at, received_at, context::text, seq
                    from events where user_id = $1 and (occurred_at, seq) < ($2, $3)
                    order by occurred_at desc, seq desc limit $4""";
            args = Tuple.of(userId, at.time(), Cursor.sequence(at), limit + 1);
        }
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<EventView> out = new ArrayList<>(Math.min(limit, rows.size()));
            String next = null;
            long lastSeq = 0;
            for (Row r : rows) {
                if (out.size() == limit) {
                    next = Cursor.encode(out.get(out.size() - 1).timestamp(), Long.toString(lastSeq));
                    break;
                }
                lastSeq = r.getLong(8);
                out.add(new EventView(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                        r.getDouble(4), utc(r.getOffsetDateTime(5)), utc(r.getOffsetDateTime(6)), r.getString(7)));
            }
            return new Page<>(out, next);
        });
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }
}
