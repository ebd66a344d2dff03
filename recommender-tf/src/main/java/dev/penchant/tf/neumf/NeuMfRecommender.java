package dev.penchant.tf.neumf;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.Batch;
import dev.penchant.tf.Examples;
import dev.penchant.tf.EmbeddingTable;
import dev.penchant.tf.GraphBuilder;
import dev.penchant.tf.Ops2;
import dev.penchant.tf.TfRecommender;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Random;

/**
 * NeuMF (He et al. 2017, "Neural Collaborative Filtering"): a GMF branch (element-wise product of
 * user and item embeddings) and an MLP branch (ReLU tower over concatenated user and item
 * embeddings), concatenated into one sigmoid output; trained with BCE on every training interaction
 * plus `negatives` (default 4) items sampled uniformly from those the user has not interacted with.
 * Uses the user index, not the history. Scoring all items splits the first MLP layer into a user and
 * an item part so the [users x items] pairs are never materialised as concatenated inputs.
 */
public final class NeuMfRecommender extends TfRecommender {
    private int factors;
    private int[] layers;
    private int negatives;
    private int batchSize;
    private Placeholder<TInt32> pairUserIn;
    private Placeholder<TInt32> pairItemIn;
    private Placeholder<TFloat32> labelIn;

    public NeuMfRecommender(Hyperparameters hp) {
        super(hp);
    }

    @Override
    public String name() {
        return "neumf";
    }

    @Override
    protected boolean usesUser() {
        return true;
    }

    @Override
    protected boolean usesHistory() {
        return false;
    }

    @Override
    protected int historyLength() {
        return 1;
    }

    @Override
    protected void configure(TrainingContext ctx) {
        factors = hp.getInt("factors");
        layers = hp.getInts("layers");
        negatives = hp.getInt("negatives");
        batchSize = hp.getInt("batch_size");
    }

    @Override
    protected Outputs build(GraphBuilder b, boolean training) {
        Ops tf = b.tf();
        Placeholder<TInt32> historyIn = b.intInput("in_history", -1, 1); // unused: NeuMF is user-based
        Placeholder<TInt32> userIn = b.intInput("in_user", -1);
        float init = 0.01f * 10; // 0.1: small normal init as in the paper's N(0, 0.01) scaled for Adam
        int mlpDim = layers[0] / 2;
        EmbeddingTable userG = b.embedding("user_gmf", numUsers + 1, factors, init);
        EmbeddingTable itemG = b.embedding("item_gmf", numItems, factors, init);
        EmbeddingTable userM = b.embedding("user_mlp", numUsers + 1, mlpDim, init);
        EmbeddingTable itemM = b.embedding("item_mlp", numItems, mlpDim, init);
        Variable<TFloat32> w1u = b.variable("mlp_in_wu", new long[]{mlpDim, hidden1()}, xavier(2 * mlpDim, hidden1()));
        Variable<TFloat32> w1i = b.variable("mlp_in_wi", new long[]{mlpDim, hidden1()}, xavier(2 * mlpDim, hidden1()));
        Variable<TFloat32> b1 = b.zerosVariable("mlp_in_b", hidden1());
        // layers[0] = concatenated embedding width, layers[1] = first hidden layer, layers[2..] = the rest
        int[] rest = layers.length > 2 ? Arrays.copyOfRange(layers, 2, layers.length) : new int[0];
        int last = rest.length == 0 ? hidden1() : rest[rest.length - 1];
        Variable<TFloat32> hGmf = b.variable("out_gmf", new long[]{factors, 1}, xavier(factors + last, 1));
        Variable<TFloat32> hMlp = b.variable("out_mlp", new long[]{last, 1}, xavier(factors + last, 1));
        Variable<TFloat32> outBias = b.zerosVariable("out_b", 1);

        Operand<TInt32> safeUser = tf.math.minimum(userIn, tf.constant(numUsers));
        Operand<TFloat32> known = tf.expandDims(tf.dtypes.cast(tf.math.less(userIn, tf.constant(numUsers)), TFloat32.class), tf.constant(1));
        Operand<TFloat32> ug = tf.math.mul(userG.lookup(safeUser), known);
        Operand<TFloat32> um = tf.math.mul(userM.lookup(safeUser), known);
        // all-item scores: GMF part (ug*h) . q ; MLP part via split first layer
        Operand<TFloat32> gmfAll = tf.linalg.matMul(tf.math.mul(ug, tf.reshape(hGmf, tf.constant(new int[]{1, factors}))),
                itemG.firstRows(numItems), MatMul.transposeB(true)); // [B, N]
        Operand<TFloat32> uPart = tf.linalg.matMul(um, w1u); // [B, h1]
        Operand<TFloat32> iPart = tf.linalg.matMul(itemM.firstRows(numItems), w1i); // [N, h1]
        Operand<TFloat32> z = tf.nn.relu(tf.nn.biasAdd(tf.math.add(tf.expandDims(uPart, tf.constant(1)),
                tf.expandDims(iPart, tf.constant(0))), b1)); // [B, N, h1]
        Operand<TFloat32> flat = tf.reshape(z, tf.constant(new int[]{-1, hidden1()}));
        Operand<TFloat32> top = rest.length == 0 ? flat : b.mlp("mlp", flat, hidden1(), rest, false);
        Operand<TFloat32> mlpAll = tf.reshape(tf.linalg.matMul(top, hMlp), tf.shape(gmfAll));
        Operand<TFloat32> scores = tf.withName("scores").math.add(tf.math.add(gmfAll, mlpAll), outBias);

        Operand<TFloat32> loss = null;
        if (training) {
            pairUserIn = b.intInput("in_pair_user", -1);
            pairItemIn = b.intInput("in_pair_item", -1);
            labelIn = b.floatInput("in_label", -1);
            Operand<TFloat32> p = userG.lookup(pairUserIn);
            Operand<TFloat32> q = itemG.lookup(pairItemIn);
            Operand<TFloat32> gmf = tf.linalg.matMul(tf.math.mul(p, q), hGmf); // [P,1]
            Operand<TFloat32> zz = tf.nn.relu(tf.nn.biasAdd(tf.math.add(tf.linalg.matMul(userM.lookup(pairUserIn), w1u),
                    tf.linalg.matMul(itemM.lookup(pairItemIn), w1i)), b1));
            Operand<TFloat32> t = rest.length == 0 ? zz : mlpShared(b, zz, rest);
            Operand<TFloat32> logit = tf.reshape(tf.math.add(tf.math.add(gmf, tf.linalg.matMul(t, hMlp)), outBias), tf.constant(new int[]{-1}));
            loss = tf.withName("loss").identity(Ops2.mean(tf, Ops2.sigmoidCrossEntropy(tf, logit, labelIn)));
        }
        Operand<TFloat32> itemVectors = tf.withName("item_vectors").identity(itemG.firstRows(numItems));
        return new Outputs(historyIn, userIn, scores, null, null, null, loss, itemVectors);
    }

    private int hidden1() {
        return layers.length > 1 ? layers[1] : layers[0];
    }

    /** Reuses the "mlp" layers made for the scoring path (same variables) on the pair inputs. */
    private Operand<TFloat32> mlpShared(GraphBuilder b, Operand<TFloat32> x, int[] rest) {
        Ops tf = b.tf();
        Operand<TFloat32> h = x;
        for (int i = 0; i < rest.length; i++) {
            String n = "mlp_" + i;
            Variable<TFloat32> w = find(b, n + "_w");
            Variable<TFloat32> bias = find(b, n + "_b");
            h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(h, w), bias));
        }
        return h;
    }

    private static Variable<TFloat32> find(GraphBuilder b, String name) {
        return b.denseVariables().stream().filter(v -> v.op().name().equals(name)).findFirst().orElseThrow();
    }

    private static float xavier(int in, int out) {
        return (float) Math.sqrt(2.0 / (in + out));
    }

    @Override
    protected long examplesPerEpoch(TrainingContext ctx) {
        long n = 0;
        for (int[] s : ctx.split().train()) n += s.length;
        return n * (1 + negatives);
    }

    @Override
    protected Iterator<Batch> epoch(TrainingContext ctx, Random rng) {
        int[][] train = ctx.split().train();
        int[][] sorted = new int[train.length][];
        int total = 0;
        for (int u = 0; u < train.length; u++) {
            sorted[u] = train[u].clone();
            Arrays.sort(sorted[u]);
            total += train[u].length;
        }
        int[] us = new int[total];
        int[] is = new int[total];
        int k = 0;
        for (int u = 0; u < train.length; u++) {
            for (int item : train[u]) {
                us[k] = u;
                is[k++] = item;
            }
        }
        int[] order = Examples.permutation(total, rng);
        int group = 1 + negatives;
        return Batch.chunks(total, batchSize, (next, n) -> {
            int[] pu = new int[n * group];
            int[] pi = new int[n * group];
            float[] label = new float[n * group];
            for (int i = 0; i < n; i++) {
                int e = order[next + i];
                int u = us[e];
                int base = i * group;
                pu[base] = u;
                pi[base] = is[e];
                label[base] = 1f;
                for (int j = 1; j < group; j++) {
                    int neg;
                    int tries = 0;
                    do {
                        neg = rng.nextInt(numItems);
                    } while (Arrays.binarySearch(sorted[u], neg) >= 0 && ++tries < 100);
                    pu[base + j] = u;
                    pi[base + j] = neg;
                }
            }
            int m = n * group;
            return new Batch(m).ints(pairUserIn, pu, m).ints(pairItemIn, pi, m).floats(labelIn, label, m);
        });
    }
}
