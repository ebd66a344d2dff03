package dev.penchant.core.baselines;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Sequence-aware item kNN, the strong non-neural reference of the data set READMEs. Training: in every
 * training sequence, each item a "co-occurs" with each different item b that follows it within
 * {@code steps} steps (default 5), weighted 1 / distance; the similarity is the accumulated weight
 * over the cosine norm, sim(a, b) = C(a, b) / sqrt(n(a) * n(b)), n = training occurrences. Scoring: the
 * user's last {@code window} history items (default 10; the most recent k steps back weighs
 * {@code decay}^k, default 0.7) each add their similarities; training popularity breaks ties exactly
 * (an item the history does not reach ranks by popularity below every item it reaches, like
 * {@link TransitionRecommender}). On ML-100K (leave-one-out, 100 sampled negatives) this gives the
 * reference HR@10 0.662 / NDCG@10 0.413. {@code symmetric=true} also counts the items that preceded a
 * within those steps (co-occurrence in both orders): on ML-100K a stronger variant, kept optional so the
 * default stays the published reference.
 */
public final class SeqKnnRecommender implements Recommender, Exportable {
    /** co-occurrence span in training */
    private final int steps;
    /** history items scored from */
    private final int window;
    private final double decay;
    private final boolean symmetric;
    private int numItems;
    /** nbr[a], sim[a]: the items that followed (or, symmetric, neighboured) a within the span, and their similarities. */
    private int[][] nbr;
    private float[][] sim;
    private long[] popularity;
    /** Dense rank of each item's training count (0 = least popular); D = distinct counts. */
    private int[] popRank;
    private int distinctCounts;
    private Dataset dataset;

    public SeqKnnRecommender(Hyperparameters hp) {
        // ranges are the catalogue's (steps, window >= 1; 0 < decay <= 1)
        this(hp.getInt("steps"), hp.getInt("window"), hp.getDouble("decay"), hp.getBoolean("symmetric"));
    }

    private SeqKnnRecommender(int steps, int window, double decay, boolean symmetric) {
        this.steps = steps;
        this.window = window;
        this.decay = decay;
        this.symmetric = symmetric;
    }

    /** A {@link BaselineArtifact}: the settings, popularity and the similarity rows; it reads the last window items. */
    @Override
    public void export(Path dir, Map<String, Double> metrics, HistoryRules history) {
        BaselineArtifact.write(dir, name(), dataset, window, history, metrics, out -> {
            out.writeInt(steps);
            out.writeInt(window);
            out.writeDouble(decay);
            out.writeBoolean(symmetric);
            out.writeInt(numItems);
            out.writeInt(distinctCounts);
            for (int i = 0; i < numItems; i++) {
                out.writeLong(popularity[i]);
                out.writeInt(popRank[i]);
            }
            for (int a = 0; a < numItems; a++) {
                BaselineArtifact.writeInts(out, nbr[a]);
                BaselineArtifact.writeFloats(out, sim[a]);
            }
        });
    }

    static SeqKnnRecommender read(DataInputStream in) throws IOException {
        SeqKnnRecommender r = new SeqKnnRecommender(in.readInt(), in.readInt(), in.readDouble(), in.readBoolean());
        int n = in.readInt();
        r.numItems = n;
        r.distinctCounts = in.readInt();
        r.popularity = new long[n];
        r.popRank = new int[n];
        for (int i = 0; i < n; i++) {
            r.popularity[i] = in.readLong();
            r.popRank[i] = in.readInt();
        }
        r.nbr = new int[n][];
        r.sim = new float[n][];
        for (int a = 0; a < n; a++) {
            r.nbr[a] = BaselineArtifact.readInts(in);
            r.sim[a] = BaselineArtifact.readFloats(in);
        }
        return r;
    }

    @Override
    public String name() {
        return "seqknn";
    }

    @Override
    public void fit(TrainingContext ctx) {
        int[][] train = ctx.split().train();
        dataset = ctx.dataset();
        numItems = ctx.split().numItems();
        popularity = TrainCounts.itemCounts(train, numItems);
        popRank = TrainCounts.denseRank(popularity);
        distinctCounts = Arrays.stream(popRank).max().orElse(0) + 1;
        // occurrences of each item as (user, position), so each item's row is accumulated at once
        int[] start = new int[numItems + 1];
        for (int[] seq : train) for (int i : seq) if (valid(i)) start[i + 1]++;
        for (int i = 0; i < numItems; i++) start[i + 1] += start[i];
        int[] occUser = new int[start[numItems]];
        int[] occPos = new int[start[numItems]];
        int[] fill = Arrays.copyOf(start, numItems);
        for (int u = 0; u < train.length; u++)
            for (int t = 0; t < train[u].length; t++) {
                int i = train[u][t];
                if (!valid(i)) continue;
                occUser[fill[i]] = u;
                occPos[fill[i]++] = t;
            }
        nbr = new int[numItems][];
        sim = new float[numItems][];
        double[] acc = new double[numItems];
        int[] touched = new int[numItems];
        for (int a = 0; a < numItems; a++) {
            int nt = 0;
            for (int o = start[a]; o < start[a + 1]; o++) {
                int[] seq = train[occUser[o]];
                int t = occPos[o];
                for (int d = 1; d <= steps && t + d < seq.length; d++) {
                    int b = seq[t + d];
                    if (b == a || !valid(b)) continue;
                    if (acc[b] == 0) touched[nt++] = b;
                    acc[b] += 1.0 / d;
                }
                for (int d = 1; symmetric && d <= steps && t - d >= 0; d++) {
                    int b = seq[t - d];
                    if (b == a || !valid(b)) continue;
                    if (acc[b] == 0) touched[nt++] = b;
                    acc[b] += 1.0 / d;
                }
            }
            int[] row = Arrays.copyOf(touched, nt);
            Arrays.sort(row);
            nbr[a] = row;
            sim[a] = new float[nt];
            for (int k = 0; k < nt; k++) {
                int b = row[k];
                sim[a][k] = (float) (acc[b] / Math.sqrt((double) popularity[a] * popularity[b]));
                acc[b] = 0;
            }
        }
    }

    private boolean valid(int i) {
        return i >= 0 && i < numItems;
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        float[][] out = new float[users.length][];
        double[] s = new double[numItems];
        int[] reached = new int[numItems];
        for (int b = 0; b < users.length; b++) {
            int[] h = histories[b] == null ? new int[0] : histories[b];
            int nr = 0;
            double w = 1;
            for (int k = 0; k < Math.min(window, h.length); k++, w *= decay) {
                int a = h[h.length - 1 - k];
                if (!valid(a)) continue;
                for (int j = 0; j < nbr[a].length; j++) {
                    int i = nbr[a][j];
                    if (s[i] == 0) reached[nr++] = i;
                    s[i] += w * sim[a][j];
                }
            }
            out[b] = rankScores(s, reached, nr);
            for (int j = 0; j < nr; j++) s[reached[j]] = 0;
        }
        return out;
    }

    /**
     * Float scores with the exact order (similarity, then popularity): unreached items score their
     * popularity rank (0..D-1), reached ones D + their rank among the reached; equal pairs stay equal.
     */
    private float[] rankScores(double[] s, int[] reached, int nr) {
        float[] out = new float[numItems];
        for (int i = 0; i < numItems; i++) out[i] = popRank[i];
        Integer[] order = new Integer[nr];
        for (int j = 0; j < nr; j++) order[j] = reached[j];
        Arrays.sort(order, (x, y) -> s[x] != s[y] ? Double.compare(s[x], s[y]) : Long.compare(popularity[x], popularity[y]));
        int rank = 0;
        for (int j = 0; j < nr; j++) {
            if (j > 0 && (s[order[j]] != s[order[j - 1]] || popularity[order[j]] != popularity[order[j - 1]])) rank++;
            out[order[j]] = distinctCounts + rank;
        }
        return out;
    }
}
