package dev.penchant.cli.augment;

import dev.penchant.core.model.Scorer;
import dev.penchant.core.split.Split;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Adds plausible interactions to the TRAINING part of a split for users with few events: the top
 * items of a trained scorer (the GAN's generator) that are not already in the user's training history.
 * Validation and test are untouched, and the scorer sees only the training history, so nothing
 * held out leaks in. The added items are prepended (treated as older than every real event), so the
 * most recent real events stay at the end of the sequence, where sequence-aware models look.
 */
public final class SparseUserAugmenter {
    private SparseUserAugmenter() {
    }

    /** The augmented split and what was added. */
    public record Result(Split split, int usersAugmented, long interactionsAdded) {
    }

    /**
     * @param maxEvents only users with 1..maxEvents training events are augmented
     * @param perUser   items added per such user (fewer when the catalogue runs out)
     */
    public static Result augment(Scorer generator, Split split, int maxEvents, int perUser) {
        int n = split.numUsers();
        int numItems = split.numItems();
        int[][] train = new int[n][];
        int[] chosen = java.util.stream.IntStream.range(0, n)
                .filter(u -> split.train()[u].length > 0 && split.train()[u].length <= maxEvents).toArray();
        for (int u = 0; u < n; u++) train[u] = split.train()[u].clone();
        long added = 0;
        int chunk = 256;
        for (int from = 0; from < chosen.length; from += chunk) {
            int[] us = Arrays.copyOfRange(chosen, from, Math.min(chosen.length, from + chunk));
            int[][] hs = new int[us.length][];
            for (int i = 0; i < us.length; i++) hs[i] = split.train()[us[i]];
            float[][] scores = generator.scoreAll(us, hs);
            for (int i = 0; i < us.length; i++) {
                BitSet seen = new BitSet(numItems);
                for (int x : hs[i]) if (x >= 0 && x < numItems) seen.set(x);
                int[] top = top(scores[i], seen, perUser);
                // best item last, right before the real events
                int[] seq = new int[top.length + hs[i].length];
                for (int k = 0; k < top.length; k++) seq[k] = top[top.length - 1 - k];
                System.arraycopy(hs[i], 0, seq, top.length, hs[i].length);
                train[us[i]] = seq;
                added += top.length;
            }
        }
        return new Result(new Split(split.protocol() + "+augmented", train, split.validation(), split.test(), numItems),
                chosen.length, added);
    }

    /** Top k items outside excluded, best first; equal scores by lower index; NaN never chosen. */
    static int[] top(float[] s, BitSet excluded, int k) {
        int[] best = new int[k];
        int size = 0;
        for (int j = 0; j < s.length; j++) {
            if (excluded.get(j) || Float.isNaN(s[j])) continue;
            // insertion into a small sorted array (k is small)
            int pos = size;
            while (pos > 0 && better(j, best[pos - 1], s)) pos--;
            if (pos >= k) continue;
            int end = Math.min(size, k - 1);
            System.arraycopy(best, pos, best, pos + 1, end - pos);
            best[pos] = j;
            if (size < k) size++;
        }
        return Arrays.copyOf(best, size);
    }

    private static boolean better(int a, int b, float[] s) {
        return s[a] > s[b] || (s[a] == s[b] && a < b);
    }
}
