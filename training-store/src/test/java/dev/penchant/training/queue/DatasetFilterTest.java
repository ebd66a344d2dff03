package dev.penchant.training.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.training.store.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The values a job's dataset may take: filters on the platform's events, never a path. */
class DatasetFilterTest {
    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    static List<String> errors(String value) throws Exception {
        List<String> out = new ArrayList<>();
        DatasetFilter f = DatasetFilter.parse(json(value), (field, msg) -> out.add(field + ": " + msg));
        if (!out.isEmpty()) assertNull(f);
        return out;
    }

    @Test
    void absentNullAndPlatformMeanEveryEvent() throws Exception {
        assertEquals(DatasetFilter.ALL, DatasetFilter.parse(null, (f, m) -> { throw new AssertionError(); }));
        assertEquals(DatasetFilter.ALL, DatasetFilter.parse(json("null"), (f, m) -> { throw new AssertionError(); }));
        assertEquals(DatasetFilter.ALL, DatasetFilter.parse(json("\"platform\""), (f, m) -> { throw new AssertionError(); }));
        assertEquals(DatasetFilter.ALL, DatasetFilter.parse(json("{}"), (f, m) -> { throw new AssertionError(); }));
        assertTrue(DatasetFilter.ALL.all());
        assertEquals("{}", DatasetFilter.ALL.toJson());
    }

    @Test
    void filtersRoundTrip() throws Exception {
        DatasetFilter f = DatasetFilter.parse(json("""
                {"eventTypes": ["view", "purchase", "view"], "from": "2026-01-01T00:00:00Z", "to": "2026-02-01T00:00:00+01:00"}"""),
                (x, m) -> { throw new AssertionError(x + m); });
        assertEquals(List.of("view", "purchase"), f.eventTypes());
        assertEquals(Instant.parse("2026-01-31T23:00:00Z"), f.to());
        assertEquals(f, DatasetFilter.fromJson(f.toJson()));
    }

    @Test
    void pathsAndFilesAreRefusedByTheirFieldWithoutReadingAnything() throws Exception {
        // the values of the reported probes: parsing is pure, nothing opens a file whatever the text
        for (String probe : List.of("\"file:/etc/passwd#csv\"", "\"file:/proc/self/environ#csv\"", "\"/etc\"",
                "\"s3://bucket/x\"", "[\"/etc/passwd\"]", "42")) {
            List<String> e = errors(probe);
            assertEquals(1, e.size(), probe);
            assertTrue(e.get(0).startsWith("dataset: must be an object"), e.get(0));
        }
        assertEquals(List.of("dataset.path: unknown field; known: eventTypes, from, to"), errors("{\"path\": \"/etc/passwd\"}"));
    }

    @Test
    void badFiltersNameTheirField() throws Exception {
        assertEquals("dataset.eventTypes", errors("{\"eventTypes\": []}").get(0).split(":")[0]);
        assertEquals("dataset.eventTypes[1]", errors("{\"eventTypes\": [\"view\", 3]}").get(0).split(":")[0]);
        assertEquals("dataset.from", errors("{\"from\": \"yesterday\"}").get(0).split(":")[0]);
        assertEquals("dataset.to", errors("{\"from\": \"2026-01-02T00:00:00Z\", \"to\": \"2026-01-01T00:00:00Z\"}").get(0).split(":")[0]);
    }
}
