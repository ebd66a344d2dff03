package dev.penchant.serving.recommend;

import dev.penchant.serving.config.ServingConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A user's events as the model's preprocessing needs them, read at request time in the order training
 * reads them (occurred_at, then the ingest sequence), from the covering index events_user_seq_idx
 * (index-only: item, type and value are included).
 */
@ApplicationScoped
public class HistoryReader {
    // date_part (float8) rather than extract (numeric): the cheaper of the two per row
    static final String LATEST = """
            select item_id, type, value, floor(date_part('epoch', occurred_at))::bigint
              from events where user_id = $1 order by occurred_at desc, seq desc limit $2""";
    static final String SEEN = "select distinct item_id from events where user_id = $1";

    /**
     * The user's newest events, oldest first (times in epoch seconds, as the preprocessing keeps them;
     * values NaN where none).
     *
     * @param complete whether these are all of the user's events (fewer than the limit came back)
     */
    public record Events(String[] items, String[] types, float[] values, long[] seconds, int size, boolean complete) {
        static final Events NONE = new Events(new String[0], new String[0], new float[0], new long[0], 0, true);
    }

    private final Pool pool;
    private final Duration timeout;

    public HistoryReader(Pool pool, ServingConfig config) {
        this.pool = pool;
        this.timeout = config.history().timeout();
    }

    /** The user's newest limit events; fails fast when the database is away. */
    public Uni<Events> latest(String userId, int limit) {
        return pool.preparedQuery(LATEST).execute(Tuple.of(userId, limit))
                .ifNoItem().after(timeout).fail()
                .map(rs -> events(rs, limit));
    }

    /** Every item the user has an event for (the whole history, for excludeSeen beyond what latest read). */
    public Uni<Set<String>> seenItems(String userId) {
        return pool.preparedQuery(SEEN).execute(Tuple.of(userId))
                .ifNoItem().after(timeout).fail()
                .map(rs -> {
                    Set<String> out = new HashSet<>(rs.size() * 2);
                    for (Row r : rs) out.add(r.getString(0));
                    return out;
                });
    }

    private static Events events(RowSet<Row> rs, int limit) {
        int n = rs.size();
        String[] items = new String[n];
        String[] types = new String[n];
        float[] values = new float[n];
        long[] seconds = new long[n];
        int i = n; // rows come newest first: fill from the end
        for (Row r : rs) {
            i--;
            items[i] = r.getString(0);
            types[i] = r.getString(1);
            Double v = r.getDouble(2);
            values[i] = v == null ? Float.NaN : v.floatValue();
            seconds[i] = r.getLong(3);
        }
        return new Events(items, types, values, seconds, n, n < limit);
    }
}
