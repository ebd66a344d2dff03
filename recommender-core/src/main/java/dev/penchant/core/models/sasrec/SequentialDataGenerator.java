package dev.penchant.core.models.sasrec;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Features;
import dev.penchant.core.data.Interactions;
import dev.penchant.core.data.Vocabulary;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Synthetic sequential interaction data: every item has one successor (a random cycle through the
 * catalogue); each user starts at a Zipf-popular item and, with probability follow, steps to the current
 * item's successor, otherwise jumps to a Zipf-popular item. follow = 1 makes the next item a function of
 * the previous one. Sequence lengths are uniform in [minLength, maxLength].
 *
 * <p>Main: writes a "user item" per line file (format user-item, file order = time order):
 * {@code SequentialDataGenerator <out file> [users=50000] [items=5000] [min=5] [max=30] [follow=0.7] [seed=1]}
 */
public final class SequentialDataGenerator {
    private SequentialDataGenerator() {
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

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: SequentialDataGenerator <out file> [users=50000] [items=5000] [min=5] [max=30] [follow=0.7] [seed=1]");
            System.exit(2);
        }
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) o.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        int users = Integer.parseInt(o.getOrDefault("users", "50000"));
        int items = Integer.parseInt(o.getOrDefault("items", "5000"));
        int[][] seqs = sequences(users, items, Integer.parseInt(o.getOrDefault("min", "5")), Integer.parseInt(o.getOrDefault("max", "30")),
                Double.parseDouble(o.getOrDefault("follow", "0.7")), Long.parseLong(o.getOrDefault("seed", "1")));
        Path out = Path.of(args[0]);
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        long lines = 0;
        // users interleaved round-robin by position, so file order is a plausible global time order
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            int longest = 0;
            for (int[] s : seqs) longest = Math.max(longest, s.length);
            for (int t = 0; t < longest; t++) {
                for (int u = 0; u < users; u++) {
                    if (t >= seqs[u].length) continue;
                    w.write("u" + u + " i" + seqs[u][t] + "\n");
                    lines++;
                }
            }
        }
        System.err.printf("wrote %d interactions of %d users over %d items to %s%n", lines, users, items, out);
    }
}
