package dev.penchant.tf;

import dev.penchant.core.model.Scorer;
import dev.penchant.core.split.Split;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Minimal leave-one-out evaluation for the model tests: HR@10 / NDCG@10 over full ranking (history
 * excluded) or against 100 sampled negatives outside the user's history, with a fixed seed.
 */
public final class MiniEval {
    private MiniEval() {
    }

    /** validation = true: history = train, target = validation; else history = train + validation, target = test. */
    public static Map<String, Double> evaluate(Scorer s, Split split, boolean validation, int sampled, long seed) {
        int n = split.numUsers();
        Random rng = new Random(seed);
        double hr = 0, ndcg = 0;
        int counted = 0;
        int chunk = 256;
        for (int start = 0; start < n; start += chunk) {
            int m = Math.min(chunk, n - start);
            int[] users = new int[m];
            int[][] hist = new int[m][];
            for (int i = 0; i < m; i++) {
                int u = start + i;
                users[i] = u;
                hist[i] = validation ? split.train()[u] : concat(split.train()[u], split.validation()[u]);
            }
            float[][] scores = s.scoreAll(users, hist);
            for (int i = 0; i < m; i++) {
                int u = start + i;
                int[] targets = validation ? split.validation()[u] : split.test()[u];
                if (targets.length == 0) continue;
                int target = targets[0];
                Set<Integer> seen = new HashSet<>();
                for (int x : hist[i]) seen.add(x);
                float ts = scores[i][target];
                int rank = 0;
                if (sampled > 0) {
                    Set<Integer> negs = new HashSet<>();
                    while (negs.size() < sampled) {
                        int c = rng.nextInt(split.numItems());
                        if (c != target && !seen.contains(c)) negs.add(c);
                    }
                    for (int c : negs) if (scores[i][c] > ts) rank++;
                } else {
                    for (int c = 0; c < split.numItems(); c++) {
                        if (c != target && !seen.contains(c) && scores[i][c] > ts) rank++;
                    }
                }
                counted++;
                if (rank < 10) {
                    hr += 1;
                    ndcg += 1 / (Math.log(rank + 2) / Math.log(2));
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("HR@10", hr / counted);
        out.put("NDCG@10", ndcg / counted);
        return out;
    }

    /** Popularity over the training interactions, as a Scorer. */
    public static Scorer popularity(Split split) {
        float[] pop = new float[split.numItems()];
        for (int[] s : split.train()) for (int i : s) pop[i]++;
        return (users, histories) -> {
            float[][] out = new float[users.length][];
            for (int b = 0; b < users.length; b++) out[b] = pop.clone();
            return out;
        };
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
