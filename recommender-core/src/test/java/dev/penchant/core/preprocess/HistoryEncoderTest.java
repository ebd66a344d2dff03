package dev.penchant.core.preprocess;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.data.io.RawEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Serving's per-user history equals the training pipeline's sequence for the same events. */
class HistoryEncoderTest {

    /** Events with many same-second ties, duplicates, types, values with and without, and a bot. */
    private static List<RawEvent> events(long seed) {
        Random rng = new Random(seed);
        String[] types = {"rating", "view", "click"};
        List<RawEvent> out = new ArrayList<>();
        for (int u = 0; u < 60; u++) {
            int n = 1 + rng.nextInt(40);
            long t = 1_000_000 + rng.nextInt(1000);
            for (int k = 0; k < n; k++) {
                t += rng.nextInt(3) == 0 ? 0 : rng.nextInt(2000); // a third share the previous second
                String type = types[rng.nextInt(types.length)];
                Double value = type.equals("rating") ? (double) (1 + rng.nextInt(5)) : null;
                RawEvent e = new RawEvent("u" + u, "i" + rng.nextInt(30), type, value, Instant.ofEpochSecond(t, rng.nextInt(1000) * 1000));
                out.add(e);
                if (rng.nextInt(8) == 0) out.add(e); // an exact duplicate
            }
        }
        for (int k = 0; k < 100; k++) out.add(new RawEvent("bot", "i" + (k % 30), "click", null, Instant.ofEpochSecond(2_000_000 + k)));
        // as the platform reads them (by occurred_at, then ingest order): shuffled, then a stable sort by
        // the full timestamp, so events of one second keep an order that is neither time nor item id
        java.util.Collections.shuffle(out, new Random(seed + 1));
        out.sort(Comparator.comparing(RawEvent::timestamp));
        return out;
    }

    @Test
    void servingHistoryEqualsTheTrainingSequence() {
        PreprocessOptions o = PreprocessOptions.fromMap(Map.of("eventTypes", "rating,click", "implicitThreshold", "3",
                "botMaxEventsPerHour", "50", "features", "false"));
        for (long seed = 1; seed <= 5; seed++) {
            List<RawEvent> events = events(seed);
            PreparedDataset p = new Preprocessor(o).run(new ListSource(events));
            Dataset d = p.dataset();
            HistoryRules rules = p.history();
            assertEquals(List.of("rating", "click"), rules.eventTypes());
            assertEquals(3.0, rules.implicitThreshold());
            HistoryEncoder encoder = new HistoryEncoder(rules, d.items(), 10_000, null);
            // each user's raw events in the order read
            Map<String, List<RawEvent>> byUser = new LinkedHashMap<>();
            for (RawEvent e : events) byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);
            int compared = 0;
            for (Map.Entry<String, List<RawEvent>> e : byUser.entrySet()) {
                HistoryEncoder.Encoded enc = encode(encoder, e.getValue());
                int u = d.users().indexOf(e.getKey());
                if (u < 0) {
                    assertTrue(enc.filtered() || enc.kept() == 0, e.getKey() + " was dropped by training");
                    continue;
                }
                assertFalse(enc.filtered());
                assertArrayEquals(d.interactions().items()[u], enc.items(), "seed " + seed + " user " + e.getKey());
                compared++;
            }
            assertTrue(compared > 40);
            assertEquals(-1, d.users().indexOf("bot"));
        }
    }

    private static HistoryEncoder.Encoded encode(HistoryEncoder encoder, List<RawEvent> h) {
        int n = h.size();
        String[] items = new String[n];
        String[] types = new String[n];
        float[] values = new float[n];
        long[] seconds = new long[n];
        for (int i = 0; i < n; i++) {
            RawEvent e = h.get(i);
            items[i] = e.itemId();
            types[i] = e.type();
            values[i] = e.value() == null ? Float.NaN : e.value().floatValue();
            seconds[i] = e.timestamp().getEpochSecond();
        }
        return encoder.encode(items, types, values, seconds, n);
    }

    @Test
    void unknownItemsKeepTheirPositionAndTheWindowKeepsTheNewest() {
        Vocabulary v = Vocabulary.of(List.of("a", "b", "c"));
        HistoryEncoder encoder = new HistoryEncoder(HistoryRules.none(), v, 4, null);
        HistoryEncoder.Encoded e = encoder.encode(new String[]{"a", "b", "new", "c", "a"}, null, null,
                new long[]{1, 2, 3, 4, 5}, 5);
        assertArrayEquals(new int[]{1, -1, 2, 0}, e.items());
        assertEquals(3, e.known());
        assertEquals(5, e.kept());
        assertArrayEquals(new int[]{2, -1, 0}, encoder.encodeItems(List.of("c", "zzz", "a")).items());
        // items outside the item table were dropped in training when the source had one: dropped here too
        HistoryRules table = new HistoryRules(List.of(), null, true, null, true, HistoryRules.ORDER, HistoryRules.PAD);
        HistoryEncoder withTable = new HistoryEncoder(table, v, 4, id -> !id.equals("gone"));
        assertArrayEquals(new int[]{0, -1, 1}, withTable.encode(new String[]{"a", "gone", "new", "b"}, null, null,
                new long[]{1, 2, 3, 4}, 4).items());
    }

    @Test
    void rulesRoundTripThroughTheArtifact() {
        HistoryRules r = HistoryRules.of(PreprocessOptions.fromMap(Map.of("eventTypes", "rating", "implicitThreshold", "4",
                "botMaxEventsPerHour", "100")), true);
        assertEquals(r, HistoryRules.fromMap(new LinkedHashMap<>(r.toMap())));
        assertEquals(HistoryRules.none(), HistoryRules.fromMap(Map.of("history", "old artifact")));
    }
}
