package dev.penchant.serving.recommend;

import dev.penchant.serving.config.ServingConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.PreparedQuery;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A user's latest events, read at request time (index events_user_time_idx). */
@ApplicationScoped
public class HistoryReader {
    private final Pool pool;
    private final List<String> types;
    private final Duration timeout;

    public HistoryReader(Pool pool, ServingConfig config) {
        this.pool = pool;
        this.types = config.history().eventTypes().orElse(List.of());
        this.timeout = config.history().timeout();
    }

    /** Item ids of the user's latest events, newest first; fails fast when the database is away. */
    public Uni<List<String>> latest(String userId, int limit) {
        Uni<RowSet<Row>> rows;
        if (types.isEmpty()) {
            PreparedQuery<RowSet<Row>> q = pool.preparedQuery(
                    "select item_id from events where user_id = $1 order by occurred_at desc limit $2");
            rows = q.execute(Tuple.of(userId, limit));
        } else {
            PreparedQuery<RowSet<Row>> q = pool.preparedQuery("""
                    select item_id from events where user_id = $1 and type = any($3)
                     order by occurred_at desc limit $2""");
            rows = q.execute(Tuple.of(userId, limit, types.toArray(new String[0])));
        }
        return rows.ifNoItem().after(timeout).fail().map(rs -> {
            List<String> out = new ArrayList<>(rs.size());
            for (Row r : rs) out.add(r.getString(0));
            return out;
        });
    }
}
