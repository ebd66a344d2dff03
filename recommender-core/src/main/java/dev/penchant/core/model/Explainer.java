package dev.penchant.core.model;

import java.util.List;

/**
 * Models that can say which history items drove a score: attention weights over the user's history
 * for a scored item. Weights are non-negative and sum to 1 over the returned attributions.
 */
public interface Explainer {
    /**
     * @param historyPosition index into the history passed to explain (0 = oldest)
     * @param item            the item at that position
     * @param weight          attention weight in [0, 1]
     */
    record Attribution(int historyPosition, int item, double weight) {
    }

    /**
     * Attention of the scored item over the history (oldest first). Models whose attention does not
     * depend on the candidate (self-attention over the sequence) explain the user's next-item
     * representation, the same for every item. Only the last window the model reads is attributed.
     */
    List<Attribution> explain(int user, int[] history, int item);

    /** {@link #explain} for several scored items; implementations override it to share one run. */
    default List<List<Attribution>> explainAll(int user, int[] history, int[] items) {
        List<List<Attribution>> out = new java.util.ArrayList<>(items.length);
        for (int item : items) out.add(explain(user, history, item));
        return out;
    }

    /**
     * Attributions from attention weights over the model's window (right-aligned: the last
     * min(history.length, window.length) positions hold the newest items), renormalised to sum to 1
     * over the real items.
     */
    static List<Attribution> fromWindow(int[] history, float[] window) {
        int length = window.length;
        int n = Math.min(history.length, length);
        double sum = 0;
        for (int j = length - n; j < length; j++) if (history[history.length - length + j] >= 0) sum += Math.max(0, window[j]);
        List<Attribution> out = new java.util.ArrayList<>(n);
        for (int j = length - n; j < length; j++) {
            int pos = history.length - length + j;
            if (history[pos] < 0) continue; // an unknown item, padded in place: not attention-worthy
            out.add(new Attribution(pos, history[pos], sum <= 0 ? 0 : Math.max(0, window[j]) / sum));
        }
        return out;
    }

    /**
     * One entry per past item, its weights summed (an item seen several times is one reason, not
     * several), strongest first (ties by item index), at most limit, positive weights only; the
     * historyPosition kept is the item's newest.
     */
    static List<Attribution> merged(List<Attribution> attributions, int limit) {
        java.util.Map<Integer, double[]> byItem = new java.util.HashMap<>();
        java.util.Map<Integer, Integer> newest = new java.util.HashMap<>();
        for (Attribution a : attributions) {
            if (a.item() < 0 || a.weight() <= 0) continue;
            byItem.computeIfAbsent(a.item(), k -> new double[1])[0] += a.weight();
            newest.merge(a.item(), a.historyPosition(), Math::max);
        }
        return byItem.entrySet().stream()
                .sorted((x, y) -> x.getValue()[0] != y.getValue()[0] ? Double.compare(y.getValue()[0], x.getValue()[0])
                        : Integer.compare(x.getKey(), y.getKey()))
                .limit(limit)
                .map(e -> new Attribution(newest.get(e.getKey()), e.getKey(), e.getValue()[0]))
                .toList();
    }
}
