package dev.penchant.training.data;

import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;
import dev.penchant.training.queue.DatasetFilter;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The platform's tables as a core DataSource, narrowed by a job's dataset filter. */
@QuarkusTest
class DataSourcesTest {
    @Inject
    AgroalDataSource db;

    @BeforeEach
    void load() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate events, event_keys, users, items");
            s.execute("select ensure_event_partitions(array['2025-12-31T00:00:00Z','2026-01-02T00:00:00Z']::timestamptz[])");
            s.execute("""
                    insert into events (event_id, user_id, item_id, type, value, occurred_at) values
                      ('1', 'b', 'x', 'view', null, '2026-01-02T10:00:00Z'),
                      ('2', 'a', 'y', 'rating', 4.5, '2026-01-02T09:00:00Z'),
                      ('3', 'a', 'x', 'view', null, '2025-12-31T08:00:00Z'),
                      ('4', 'b', 'y', 'click', null, '2026-01-02T08:00:00Z')""");
            // received after any snapshot taken now: must not be read
            s.execute("""
                    insert into events (event_id, user_id, item_id, type, occurred_at, received_at)
                    values ('5', 'a', 'z', 'view', '2026-01-02T11:00:00Z', now() + interval '1 hour')""");
            s.execute("insert into users (user_id, attributes) values ('a', '{\"age\": 31, \"gender\": \"F\"}')");
            s.execute("insert into items (item_id, title, categories) values ('x', 'Heat', '{Action,Crime}')");
        }
    }

    /** Events of one time (a batch sent without timestamps) come in the order they were stored, not by id. */
    @Test
    void equalTimesKeepTheIngestOrder() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into events (event_id, user_id, item_id, type, occurred_at)
                    select id, 'c', item, 'view', '2026-01-02T12:00:00Z'
                      from unnest(array['z', 'b', 'y', 'a'], array['i1', 'i2', 'i3', 'i4']) with ordinality as t(id, item, ord)
                     order by ord""");
        }
        List<String> items;
        try (Stream<RawEvent> s = PlatformDataSource.snapshot(db, DatasetFilter.ALL).events()) {
            items = s.filter(e -> e.userId().equals("c")).map(RawEvent::itemId).toList();
        }
        assertEquals(List.of("i1", "i2", "i3", "i4"), items);
    }

    @Test
    void streamsEventsByUserAndTimeUpToTheSnapshot() {
        PlatformDataSource source = PlatformDataSource.snapshot(db, DatasetFilter.ALL);
        List<RawEvent> events;
        try (Stream<RawEvent> s = source.events()) {
            events = s.toList();
        }
        assertEquals(List.of("a/x", "a/y", "b/y", "b/x"),
                events.stream().map(e -> e.userId() + "/" + e.itemId()).toList());
        assertEquals(4.5, events.get(1).value());
        assertNull(events.get(0).value());
        assertEquals(Instant.parse("2025-12-31T08:00:00Z"), events.get(0).timestamp());

        PlatformDataSource.Snapshot snap = source.snapshotInfo();
        assertEquals(4, snap.events());
        assertEquals(2, snap.users());
        assertEquals(Instant.parse("2026-01-02T10:00:00Z"), snap.maxOccurredAt());
        assertTrue(snap.toMap().containsKey("snapshotAt"));

        List<RawUser> users;
        try (Stream<RawUser> s = source.users()) {
            users = s.toList();
        }
        assertEquals(31, ((Number) users.get(0).attributes().get("age")).intValue());
        List<RawItem> items;
        try (Stream<RawItem> s = source.items()) {
            items = s.toList();
        }
        assertEquals(List.of("Action", "Crime"), items.get(0).categories());
        assertEquals("Heat", items.get(0).title());
    }

    /** Privacy: a user whose deletion is in progress is in no snapshot (neither events nor profile). */
    @Test
    void aUserBeingDeletedIsLeftOut() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    insert into privacy_requests (subject_hash, user_id, kind, status, deadline)
                    values ('test-hash-a', 'a', 'delete', 'in_progress', now() + interval '1 month')""");
        }
        try {
            PlatformDataSource source = PlatformDataSource.snapshot(db, DatasetFilter.ALL);
            try (Stream<RawEvent> s = source.events()) {
                assertEquals(List.of("b", "b"), s.map(RawEvent::userId).toList());
            }
            assertEquals(1, source.snapshotInfo().users());
            try (Stream<RawUser> s = source.users()) {
                assertEquals(0, s.count());
            }
        } finally {
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("delete from privacy_requests where subject_hash = 'test-hash-a'");
            }
        }
    }

    @Test
    void aFilterNarrowsTheEventsByTypeAndTime() {
        PlatformDataSource source = PlatformDataSource.snapshot(db, new DatasetFilter(List.of("view", "click"),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-02T10:00:00Z")));
        List<RawEvent> events;
        try (Stream<RawEvent> s = source.events()) {
            events = s.toList();
        }
        // 'a/x' is before from, 'a/y' a rating, 'b/x' at the exclusive upper bound
        assertEquals(List.of("b/y"), events.stream().map(e -> e.userId() + "/" + e.itemId()).toList());
        assertEquals(1, source.snapshotInfo().events());
        assertEquals(Map.of("eventTypes", List.of("view", "click"), "from", "2026-01-01T00:00:00Z",
                "to", "2026-01-02T10:00:00Z"), source.snapshotInfo().toMap().get("filter"));
    }
}
