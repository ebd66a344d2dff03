package dev.penchant.core.baselines;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Scores every item by how often it occurs in the training split, the same for every user. */
public final class PopularityRecommender implements Recommender, Exportable {
    private float[] counts = new float[0];
    private Dataset dataset;

    @Override
    public String name() {
        return "popularity";
    }

    @Override
    public void fit(TrainingContext ctx) {
        counts = toFloat(TrainCounts.itemCounts(ctx.split().train(), ctx.split().numItems()));
        dataset = ctx.dataset();
    }

    /** A {@link BaselineArtifact}: the counts. */
    @Override
    public void export(Path dir, Map<String, Double> metrics, HistoryRules history) {
        BaselineArtifact.write(dir, name(), dataset, 1, history, metrics, out -> BaselineArtifact.writeFloats(out, counts));
    }

    static PopularityRecommender read(DataInputStream in) throws IOException {
        PopularityRecommender r = new PopularityRecommender();
        r.counts = BaselineArtifact.readFloats(in);
        return r;
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
