package dev.penchant.core.model;

/**
 * What the evaluator and the inference node need from any model: scores for items given a user and
 * the user's history (in time order, oldest first). Higher is better. Implementations are safe to
 * call from several threads once trained.
 */
public interface Scorer {
    /** Scores every item for each user; out[b] has length numItems. */
    float[][] scoreAll(int[] users, int[][] histories);

    /** Scores the given candidates for each user; the default ranks from scoreAll. */
    default float[][] scoreCandidates(int[] users, int[][] histories, int[][] candidates) {
        float[][] all = scoreAll(users, histories);
        float[][] out = new float[users.length][];
        for (int b = 0; b < users.length; b++) {
            out[b] = new float[candidates[b].length];
            for (int c = 0; c < candidates[b].length; c++) out[b][c] = all[b][candidates[b][c]];
        }
        return out;
    }
}
