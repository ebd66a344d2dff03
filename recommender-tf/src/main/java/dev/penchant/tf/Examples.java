package dev.penchant.tf;

import java.util.Random;

/** Training positions (user, t) over the training sequences, shuffled per epoch with a seeded random. */
public final class Examples {
    public final int[] users;
    public final int[] positions;

    public Examples(int[][] train, int firstPosition) {
        int n = 0;
        for (int[] s : train) n += Math.max(0, s.length - firstPosition);
        users = new int[n];
        positions = new int[n];
        int k = 0;
        for (int u = 0; u < train.length; u++) {
            for (int t = firstPosition; t < train[u].length; t++) {
                users[k] = u;
                positions[k++] = t;
            }
        }
    }

    public int size() {
        return users.length;
    }

    /** A fresh permutation of 0..size-1. */
    public int[] shuffled(Random rng) {
        return permutation(users.length, rng);
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, Random rng) {
        int[] p = new int[n];
        for (int i = 0; i < p.length; i++) p[i] = i;
        for (int i = p.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }

    /** Values aligned with the training sequences (split.train is a prefix of each user's interactions). */
    public static float value(float[][] values, int user, int t) {
        if (values == null || user >= values.length || t >= values[user].length) return Float.NaN;
        return values[user][t];
    }
}
