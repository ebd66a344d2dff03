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

/** Reads a user's events newest first, keyset-paginated on (occurred_at, event_id). */
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
                    select event_id, user_id, item_id, type, value, occurred_at, received_at, context::text
                    from events where user_id = $1
                    order by occurred_at desc, event_id desc limit $2""";
            args = Tuple.of(userId, limit + 1);
        } else {
            Cursor.Position at = Cursor.decode(cursor);
            sql = """
                    select event_id, user_id, item_id, type, value, occurred_at, received_at, context::text
                    from events where user_id = $1 and (occurred_at, event_id) < ($2, $3)
                    order by occurred_at desc, event_id desc limit $4""";
            args = Tuple.of(userId, at.time(), at.id(), limit + 1);
        }
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            List<EventView> out = new ArrayList<>(Math.min(limit, rows.size()));
            String next = null;
            for (Row r : rows) {
                if (out.size() == limit) {
                    EventView last = out.get(out.size() - 1);
                    next = Cursor.encode(last.timestamp(), last.eventId());
                    break;
                }
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
