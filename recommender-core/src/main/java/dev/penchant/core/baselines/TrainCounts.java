package dev.penchant.core.baselines;

import java.util.Arrays;

/** Counting helpers shared by the baselines. */
final class TrainCounts {
    private TrainCounts() {
    }

    static long[] itemCounts(int[][] train, int numItems) {
        long[] c = new long[numItems];
        for (int[] row : train) for (int i : row) if (i >= 0 && i < numItems) c[i]++;
        return c;
    }

    /** Dense rank of each item's count: 0 for the lowest count, equal counts share a rank. */
    static int[] denseRank(long[] counts) {
        long[] distinct = Arrays.stream(counts).distinct().sorted().toArray();
        int[] r = new int[counts.length];
        for (int i = 0; i < counts.length; i++) r[i] = Arrays.binarySearch(distinct, counts[i]);
        return r;
    }
}
