package dev.penchant.api.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.Problem.FieldError;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.ProblemMappers;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one event or an array of events straight from the request bytes into columns, with Jackson's
 * streaming parser: no per-event objects, and every bad field of every event is collected (databind
 * stops at the first), so a client learns everything wrong with a batch from one answer.
 */
@Singleton
public class EventBatchParser {
    static final int MAX_ID_LENGTH = 128;
    static final int MAX_REF_LENGTH = 256;
    static final int MAX_CONTEXT_CHARS = 16 * 1024;
    /** Past this many, listing more errors helps nobody and costs memory. */
    static final int MAX_ERRORS = 1000;

    private static final SerializedString EVENT_ID = new SerializedString("eventId");

    private final JsonFactory json;
    private final EventsConfig config;
    private final IngestMetrics metrics;
    private final Set<String> types;

    public EventBatchParser(ObjectMapper mapper, EventsConfig config, IngestMetrics metrics) {
        this.json = mapper.getFactory();
        this.config = config;
        this.metrics = metrics;
        Set<String> t = new HashSet<>(EventType.BUILT_IN);
        config.extraTypes().ifPresent(extra -> extra.stream().map(String::strip).filter(s -> !s.isEmpty()).forEach(t::add));
        this.types = Set.copyOf(t);
    }

    public Set<String> types() {
        return types;
    }

    /** Parses and validates; throws ProblemException (400 or 413) listing every bad field. */
    public EventBatch parse(byte[] body, Instant receivedAt) throws IOException {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("Empty body: send an event object or an array of events", null);
        }
        Columns c = new Columns(64);
        List<FieldError> errors = new ArrayList<>();
        Map<String, Integer> typesSeen = new HashMap<>();
        try {
            return parse(body, receivedAt, c, errors, typesSeen);
        } catch (ProblemException | IOException e) {
            metrics.rejected(typesSeen.isEmpty() ? Map.of("invalid", 1) : typesSeen);
            throw e;
        }
    }

    private EventBatch parse(byte[] body, Instant receivedAt, Columns c, List<FieldError> errors,
                             Map<String, Integer> typesSeen) throws IOException {
        OffsetDateTime received = receivedAt.atOffset(ZoneOffset.UTC);
        Instant latest = receivedAt.plus(config.maxClockSkew());
        try (JsonParser p = json.createParser(body)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                readEvent(p, null, c, errors, received, latest, typesSeen);
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw ProblemException.badRequest("Unexpected end of body inside the array", null);
                    }
                    if (index >= config.maxBatch()) {
                        throw new ProblemException(413, Problem.type("batch-too-large"), "Batch too large",
                                "A batch holds at most " + config.maxBatch() + " events; split it", null);
                    }
                    if (t == JsonToken.START_OBJECT) {
                        readEvent(p, index, c, errors, received, latest, typesSeen);
                    } else {
                        addError(errors, new FieldError("$", index, "must be an event object"));
                        p.skipChildren();
                    }
                    index++;
                }
                if (index == 0) {
                    throw ProblemException.badRequest("Empty batch: send 1 to " + config.maxBatch() + " events",
                            List.of(new FieldError("$", null, "an array of 1 to " + config.maxBatch() + " events")));
                }
            } else {
                throw ProblemException.badRequest("Body must be an event object or an array of events", null);
            }
            if (p.nextToken() != null) {
                throw ProblemException.badRequest("Unexpected content after the JSON value", null);
            }
        }
        if (!errors.isEmpty()) {
            String detail = "Batch rejected, nothing stored: " + (errors.size() >= MAX_ERRORS
                    ? "at least " + MAX_ERRORS + " invalid fields (first " + MAX_ERRORS + " listed)"
                    : errors.size() + " invalid field(s)");
            throw ProblemException.badRequest(detail, errors);
        }
        return c.dedupe(typesSeen);
    }

    private void readEvent(JsonParser p, Integer index, Columns c, List<FieldError> errors,
                           OffsetDateTime received, Instant latest, Map<String, Integer> typesSeen) throws IOException {
        String eventId = null, userId = null, itemId = null, type = null, context = null;
        java.util.UUID recommendationId = null;
        Double value = null;
        OffsetDateTime ts = null;
        boolean badId = false, badUser = false, badItem = false, badType = false, badValue = false;
        String field;
        while ((field = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            switch (field) {
                case "eventId" -> {
                    eventId = text(p, t, field, index, errors, MAX_ID_LENGTH);
                    badId = eventId == null && t != JsonToken.VALUE_NULL;
                }
                case "userId" -> {
                    userId = text(p, t, field, index, errors, MAX_REF_LENGTH);
                    badUser = userId == null && t != JsonToken.VALUE_NULL;
                }
                case "itemId" -> {
                    itemId = text(p, t, field, index, errors, MAX_REF_LENGTH);
                    badItem = itemId == null && t != JsonToken.VALUE_NULL;
                }
                case "type" -> {
                    type = text(p, t, field, index, errors, MAX_REF_LENGTH);
                    if (type != null && !types.contains(type)) {
                        addError(errors, new FieldError(field, index, "unknown event type '" + type + "'; known: "
                                + String.join(", ", new java.util.TreeSet<>(types))));
                        type = null;
                        badType = true;
                    } else if (type == null && t != JsonToken.VALUE_NULL) {
                        badType = true;
                    }
                }
                case "value" -> {
                    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                        double v = p.getDoubleValue();
                        if (Double.isFinite(v)) {
                            value = v;
                        } else {
                            addError(errors, new FieldError(field, index, "must be a finite number"));
                            badValue = true;
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        addError(errors, new FieldError(field, index, "must be a number"));
                        p.skipChildren();
                        badValue = true;
                    }
                }
                case "timestamp" -> {
                    if (t == JsonToken.VALUE_STRING) {
                        ts = timestamp(p.getText(), index, errors, latest);
                    } else if (t != JsonToken.VALUE_NULL) {
                        addError(errors, new FieldError(field, index, "must be an ISO-8601 timestamp string"));
                        p.skipChildren();
                    }
                }
                case "recommendationId" -> {
                    // the recommendation answer this event responds to (attribution of experiments)
                    if (t == JsonToken.VALUE_STRING) {
                        recommendationId = uuid(p.getText());
                        if (recommendationId == null) {
                            addError(errors, new FieldError(field, index, "must be a UUID, as a recommendation answer's recommendationId"));
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        addError(errors, new FieldError(field, index, "must be a UUID string"));
                        p.skipChildren();
                    }
                }
                case "context" -> {
                    if (t == JsonToken.START_OBJECT) {
                        StringWriter w = new StringWriter(64);
                        try (JsonGenerator g = json.createGenerator(w)) {
                            g.copyCurrentStructure(p);
                        }
                        if (w.getBuffer().length() > MAX_CONTEXT_CHARS) {
                            addError(errors, new FieldError(field, index, "larger than " + MAX_CONTEXT_CHARS + " characters"));
                        } else if (w.getBuffer().indexOf("\\u0000") >= 0 && holdsNul(w.toString())) {
                            addError(errors, new FieldError(field, index, ProblemMappers.NUL_MESSAGE));
                        } else {
                            context = w.toString();
                        }
                    } else if (t != JsonToken.VALUE_NULL) {
                        addError(errors, new FieldError(field, index, "must be a JSON object"));
                        p.skipChildren();
                    }
                }
                default -> {
                    addError(errors, new FieldError(field, index, "unknown field '" + field + "'"));
                    p.skipChildren();
                }
            }
        }
        if (eventId == null && !badId) {
            addError(errors, new FieldError("eventId", index, "required"));
        }
        if (userId == null && !badUser) {
            addError(errors, new FieldError("userId", index, "required"));
        }
        if (itemId == null && !badItem) {
            addError(errors, new FieldError("itemId", index, "required"));
        }
        if (type == null && !badType) {
            addError(errors, new FieldError("type", index, "required"));
        }
        if (type != null && !badValue) {
            String problem = EventType.checkValue(type, value);
            if (problem != null) {
                addError(errors, new FieldError("value", index, problem));
            }
        }
        typesSeen.merge(type == null ? "invalid" : type, 1, Integer::sum);
        if (errors.isEmpty()) { // once anything is wrong the batch is dead: stop collecting rows
            c.add(eventId, userId, itemId, type, value, ts == null ? received : ts, context, recommendationId);
        }
    }

    private static String text(JsonParser p, JsonToken t, String field, Integer index, List<FieldError> errors,
                               int maxLength) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_STRING) {
            addError(errors, new FieldError(field, index, "must be a string"));
            p.skipChildren();
            return null;
        }
        String s = p.getText();
        if (s.isBlank()) {
            addError(errors, new FieldError(field, index, "must not be blank"));
            return null;
        }
        if (s.indexOf('\u0000') >= 0) {
            addError(errors, new FieldError(field, index, ProblemMappers.NUL_MESSAGE));
            return null;
        }
        if (s.length() > maxLength) {
            addError(errors, new FieldError(field, index, "longer than " + maxLength + " characters"));
            return null;
        }
        return s;
    }

    /** A UUID in its canonical 8-4-4-4-12 hex form, or null; UUID.fromString alone accepts short groups. */
    static java.util.UUID uuid(String s) {
        if (s.length() != 36 || !s.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            return null;
        }
        return java.util.UUID.fromString(s);
    }

    private OffsetDateTime timestamp(String s, Integer index, List<FieldError> errors, Instant latest) {
        OffsetDateTime ts;
        try {
            ts = Timestamps.parse(s);
        } catch (DateTimeParseException e) {
            addError(errors, new FieldError("timestamp", index,
                    "not an ISO-8601 timestamp with offset, e.g. 2024-05-01T12:00:00Z"));
            return null;
        }
        Instant at = ts.toInstant();
        if (at.isAfter(latest)) {
            addError(errors, new FieldError("timestamp", index,
                    "more than " + config.maxClockSkew() + " in the future"));
            return null;
        }
        if (at.isBefore(config.minTimestamp())) {
            addError(errors, new FieldError("timestamp", index, "before " + config.minTimestamp()));
            return null;
        }
        return ts;
    }

    /** Whether a serialized JSON object holds U+0000 in a key or string (its text then has an escape for it). */
    private boolean holdsNul(String serialized) throws IOException {
        try (JsonParser p = json.createParser(serialized)) {
            for (JsonToken t; (t = p.nextToken()) != null; ) {
                if ((t == JsonToken.VALUE_STRING || t == JsonToken.FIELD_NAME) && p.getText().indexOf('\u0000') >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void addError(List<FieldError> errors, FieldError e) {
        if (errors.size() < MAX_ERRORS) {
            errors.add(e);
        }
    }

    /** Growable columns. */
    private static final class Columns {
        int n;
        String[] ids, users, items, types, contexts;
        java.util.UUID[] recommendations;
        Double[] values;
        OffsetDateTime[] ts;

        Columns(int capacity) {
            ids = new String[capacity];
            users = new String[capacity];
            items = new String[capacity];
            types = new String[capacity];
            contexts = new String[capacity];
            recommendations = new java.util.UUID[capacity];
            values = new Double[capacity];
            ts = new OffsetDateTime[capacity];
        }

        void add(String id, String user, String item, String type, Double value, OffsetDateTime t, String ctx,
                 java.util.UUID recommendation) {
            if (n == ids.length) {
                int cap = n * 2;
                ids = Arrays.copyOf(ids, cap);
                users = Arrays.copyOf(users, cap);
                items = Arrays.copyOf(items, cap);
                types = Arrays.copyOf(types, cap);
                contexts = Arrays.copyOf(contexts, cap);
                recommendations = Arrays.copyOf(recommendations, cap);
                values = Arrays.copyOf(values, cap);
                ts = Arrays.copyOf(ts, cap);
            }
            ids[n] = id;
            users[n] = user;
            items[n] = item;
            types[n] = type;
            values[n] = value;
            ts[n] = t;
            contexts[n] = ctx;
            recommendations[n] = recommendation;
            n++;
        }

        /** Keeps the first event of each eventId: a duplicate inside one batch counts as a duplicate. */
        EventBatch dedupe(Map<String, Integer> receivedByType) {
            Map<String, Boolean> seen = new HashMap<>(n * 2);
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (seen.putIfAbsent(ids[i], Boolean.TRUE) != null) {
                    continue;
                }
                if (m != i) {
                    ids[m] = ids[i];
                    users[m] = users[i];
                    items[m] = items[i];
                    types[m] = types[i];
                    values[m] = values[i];
                    ts[m] = ts[i];
                    contexts[m] = contexts[i];
                    recommendations[m] = recommendations[i];
                }
                m++;
            }
            return new EventBatch(n, m, Map.copyOf(receivedByType), Arrays.copyOf(ids, m), Arrays.copyOf(users, m), Arrays.copyOf(items, m),
                    Arrays.copyOf(types, m), Arrays.copyOf(values, m), Arrays.copyOf(ts, m), Arrays.copyOf(contexts, m),
                    Arrays.copyOf(recommendations, m));
        }
    }
}
