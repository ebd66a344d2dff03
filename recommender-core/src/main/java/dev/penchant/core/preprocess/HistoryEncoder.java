package dev.penchant.core.preprocess;

import dev.penchant.core.data.Vocabulary;

import java.util.List;
import java.util.function.Predicate;

/**
 * One user's history as a model reads it, built from the user's raw events with the model's recorded
 * {@link HistoryRules} and item vocabulary: the same filters, order and unknown-item policy as the
 * {@link Preprocessor} applied to the training data (a test checks both give the same sequences). The
 * inference node encodes every request's history with it; the offline scorer can do the same.
 *
 * <p>Cost: linear in the events given when they come in time order (as the platform reads them); one
 * vocabulary lookup per kept event. Thread-safe.
 */
public final class HistoryEncoder {
    /**
     * @param items    model item indices oldest first, the last {@code window} kept events; -1 = an item the
     *                 model does not know, kept in place (padding)
     * @param known    how many of items are known to the model
     * @param kept     events that passed the rules (before the window cut)
     * @param filtered the rules drop this user altogether (the bot rule): the model never saw such users
     */
    public record Encoded(int[] items, int known, int kept, boolean filtered) {
        public static final Encoded EMPTY = new Encoded(new int[0], 0, 0, false);
    }

    private final HistoryRules rules;
    private final Vocabulary vocabulary;
    private final int window;
    private final Predicate<String> inItemTable;

    /**
     * @param window      most items returned (the model's history length)
     * @param inItemTable whether an item is in the platform's item table, for rules that dropped items
     *                    outside it; null when not known (nothing is dropped for that reason)
     */
    public HistoryEncoder(HistoryRules rules, Vocabulary vocabulary, int window, Predicate<String> inItemTable) {
        this.rules = rules;
        this.vocabulary = vocabulary;
        this.window = Math.max(1, window);
        this.inItemTable = inItemTable;
    }

    public HistoryRules rules() {
        return rules;
    }

    public int window() {
        return window;
    }

    /**
     * Encodes one user's events, given oldest first in the source's order (the platform's: occurred_at,
     * then ingest sequence; equal seconds keep it, as the preprocessing does). Times are epoch seconds, as the preprocessing keeps them; values NaN when an
     * event has none; types may be null (no type).
     *
     * @param n how many entries of the arrays are events
     */
    public Encoded encode(String[] itemIds, String[] types, float[] values, long[] seconds, int n) {
        for (int i = 1; i < n; i++) {
            if (seconds[i] < seconds[i - 1]) { // not in time order: a stable sort by time first (the platform's reads never need it)
                Integer[] order = new Integer[n];
                for (int j = 0; j < n; j++) order[j] = j;
                java.util.Arrays.sort(order, (a, b) -> Long.compare(seconds[a], seconds[b]));
                String[] it = new String[n];
                String[] ty = types == null ? null : new String[n];
                float[] va = values == null ? null : new float[n];
                long[] se = new long[n];
                for (int j = 0; j < n; j++) {
                    it[j] = itemIds[order[j]];
                    if (ty != null) ty[j] = types[order[j]];
                    if (va != null) va[j] = values[order[j]];
                    se[j] = seconds[order[j]];
                }
                return encode(it, ty, va, se, n);
            }
        }
        boolean[] keep = new boolean[n];
        int kept = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            if (!rules.keepsType(types == null ? null : types[i]) || !rules.keepsValue(values == null ? Float.NaN : values[i])) continue;
            if (rules.dropItemsOutsideTable() && inItemTable != null && !inItemTable.test(itemIds[i])) continue;
            if (rules.dropDuplicates() && duplicateOfEarlier(i, keep, itemIds, types, values, seconds)) continue;
            keep[i] = true;
            kept++;
            first = Math.min(first, seconds[i]);
            last = Math.max(last, seconds[i]);
        }
        if (rules.isBot(kept, first, last)) return new Encoded(new int[0], 0, kept, true);
        // in time order already (sorted above when it was not), ties in the order given: the
        // preprocessing's order (HistoryRules.compare); the window is the newest kept events
        int m = Math.min(window, kept);
        int[] out = new int[m];
        int known = 0;
        for (int i = n - 1, j = m - 1; j >= 0; i--) {
            if (!keep[i]) continue;
            out[j] = vocabulary.indexOf(itemIds[i]);
            if (out[j--] >= 0) known++;
        }
        return new Encoded(out, known, kept, false);
    }

    /**
     * Items without types, values or times (an anonymous session's recent items, oldest first): no rule
     * applies but the unknown-item policy; the order is the given one.
     */
    public Encoded encodeItems(List<String> oldestFirst) {
        int m = Math.min(window, oldestFirst.size());
        int[] out = new int[m];
        int known = 0;
        for (int j = 0; j < m; j++) {
            out[j] = vocabulary.indexOf(oldestFirst.get(oldestFirst.size() - m + j));
            if (out[j] >= 0) known++;
        }
        return new Encoded(out, known, oldestFirst.size(), false);
    }

    /** An exact duplicate has the same second, so it is among the kept events of the same second before i. */
    private static boolean duplicateOfEarlier(int i, boolean[] keep, String[] items, String[] types, float[] values, long[] seconds) {
        for (int j = i - 1; j >= 0 && seconds[j] == seconds[i]; j--) {
            if (keep[j] && items[j].equals(items[i]) && java.util.Objects.equals(type(types, j), type(types, i))
                    && Float.compare(value(values, j), value(values, i)) == 0) return true;
        }
        return false;
    }

    private static String type(String[] types, int i) {
        return types == null || types[i] == null ? "" : types[i];
    }

    private static float value(float[] values, int i) {
        return values == null ? Float.NaN : values[i];
    }

}
