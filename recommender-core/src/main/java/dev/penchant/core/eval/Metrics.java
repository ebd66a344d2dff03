package dev.penchant.core.eval;

import java.util.Arrays;

/**
 * Ranking and point-wise metric formulas, kept apart from the evaluation loop so they can be checked
 * on hand-computed cases. Ranks are 0-based (0 = top).
 *
 * Ties: pessimistic. An item with the same score as the held-out item is counted as ranked above
 * it, so a model that cannot tell items apart (constant scores) earns nothing from luck. This is
 * also what matches the README's popularity figures (popularity counts tie often among rare items).
 */
public final class Metrics {
    private Metrics() {
    }

    /** Pessimistic 0-based rank of a target among others: how many others score >= it. NaN target = last. */
    public static int pessimisticRank(float target, float[] others) {
        if (Float.isNaN(target)) return others.length;
        int r = 0;
        for (float s : others) if (s >= target) r++;
        return r;
    }

    public static double hit(int rank, int k) {
        return rank < k ? 1.0 : 0.0;
    }

    /** NDCG@k with one relevant item: 1 / log2(rank + 2) when it is in the top k (IDCG = 1). */
    public static double ndcgSingle(int rank, int k) {
        return rank < k ? 1.0 / log2(rank + 2) : 0.0;
    }

    public static double reciprocalRank(int rank) {
        return 1.0 / (rank + 1);
    }

    /** NDCG@k for a set of relevant items at the given 0-based ranks (binary relevance). */
    public static double ndcg(int[] relevantRanks, int k) {
        double dcg = 0;
        for (int r : relevantRanks) if (r < k) dcg += 1.0 / log2(r + 2);
        double idcg = 0;
        for (int i = 0; i < Math.min(relevantRanks.length, k); i++) idcg += 1.0 / log2(i + 2);
        return idcg == 0 ? 0 : dcg / idcg;
    }

    public static int hits(int[] relevantRanks, int k) {
        int h = 0;
        for (int r : relevantRanks) if (r < k) h++;
        return h;
    }

    public static double recall(int[] relevantRanks, int k) {
        return relevantRanks.length == 0 ? 0 : (double) hits(relevantRanks, k) / relevantRanks.length;
    }

    public static double precision(int[] relevantRanks, int k) {
        return (double) hits(relevantRanks, k) / k;
    }

    /** Reciprocal rank of the best-placed relevant item. */
    public static double reciprocalRank(int[] relevantRanks) {
        int best = Integer.MAX_VALUE;
        for (int r : relevantRanks) best = Math.min(best, r);
        return best == Integer.MAX_VALUE ? 0 : 1.0 / (best + 1);
    }

    /**
     * AUC as the Mann-Whitney statistic: the probability that a random positive scores above a random
     * negative, ties counting one half. NaN when one class is absent.
     */
    public static double auc(boolean[] labels, float[] scores) {
        int n = labels.length;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Float.compare(scores[a], scores[b]));
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && Float.compare(scores[idx[j + 1]], scores[idx[i]]) == 0) j++;
            double avgRank = (i + j) / 2.0 + 1; // 1-based average rank of the tie group
            for (int t = i; t <= j; t++) if (labels[idx[t]]) {
                rankSumPos += avgRank;
                pos++;
            }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
