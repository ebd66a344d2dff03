package dev.penchant.core.data;


import java.util.Random;

/**
 * Synthetic sequential interaction data: every item has one successor (a random cycle through the
 * catalogue); each user starts at a Zipf-popular item and, with probability follow, steps to the current
 * item's successor, otherwise jumps to a Zipf-popular item. follow = 1 makes the next item a function of
 * the previous one. Sequence lengths are uniform in [minLength, maxLength].
 * {@code ./penchant generate} writes such a data set as a "user item" file.
 */
public final class SyntheticSequences {
    private SyntheticSequences() {
    }

    public static int[][] sequences(int users, int items, int minLength, int maxLength, double follow, long seed) {
        Random rng = new Random(seed);
        int[] order = new int[items];
        for (int i = 0; i < items; i++) order[i] = i;
        for (int i = items - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int x = order[i];
            order[i] = order[j];
            order[j] = x;
        }
        int[] successor = new int[items];
        for (int i = 0; i < items; i++) successor[order[i]] = order[(i + 1) % items];
        // Zipf(1) over items by index: cumulative weights 1/(i+1)
        double[] cdf = new double[items];
        double acc = 0;
        for (int i = 0; i < items; i++) cdf[i] = acc += 1.0 / (i + 1);
        int[][] seqs = new int[users][];
        for (int u = 0; u < users; u++) {
            int n = minLength + rng.nextInt(maxLength - minLength + 1);
            seqs[u] = new int[n];
            int cur = zipf(rng, cdf);
            for (int t = 0; t < n; t++) {
                if (t > 0) cur = rng.nextDouble() < follow ? successor[cur] : zipf(rng, cdf);
                seqs[u][t] = cur;
            }
        }
        return seqs;
    }

    private static int zipf(Random rng, double[] cdf) {
        double x = rng.nextDouble() * cdf[cdf.length - 1];
        int i = java.util.Arrays.binarySearch(cdf, x);
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    /** The sequences as a Dataset (no values, timestamps = positions, no side features). */
    public static Dataset dataset(String name, int[][] seqs, int items) {
        Vocabulary u = new Vocabulary();
        Vocabulary v = new Vocabulary();
        for (int i = 0; i < items; i++) v.add("i" + i);
        float[][] values = new float[seqs.length][];
        long[][] ts = new long[seqs.length][];
        for (int k = 0; k < seqs.length; k++) {
            u.add("u" + k);
            values[k] = new float[seqs[k].length];
            java.util.Arrays.fill(values[k], Float.NaN);
            ts[k] = new long[seqs[k].length];
            for (int t = 0; t < ts[k].length; t++) ts[k][t] = t;
        }
        return new Dataset(name, u, v, new Interactions(seqs, values, ts), Features.empty(seqs.length), Features.empty(items));
    }
}
