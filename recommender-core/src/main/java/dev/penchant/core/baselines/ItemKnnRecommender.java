package dev.penchant.core.baselines;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Item-based k-nearest neighbours: cosine similarity of items over binary training co-occurrence
 * (sim(i, j) = users with both / sqrt(users with i * users with j), optionally shrunk), each item keeps
 * its top "neighbours" (default 100); a user's score for j is the sum of sim(h, j) over the distinct
 * history items h that have j as a neighbour.
 */
public final class ItemKnnRecommender implements Recommender {
    private final int neighbours;
    private final double shrink;
    private int numItems;
    private int[][] nbr;
    private float[][] sim;

    public ItemKnnRecommender(Hyperparameters hp) {
        this.neighbours = hp.getInt("neighbours");
        this.shrink = hp.getDouble("shrink");
    }

    @Override
    public String name() {
        return "itemknn";
    }

    @Override
    public void fit(TrainingContext ctx) {
        numItems = ctx.split().numItems();
        int[][] train = ctx.split().train();
        int[][] userItems = new int[train.length][];
        for (int u = 0; u < train.length; u++)
            userItems[u] = Arrays.stream(train[u]).filter(i -> i >= 0 && i < numItems).distinct().toArray();
        int[] df = new int[numItems];
        for (int[] row : userItems) for (int i : row) df[i]++;
        List<List<Integer>> itemUsers = new ArrayList<>();
        for (int i = 0; i < numItems; i++) itemUsers.add(new ArrayList<>());
        for (int u = 0; u < userItems.length; u++) for (int i : userItems[u]) itemUsers.get(i).add(u);
        nbr = new int[numItems][];
        sim = new float[numItems][];
        int[] co = new int[numItems];
        int[] touched = new int[numItems];
        for (int i = 0; i < numItems; i++) {
            int nt = 0;
            for (int u : itemUsers.get(i))
                for (int j : userItems[u]) {
                    if (j == i) continue;
                    if (co[j]++ == 0) touched[nt++] = j;
                }
            int k = Math.min(neighbours, nt);
            Integer[] idx = new Integer[nt];
            float[] s = new float[numItems];
            for (int t = 0; t < nt; t++) {
                int j = touched[t];
                idx[t] = j;
                s[j] = (float) (co[j] / (Math.sqrt((double) df[i] * df[j]) + shrink));
            }
            Arrays.sort(idx, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
            nbr[i] = new int[k];
            sim[i] = new float[k];
            for (int t = 0; t < k; t++) {
                nbr[i][t] = idx[t];
                sim[i][t] = s[idx[t]];
            }
            for (int t = 0; t < nt; t++) co[touched[t]] = 0;
        }
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        float[][] out = new float[users.length][];
        for (int b = 0; b < users.length; b++) {
            float[] s = new float[numItems];
            int[] h = histories[b] == null ? new int[0] : Arrays.stream(histories[b]).distinct().toArray();
            for (int i : h) {
                if (i < 0 || i >= numItems) continue;
                for (int t = 0; t < nbr[i].length; t++) s[nbr[i][t]] += sim[i][t];
            }
            out[b] = s;
        }
        return out;
    }
}
