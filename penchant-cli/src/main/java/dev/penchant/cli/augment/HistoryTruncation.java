package dev.penchant.cli.augment;

import dev.penchant.core.split.Split;

import java.util.Arrays;
import java.util.Random;

/**
 * Makes sparse users out of dense ones, for experiments on data where every user is active (on
 * ML-100K every user has >= 20 ratings): a seeded random subset of users keeps only its most recent
 * k training events, k uniform in [1, maxEvents]; validation and test items are unchanged, so the
 * held-out next items still follow the kept events in time.
 *
 * <p>Exactly: r = new Random(seed); for u = 0..numUsers-1 in index order: if r.nextDouble() &lt;
 * fraction then k = 1 + r.nextInt(maxEvents) and train[u] becomes its last min(k, |train[u]|) items
 * (both draws happen only for selected users).
 */
public final class HistoryTruncation {
    private HistoryTruncation() {
    }

    public static Split truncate(Split split, double fraction, int maxEvents, long seed) {
        Random r = new Random(seed);
        int n = split.numUsers();
        int[][] train = new int[n][];
        for (int u = 0; u < n; u++) {
            int[] t = split.train()[u];
            if (r.nextDouble() < fraction) {
                int k = Math.min(t.length, 1 + r.nextInt(maxEvents));
                train[u] = Arrays.copyOfRange(t, t.length - k, t.length);
            } else {
                train[u] = t.clone();
            }
        }
        return new Split(split.protocol() + "+truncated", train, split.validation(), split.test(), split.numItems());
    }
}
