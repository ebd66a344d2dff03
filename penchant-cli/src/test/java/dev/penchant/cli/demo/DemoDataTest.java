package dev.penchant.cli.demo;

import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo shop as the importer reads it: types the platform accepts, recent times, a catalogue, profiles, series. */
class DemoDataTest {
    static final Set<String> ACCEPTED = Set.of("view", "click", "add_to_cart", "purchase", "rating");

    @Test
    void writesAtomicFilesTheImporterReads(@TempDir Path dir) throws Exception {
        Instant end = Instant.parse("2026-06-01T12:00:00Z");
        DemoData.Summary s = DemoData.write(dir, new DemoData.Options(300, 120, 30, 7, end));
        DataSource source = DataFormats.open(dir, "movielens-atomic", Map.of());
        List<RawEvent> events;
        try (var st = source.events()) {
            events = st.toList();
        }
        assertEquals(s.events(), events.size());
        assertTrue(events.size() > 3000, "events: " + events.size());
        assertTrue(events.stream().allMatch(e -> ACCEPTED.contains(e.type())), "types: " + s.byType());
        assertEquals(ACCEPTED, s.byType().keySet());
        for (RawEvent e : events) {
            assertTrue(!e.timestamp().isAfter(end) && e.timestamp().isAfter(end.minus(Duration.ofDays(31))), e.toString());
            switch (e.type()) {
                case "rating" -> assertTrue(e.value() >= 1 && e.value() <= 5, e.toString());
                case "purchase", "view" -> assertTrue(e.value() != null && e.value() >= 0, e.toString());
                default -> { }
            }
        }
        assertTrue(Duration.between(events.get(events.size() - 1).timestamp(), end).toHours() < 24, "the data runs up to the end");

        List<RawItem> items;
        try (var st = source.items()) {
            items = st.toList();
        }
        assertEquals(120, items.size());
        assertTrue(items.stream().allMatch(i -> i.title() != null && !i.categories().isEmpty() && i.description() != null));
        assertEquals(12, items.stream().map(i -> i.categories().get(0)).distinct().count());
        List<RawUser> users;
        try (var st = source.users()) {
            users = st.toList();
        }
        assertEquals(300, users.size());
        assertTrue(users.get(0).attributes().containsKey("country"));
        Set<String> active = events.stream().map(RawEvent::userId).collect(Collectors.toSet());
        assertEquals(s.usersWithEvents(), active.size());
        assertTrue(active.size() < 300, "some users have a profile and no events (cold start)");

        // the series: after viewing item k of a category, the next view is most often item k+1 of it
        Map<String, String> lastView = new HashMap<>();
        int follows = 0, transitions = 0;
        for (RawEvent e : events) {
            if (!e.type().equals("view")) continue;
            String prev = lastView.put(e.userId(), e.itemId());
            if (prev == null) continue;
            transitions++;
            int p = Integer.parseInt(prev.substring(5)), n = Integer.parseInt(e.itemId().substring(5));
            if (n - p == 12) follows++;
        }
        assertTrue(follows > 0.3 * transitions, follows + " of " + transitions + " views move on along the series");
        // deterministic for a seed
        Path again = Files.createDirectories(dir.resolve("again"));
        DemoData.write(again, new DemoData.Options(300, 120, 30, 7, end));
        assertEquals(Files.readString(dir.resolve("demo.inter")), Files.readString(again.resolve("demo.inter")));
        assertEquals(new HashSet<>(Files.readAllLines(dir.resolve("demo.item"))), new HashSet<>(Files.readAllLines(again.resolve("demo.item"))));
    }
}
