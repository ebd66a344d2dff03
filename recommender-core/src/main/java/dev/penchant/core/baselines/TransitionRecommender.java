package dev.penchant.core.baselines;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * First-order transitions: counts of "item a directly followed by item b" in the training sequences;
 * a user is scored by the counts out of the last history item, ties (and users without history or
 * unseen last items) broken by training popularity. Score = transitions * D + popularityRank, where
 * D is the number of distinct popularity counts, so any transition outranks any popularity gap and
 * equal (transitions, popularity) stay tied.
 */
public final class TransitionRecommender implements Recommender, Exportable {
    private Dataset dataset;
    private int numItems;
    private float[] popRank = new float[0];
    private float scale;
    /** next[a] = items that followed a, counts[a] = how often (parallel arrays); null when none. */
    private int[][] next;
    private int[][] counts;

    @Override
    public String name() {
        return "transition";
    }

    @Override
    public void fit(TrainingContext ctx) {
        int[][] train = ctx.split().train();
        dataset = ctx.dataset();
        numItems = ctx.split().numItems();
        long[] pop = TrainCounts.itemCounts(train, numItems);
        int[] rank = TrainCounts.denseRank(pop);
        popRank = new float[numItems];
        int maxRank = 0;
        for (int i = 0; i < numItems; i++) {
            popRank[i] = rank[i];
            maxRank = Math.max(maxRank, rank[i]);
        }
        scale = maxRank + 1;
        @SuppressWarnings("unchecked")
        Map<Integer, Integer>[] m = new Map[numItems];
        for (int[] seq : train)
            for (int t = 0; t + 1 < seq.length; t++) {
                int a = seq[t];
                if (m[a] == null) m[a] = new HashMap<>();
                m[a].merge(seq[t + 1], 1, Integer::sum);
            }
        next = new int[numItems][];
        counts = new int[numItems][];
        for (int a = 0; a < numItems; a++) {
            if (m[a] == null) continue;
            Map<Integer, Integer> row = m[a];
            int[] keys = row.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            next[a] = keys;
            counts[a] = Arrays.stream(keys).map(row::get).toArray();
        }
    }

    /** A {@link BaselineArtifact}: popularity ranks, the scale and the transition rows; it reads the last history item. */
    @Override
    public void export(Path dir, Map<String, Double> metrics, HistoryRules history) {
        BaselineArtifact.write(dir, name(), dataset, 1, history, metrics, out -> {
            out.writeInt(numItems);
            out.writeFloat(scale);
            BaselineArtifact.writeFloats(out, popRank);
            for (int a = 0; a < numItems; a++) {
                BaselineArtifact.writeInts(out, next[a]);
                BaselineArtifact.writeInts(out, counts[a]);
            }
        });
    }

    static TransitionRecommender read(DataInputStream in) throws IOException {
        TransitionRecommender r = new TransitionRecommender();
        r.numItems = in.readInt();
        r.scale = in.readFloat();
        r.popRank = BaselineArtifact.readFloats(in);
        r.next = new int[r.numItems][];
        r.counts = new int[r.numItems][];
        for (int a = 0; a < r.numItems; a++) {
            r.next[a] = BaselineArtifact.readInts(in);
            r.counts[a] = BaselineArtifact.readInts(in);
        }
        return r;
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        float[][] out = new float[users.length][];
        for (int b = 0; b < users.length; b++) {
            float[] s = popRank.clone();
            int[] h = histories[b];
            if (h != null && h.length > 0) {
                int last = h[h.length - 1];
                if (last >= 0 && last < numItems && next[last] != null)
                    for (int k = 0; k < next[last].length; k++) s[next[last][k]] += counts[last][k] * scale;
            }
            out[b] = s;
        }
        return out;
    }
}
