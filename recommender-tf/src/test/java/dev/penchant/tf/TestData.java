package dev.penchant.tf;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Features;
import dev.penchant.core.data.Interactions;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.split.Split;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Small hand-made data sets and a minimal leave-one-out split for the model tests (independent of the
 * data pipeline, so these tests exercise only the model machinery).
 */
public final class TestData {
    private TestData() {
    }

    /**
     * Users walk through item "chains": each user picks a chain and mostly steps to the next item of it,
     * sometimes jumping to a random item. Item popularity is nearly flat, so popularity is weak and a
     * model must use the history to rank well. Item features: one-hot chain id.
     */
    public static Dataset chains(int numUsers, int numChains, int chainLength, int seqLength, long seed) {
        Random rng = new Random(seed);
        int numItems = numChains * chainLength;
        Vocabulary users = new Vocabulary();
        Vocabulary items = new Vocabulary();
        for (int i = 0; i < numItems; i++) items.add("i" + i);
        int[][] seqs = new int[numUsers][];
        float[][] values = new float[numUsers][];
        long[][] ts = new long[numUsers][];
        float[][] userF = new float[numUsers][];
        for (int u = 0; u < numUsers; u++) {
            users.add("u" + u);
            int chain = rng.nextInt(numChains);
            int pos = rng.nextInt(chainLength);
            seqs[u] = new int[seqLength];
            values[u] = new float[seqLength];
            ts[u] = new long[seqLength];
            for (int t = 0; t < seqLength; t++) {
                if (rng.nextDouble() < 0.1) {
                    seqs[u][t] = rng.nextInt(numItems);
                    values[u][t] = 2f;
                } else {
                    pos = (pos + 1) % chainLength;
                    seqs[u][t] = chain * chainLength + pos;
                    values[u][t] = 5f;
                }
                ts[u][t] = 1_000_000L + t;
            }
            userF[u] = new float[]{(float) rng.nextGaussian(), u % 2};
        }
        float[][] itemF = new float[numItems][numChains];
        for (int i = 0; i < numItems; i++) itemF[i][i / chainLength] = 1f;
        List<String> chainNames = new ArrayList<>();
        for (int c = 0; c < numChains; c++) chainNames.add("chain=" + c);
        return new Dataset("chains", users, items, new Interactions(seqs, values, ts),
                new Features(List.of("age(z)", "gender=F"), userF), new Features(chainNames, itemF));
    }

    /** Leave-one-out by position: last = test, second last = validation, rest = train. */
    public static Split leaveOneOut(Dataset d) {
        int[][] seqs = d.interactions().items();
        int n = seqs.length;
        int[][] train = new int[n][];
        int[][] valid = new int[n][];
        int[][] test = new int[n][];
        for (int u = 0; u < n; u++) {
            int[] s = seqs[u];
            if (s.length < 3) {
                train[u] = s.clone();
                valid[u] = new int[0];
                test[u] = new int[0];
                continue;
            }
            train[u] = Arrays.copyOf(s, s.length - 2);
            valid[u] = new int[]{s[s.length - 2]};
            test[u] = new int[]{s[s.length - 1]};
        }
        return new Split("leave-one-out", train, valid, test, d.numItems());
    }
}
