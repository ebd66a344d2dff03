package dev.penchant.training.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.training.store.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What a training job trains on: always the platform's own events (with their users and items),
 * optionally narrowed to some event types and a time range of occurred_at ([from, to)). Never a file
 * or a path: a job is submitted over the network, and reading a path named by a request would let any
 * caller read the worker's files. Offline files are the command line's business (./penchant train).
 *
 * @param eventTypes null for every type
 * @param from       inclusive; null for no lower bound
 * @param to         exclusive; null for no upper bound
 */
public record DatasetFilter(List<String> eventTypes, Instant from, Instant to) {
    public static final DatasetFilter ALL = new DatasetFilter(null, null, null);
    static final Set<String> FIELDS = Set.of("eventTypes", "from", "to");
    static final int MAX_TYPES = 50;

    public DatasetFilter {
        eventTypes = eventTypes == null ? null : List.copyOf(eventTypes);
    }

    /**
     * Reads a request's {@code dataset} value, reporting each problem as (field path, message) and
     * returning null when there was one. Absent or null means every event; the string "platform" (the
     * earlier spelling) too. Nothing here touches a file system, whatever the value says.
     */
    public static DatasetFilter parse(JsonNode node, BiConsumer<String, String> errors) {
        if (node == null || node.isNull() || node.isMissingNode()) return ALL;
        if (node.isTextual() && node.asText().equals("platform")) return ALL;
        if (!node.isObject()) {
            errors.accept("dataset", "must be an object of filters on the platform's events, e.g. "
                    + "{\"eventTypes\": [\"view\", \"purchase\"], \"from\": \"2026-01-01T00:00:00Z\"}; "
                    + "files and paths are never read (offline files: ./penchant train --data)");
            return null;
        }
        boolean ok = true;
        for (var it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                errors.accept("dataset." + f, "unknown field; known: eventTypes, from, to");
                ok = false;
            }
        }
        List<String> types = null;
        JsonNode t = node.get("eventTypes");
        if (t != null && !t.isNull()) {
            if (!t.isArray() || t.isEmpty() || t.size() > MAX_TYPES) {
                errors.accept("dataset.eventTypes", "must be a list of 1 to " + MAX_TYPES + " event types");
                ok = false;
            } else {
                types = new ArrayList<>();
                for (int i = 0; i < t.size(); i++) {
                    JsonNode e = t.get(i);
                    if (!e.isTextual() || e.asText().isBlank() || e.asText().length() > 256
                            || e.asText().indexOf('\u0000') >= 0) {
                        errors.accept("dataset.eventTypes[" + i + "]", "must be an event type name");
                        ok = false;
                    } else if (!types.contains(e.asText())) {
                        types.add(e.asText());
                    }
                }
            }
        }
        Instant from = instant(node, "from", errors);
        Instant to = instant(node, "to", errors);
        if ((node.hasNonNull("from") && from == null) || (node.hasNonNull("to") && to == null)) ok = false;
        if (from != null && to != null && !from.isBefore(to)) {
            errors.accept("dataset.to", "must be after dataset.from");
            ok = false;
        }
        return ok ? new DatasetFilter(types, from, to) : null;
    }

    private static Instant instant(JsonNode node, String field, BiConsumer<String, String> errors) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return null;
        if (v.isTextual()) {
            try {
                return OffsetDateTime.parse(v.asText()).toInstant();
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        errors.accept("dataset." + field, "must be an ISO-8601 timestamp with offset, e.g. 2026-01-01T00:00:00Z");
        return null;
    }

    public boolean all() {
        return eventTypes == null && from == null && to == null;
    }

    /** As stored in training_jobs.dataset and shown to clients; {} for every event. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (eventTypes != null) m.put("eventTypes", eventTypes);
        if (from != null) m.put("from", from.toString());
        if (to != null) m.put("to", to.toString());
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }

    /** Reads a stored value; fields it does not know are ignored. */
    public static DatasetFilter fromJson(String json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json == null ? "{}" : json);
            List<String> types = null;
            if (n.has("eventTypes") && n.get("eventTypes").isArray()) {
                types = new ArrayList<>();
                for (JsonNode e : n.get("eventTypes")) types.add(e.asText());
            }
            Instant from = n.hasNonNull("from") ? Instant.parse(n.get("from").asText()) : null;
            Instant to = n.hasNonNull("to") ? Instant.parse(n.get("to").asText()) : null;
            return new DatasetFilter(types, from, to);
        } catch (Exception e) {
            throw new IllegalStateException("bad dataset in database: " + json, e);
        }
    }
}
