package dev.penchant.core.data;

/**
 * Every user's interactions as dense indices, ordered by time, equal timestamps in the order the
 * source recorded them (file order; a stable sort), so every run of the same input orders, and
 * therefore splits, the same way. Row u of each array belongs to user index u.
 *
 * @param items      items[u][t]: item index of the user's t-th interaction
 * @param values     values[u][t]: explicit value (e.g. rating), NaN when the event had none
 * @param timestamps timestamps[u][t]: epoch seconds
 */
public record Interactions(int[][] items, float[][] values, long[][] timestamps) {
    public int numUsers() {
        return items.length;
    }

    public long size() {
        long n = 0;
        for (int[] row : items) n += row.length;
        return n;
    }
}
