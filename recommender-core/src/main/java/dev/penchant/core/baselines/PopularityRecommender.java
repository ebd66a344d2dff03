package dev.penchant.core.baselines;

import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;

/** Scores every item by how often it occurs in the training split, the same for every user. */
public final class PopularityRecommender implements Recommender {
    private float[] counts = new float[0];

    @Override
    public String name() {
        return "popularity";
    }

    @Override
    public void fit(TrainingContext ctx) {
        counts = toFloat(TrainCounts.itemCounts(ctx.split().train(), ctx.split().numItems()));
    }

    static float[] toFloat(long[] c) {
        float[] f = new float[c.length];
        for (int i = 0; i < c.length; i++) f[i] = c[i];
        return f;
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        float[][] out = new float[users.length][];
        for (int b = 0; b < users.length; b++) out[b] = counts.clone();
        return out;
    }

    @Override
    public float[][] scoreCandidates(int[] users, int[][] histories, int[][] candidates) {
        float[][] out = new float[users.length][];
        for (int b = 0; b < users.length; b++) {
            out[b] = new float[candidates[b].length];
            for (int c = 0; c < candidates[b].length; c++) {
                int i = candidates[b][c];
                out[b][c] = i >= 0 && i < counts.length ? counts[i] : 0f;
            }
        }
        return out;
    }
}
