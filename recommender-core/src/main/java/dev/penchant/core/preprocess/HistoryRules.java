package dev.penchant.core.preprocess;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a user's history was built from raw events when a model was trained: the preprocessing steps that
 * act on one user's events (event types kept, implicit threshold, exact duplicates, the bot rule, items
 * missing from the item table), the order of equal times, and what happens to items the model does not
 * know. The {@link Preprocessor} applies these rules to every user when it builds a data set; every
 * artifact records them (model.json "preprocessing") and the inference node applies them, through
 * {@link HistoryEncoder}, to the history it reads, so serving sees what training saw.
 *
 * @param eventTypes            types kept; empty = all
 * @param implicitThreshold     events with a value below this are dropped (events without a value are kept); null = none
 * @param dropDuplicates        exact duplicates (same item, type, value and second) are dropped
 * @param botMaxEventsPerHour   users above this rate (events / max(1 h, last - first event time)) are dropped; null = none
 * @param dropItemsOutsideTable events of items missing from the item table were dropped (the source had one and
 *                              data.dropUnknown was on)
 * @param order                 the order of equal times the model was trained with ({@link #ORDER} for new models)
 * @param unknownItems          items the model does not know: {@link #PAD} (the position is kept, as padding)
 */
public record HistoryRules(List<String> eventTypes, Double implicitThreshold, boolean dropDuplicates,
                           Double botMaxEventsPerHour, boolean dropItemsOutsideTable, String order, String unknownItems) {
    /** The order of one user's events that {@link #compare} implements (a model records the one it was trained with). */
    public static final String ORDER = "time in seconds, ties in reading order";
    /** Unknown items keep their position as padding (the scorer pads indices outside the vocabulary in place). */
    public static final String PAD = "pad";

    public HistoryRules {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
        if (order == null) order = ORDER;
        if (!PAD.equals(unknownItems)) throw new IllegalArgumentException("unknown-item policy must be " + PAD);
    }

    /** The rules of a preprocessing run; sourceHadItemTable: whether dropUnknown could check items. */
    public static HistoryRules of(PreprocessOptions o, boolean sourceHadItemTable) {
        return new HistoryRules(o.eventTypes(), o.implicitThreshold(), o.dropDuplicates(), o.botMaxEventsPerHour(),
                o.dropUnknown() && sourceHadItemTable, ORDER, PAD);
    }

    /** Every event, no filter (data built without the pipeline, e.g. hand-made test sets). */
    public static HistoryRules none() {
        return new HistoryRules(List.of(), null, false, null, false, ORDER, PAD);
    }

    public boolean keepsType(String type) {
        return eventTypes.isEmpty() || eventTypes.contains(type == null ? "" : type);
    }

    /** NaN = the event has no value: kept. */
    public boolean keepsValue(float value) {
        return implicitThreshold == null || Float.isNaN(value) || value >= implicitThreshold;
    }

    /** Events per hour over the active span, floored at one hour. */
    public static double rate(long events, long firstSecond, long lastSecond) {
        return events / Math.max(1.0, (lastSecond - firstSecond) / 3600.0);
    }

    public boolean isBot(long events, long firstSecond, long lastSecond) {
        return botMaxEventsPerHour != null && events > 0 && rate(events, firstSecond, lastSecond) > botMaxEventsPerHour;
    }

    /**
     * The order of two events of one user: time (seconds), then the order they were read in (a file's
     * order; the platform's: occurred_at, then the ingest sequence). Never the item id: ids correlate
     * with popularity, so ordering ties by id plants a learnable artefact.
     */
    public static int compare(long timeA, int readA, long timeB, int readB) {
        int c = Long.compare(timeA, timeB);
        return c != 0 ? c : Integer.compare(readA, readB);
    }

    /** As model.json records it. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventTypes", eventTypes);
        m.put("implicitThreshold", implicitThreshold);
        m.put("dropDuplicates", dropDuplicates);
        m.put("botMaxEventsPerHour", botMaxEventsPerHour);
        m.put("dropItemsOutsideTable", dropItemsOutsideTable);
        m.put("order", order);
        m.put("unknownItems", unknownItems);
        return m;
    }

    /** Whether this code orders histories as the model was trained. */
    public boolean orderMatches() {
        return ORDER.equals(order);
    }

    /** From model.json; an artifact without the block (written before it existed) gets {@link #none()}. */
    @SuppressWarnings("unchecked")
    public static HistoryRules fromMap(Map<String, Object> m) {
        if (m == null || !m.containsKey("unknownItems")) return none();
        return new HistoryRules((List<String>) m.getOrDefault("eventTypes", List.of()), number(m.get("implicitThreshold")),
                Boolean.TRUE.equals(m.get("dropDuplicates")), number(m.get("botMaxEventsPerHour")),
                Boolean.TRUE.equals(m.get("dropItemsOutsideTable")), (String) m.get("order"), (String) m.get("unknownItems"));
    }

    private static Double number(Object o) {
        return o instanceof Number n ? n.doubleValue() : null;
    }
}
