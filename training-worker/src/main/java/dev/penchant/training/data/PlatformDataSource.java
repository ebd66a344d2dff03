package dev.penchant.training.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;
import dev.penchant.training.queue.DatasetFilter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The platform's own events, users and items as a core {@link DataSource}, so a job trains through
 * the same pipeline as a file data set. Events are streamed with a server-side cursor (autocommit off
 * + fetch size), ordered by user, time and ingest sequence (equal times keep the order they were sent
 * in, as the inference node reads them), and limited to those received up to the snapshot time, so
 * every read during one job sees the same data and the lineage recorded with the model is exact.
 * A job's {@link DatasetFilter} narrows the events (types, occurred_at range); users and items are
 * the whole catalogue.
 */
public final class PlatformDataSource implements DataSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FETCH_SIZE = 10_000;

    /** Lineage of a platform data set, stored in models.data_snapshot. */
    public record Snapshot(long events, long users, long items, Instant minOccurredAt, Instant maxOccurredAt,
                           Instant snapshotAt, DatasetFilter filter) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", "platform");
            if (!filter.all()) m.put("filter", filter.toMap());
            m.put("events", events);
            m.put("users", users);
            m.put("items", items);
            m.put("minOccurredAt", minOccurredAt == null ? null : minOccurredAt.toString());
            m.put("maxOccurredAt", maxOccurredAt == null ? null : maxOccurredAt.toString());
            m.put("snapshotAt", snapshotAt.toString());
            return m;
        }
    }

    private final javax.sql.DataSource db;
    private final Snapshot snapshot;

    private PlatformDataSource(javax.sql.DataSource db, Snapshot snapshot) {
        this.db = db;
        this.snapshot = snapshot;
    }

    /**
     * The events a filter selects, received up to the snapshot time (the first parameter). Users with a
     * deletion in progress are left out (privacy: their events are being deleted; afterwards ingest
     * refuses theirs, so finished deletions need no filter).
     */
    private static final String SELECTED = """
            e.received_at <= ? and (?::text[] is null or e.type = any(?::text[]))
            and (?::timestamptz is null or e.occurred_at >= ?) and (?::timestamptz is null or e.occurred_at < ?)
            and not exists (select 1 from privacy_requests p where p.user_id = e.user_id and p.kind = 'delete')""";

    /** Fixes the snapshot time now (the database's clock) and counts what it covers. */
    public static PlatformDataSource snapshot(javax.sql.DataSource db, DatasetFilter filter) {
        try (Connection c = db.getConnection();
             PreparedStatement now = c.prepareStatement("select now()");
             ResultSet t = now.executeQuery()) {
            t.next();
            Timestamp at = t.getTimestamp(1);
            try (PreparedStatement ps = c.prepareStatement("""
                    select count(e.event_id), min(e.occurred_at), max(e.occurred_at), count(distinct e.user_id),
                           count(distinct e.item_id)
                      from events e where""" + " " + SELECTED)) {
                bind(ps, 1, at, filter, c);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    Snapshot s = new Snapshot(rs.getLong(1), rs.getLong(4), rs.getLong(5), instant(rs.getTimestamp(2)),
                            instant(rs.getTimestamp(3)), at.toInstant(), filter);
                    return new PlatformDataSource(db, s);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not snapshot the platform's events: " + e.getMessage(), e);
        }
    }

    /** Binds the snapshot time and the filter to SELECTED's seven parameters, from position first. */
    private static void bind(PreparedStatement ps, int first, Timestamp at, DatasetFilter f, Connection c) throws SQLException {
        Array types = f.eventTypes() == null ? null : c.createArrayOf("text", f.eventTypes().toArray());
        Timestamp from = f.from() == null ? null : Timestamp.from(f.from());
        Timestamp to = f.to() == null ? null : Timestamp.from(f.to());
        ps.setTimestamp(first, at);
        ps.setArray(first + 1, types);
        ps.setArray(first + 2, types);
        ps.setTimestamp(first + 3, from);
        ps.setTimestamp(first + 4, from);
        ps.setTimestamp(first + 5, to);
        ps.setTimestamp(first + 6, to);
    }

    public Snapshot snapshotInfo() {
        return snapshot;
    }

    @Override
    public String name() {
        return "platform";
    }

    @Override
    public Stream<RawEvent> events() {
        return stream("select e.user_id, e.item_id, e.type, e.value, e.occurred_at from events e where " + SELECTED
                + " order by e.user_id, e.occurred_at, e.seq", true, rs -> {
            double v = rs.getDouble(4);
            Double value = rs.wasNull() ? null : v; // before any other getter resets wasNull
            return new RawEvent(rs.getString(1), rs.getString(2), rs.getString(3), value,
                    rs.getTimestamp(5).toInstant());
        });
    }

    @Override
    public Stream<RawUser> users() {
        return stream("""
                select u.user_id, u.attributes::text from users u
                 where not exists (select 1 from privacy_requests p where p.user_id = u.user_id and p.kind = 'delete')
                 order by u.user_id""", false,
                rs -> new RawUser(rs.getString(1), map(rs.getString(2))));
    }

    @Override
    public Stream<RawItem> items() {
        return stream("select item_id, title, description, categories, attributes::text from items order by item_id",
                false, rs -> {
                    Array cats = rs.getArray(4);
                    List<String> categories = cats == null ? List.of() : Arrays.asList((String[]) cats.getArray());
                    return new RawItem(rs.getString(1), rs.getString(2), rs.getString(3), categories,
                            map(rs.getString(5)));
                });
    }

    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A lazy stream over a cursor; closing the stream closes the cursor and returns the connection. */
    private <T> Stream<T> stream(String sql, boolean bindSnapshot, Row<T> row) {
        Connection c = null;
        try {
            c = db.getConnection();
            c.setAutoCommit(false); // PostgreSQL only uses a cursor (fetch size) inside a transaction
            PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(FETCH_SIZE);
            if (bindSnapshot) bind(ps, 1, Timestamp.from(snapshot.snapshotAt()), snapshot.filter(), c);
            ResultSet rs = ps.executeQuery();
            Connection conn = c;
            Spliterator<T> split = new Spliterators.AbstractSpliterator<>(Long.MAX_VALUE, Spliterator.ORDERED) {
                @Override
                public boolean tryAdvance(Consumer<? super T> action) {
                    try {
                        if (!rs.next()) return false;
                        action.accept(row.map(rs));
                        return true;
                    } catch (SQLException e) {
                        throw new IllegalStateException("reading platform data failed: " + e.getMessage(), e);
                    }
                }
            };
            return StreamSupport.stream(split, false).onClose(() -> close(conn, ps, rs));
        } catch (SQLException e) {
            close(c, null, null);
            throw new IllegalStateException("could not read platform data: " + e.getMessage(), e);
        }
    }

    private static void close(Connection c, PreparedStatement ps, ResultSet rs) {
        try {
            if (rs != null) rs.close();
            if (ps != null) ps.close();
            if (c != null) {
                c.rollback(); // read-only; ends the cursor's transaction
                c.setAutoCommit(true);
                c.close();
            }
        } catch (SQLException ignored) {
            // the connection is discarded by the pool if it is broken
        }
    }

    private static Map<String, Object> map(String json) {
        if (json == null) return Map.of();
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (Exception e) {
            throw new IllegalStateException("bad attributes json: " + json, e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
