package dev.penchant.core.split;

import dev.penchant.core.data.Interactions;
import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;

import java.util.Arrays;

/**
 * The split protocols. Both are deterministic: they depend only on the (already deterministically
 * ordered) interactions, never on a random seed or on input order.
 */
public final class Splitter {
    private Splitter() {
    }

    /** The "split.*" declarations (fractions of the temporal split). */
    public static final ParamGroup PARAMETERS = new ParamGroup("split.", "the split", java.util.List.of(
            Param.number("validation", 0.1, 0, 0.9, "temporal split: share of the interactions (by time) held out for validation"),
            Param.number("test", 0.1, 0, 0.9, "temporal split: share of the interactions (by time) held out for testing")));

    /** The protocols a run may name ("split" setting). */
    public static final java.util.List<String> PROTOCOLS = java.util.List.of("loo", "leave-one-out", "temporal");

    /** From "split.*" settings (prefix removed): validation and test fractions of the temporal split. */
    public static Split split(String protocol, Interactions interactions, int numItems, java.util.Map<String, String> options) {
        java.util.Map<String, Object> v = PARAMETERS.values(options);
        return split(protocol, interactions, numItems, (Double) v.get("validation"), (Double) v.get("test"));
    }

    public static Split split(String protocol, Interactions interactions, int numItems,
                              double validationFraction, double testFraction) {
        return switch (protocol) {
            case "loo", "leave-one-out" -> leaveOneOut(interactions, numItems);
            case "temporal" -> temporal(interactions, numItems, validationFraction, testFraction);
            default -> throw new IllegalArgumentException("unknown split '" + protocol + "'; known: loo, temporal");
        };
    }

    /**
     * Leave-one-out as in SASRec: per user, the last interaction is the test item, the second last the
     * validation item, the rest is training. Users with fewer than 3 interactions keep everything in
     * training and have nothing held out (so they are not evaluated), since a user needs at least one
     * training item besides the two held out.
     */
    public static Split leaveOneOut(Interactions interactions, int numItems) {
        int n = interactions.numUsers();
        int[][] train = new int[n][];
        int[][] valid = new int[n][];
        int[][] test = new int[n][];
        for (int u = 0; u < n; u++) {
            int[] seq = interactions.items()[u];
            if (seq.length < 3) {
                train[u] = seq.clone();
                valid[u] = new int[0];
                test[u] = new int[0];
            } else {
                train[u] = Arrays.copyOf(seq, seq.length - 2);
                valid[u] = new int[]{seq[seq.length - 2]};
                test[u] = new int[]{seq[seq.length - 1]};
            }
        }
        return new Split("leave-one-out", train, valid, test, numItems);
    }

    /**
     * Global temporal split: two cut times at the (1 - validation - test) and (1 - test) quantiles of
     * all interaction timestamps; interactions before the first cut are training, between the cuts
     * validation, from the second cut on test. Each user's held-out items are therefore a suffix of
     * the user's sequence, and a user may have nothing in some part.
     */
    public static Split temporal(Interactions interactions, int numItems, double validationFraction, double testFraction) {
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
            throw new IllegalArgumentException("fractions must be >= 0 and leave room for training");
        long total = interactions.size();
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] row : interactions.timestamps()) for (long t : row) all[k++] = t;
        Arrays.sort(all);
        long cutValid = quantile(all, 1 - validationFraction - testFraction);
        long cutTest = quantile(all, 1 - testFraction);
        int n = interactions.numUsers();
        int[][] train = new int[n][];
        int[][] valid = new int[n][];
        int[][] test = new int[n][];
        for (int u = 0; u < n; u++) {
            int[] seq = interactions.items()[u];
            long[] ts = interactions.timestamps()[u];
            int a = 0;
            while (a < seq.length && ts[a] < cutValid) a++;
            int b = a;
            while (b < seq.length && ts[b] < cutTest) b++;
            train[u] = Arrays.copyOfRange(seq, 0, a);
            valid[u] = Arrays.copyOfRange(seq, a, b);
            test[u] = Arrays.copyOfRange(seq, b, seq.length);
        }
        return new Split("temporal(validation=" + validationFraction + ",test=" + testFraction + ")",
                train, valid, test, numItems);
    }

    /** The timestamp at fraction q of the sorted times; q = 1 gives a cut after the last one. */
    private static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) return Long.MAX_VALUE;
        int idx = (int) Math.floor(q * sorted.length);
        return idx >= sorted.length ? Long.MAX_VALUE : sorted[idx];
    }
}
