package dev.penchant.tf.bilstm;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.Batch;
import dev.penchant.tf.EmbeddingTable;
import dev.penchant.tf.Examples;
import dev.penchant.tf.GraphBuilder;
import dev.penchant.tf.Ops2;
import dev.penchant.tf.Sequences;
import dev.penchant.tf.TfRecommender;
import dev.penchant.tf.sasrec.SeqLayers;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Recurrent reference: item embeddings -> bidirectional LSTM unrolled over the last max_length items
 * (cells from matmul / sigmoid / tanh; padding steps keep the state) -> [forward final, backward
 * final] state -> ReLU layer -> dense softmax output over the catalogue. Trained on every training
 * position (history = the items before t, target = item t) with the full softmax.
 */
public final class BiLstmRecommender extends TfRecommender {
    private int dim;
    private int hidden;
    private int length;
    private int batchSize;
    private float dropoutRate;

    private Placeholder<TInt32> historyIn;
    private Placeholder<TInt32> userIn;
    private Placeholder<TInt32> targetIn;
    private Operand<TFloat32> rateIn;

    public BiLstmRecommender(Hyperparameters hp) {
        super(hp);
    }

    @Override
    public String name() {
        return "bilstm";
    }

    @Override
    protected boolean usesUser() {
        return false;
    }

    @Override
    protected int historyLength() {
        return length;
    }

    @Override
    protected void configure(TrainingContext ctx) {
        dim = hp.getInt("dim");
        hidden = hp.getInt("lstm_units");
        length = hp.getInt("window");
        batchSize = hp.getInt("batch_size");
        dropoutRate = (float) hp.getDouble("dropout");
    }

    @Override
    protected Outputs build(GraphBuilder b, boolean training) {
        Ops tf = b.tf();
        int pad = numItems;
        Placeholder<TInt32> historyIn = b.intInput("in_history", -1, length);
        Placeholder<TInt32> userIn = b.intInput("in_user", -1);
        Operand<TFloat32> rateIn = training ? tf.withName("in_dropout").placeholderWithDefault(tf.constant(0f), org.tensorflow.ndarray.Shape.scalar()) : null;
        if (training) {
            this.rateIn = rateIn;
            this.historyIn = historyIn;
            this.userIn = userIn;
        }
        EmbeddingTable itemEmb = b.embedding("item_emb", numItems + 1, dim, 1f / (float) Math.sqrt(dim));
        Operand<TFloat32> mask = SeqLayers.mask(tf, historyIn, pad);
        Operand<TFloat32> x = SeqLayers.dropout(tf, itemEmb.lookup(historyIn), rateIn, seed, 0); // [B, L, d]
        Operand<TFloat32> fwd = lstm(b, "fw", x, mask, false);
        Operand<TFloat32> bwd = lstm(b, "bw", x, mask, true);
        Operand<TFloat32> rep = tf.concat(List.of(fwd, bwd), tf.constant(1));
        rep = SeqLayers.dropout(tf, tf.nn.relu(b.dense("rep", rep, 2 * hidden, dim)), rateIn, seed, 1);
        Operand<TFloat32> scores = tf.withName("scores").identity(b.dense("out", rep, dim, numItems)); // [B, N]
        Operand<TFloat32> loss = null;
        if (training) {
            targetIn = b.intInput("in_target", -1);
            Operand<TFloat32> onehot = tf.oneHot(targetIn, tf.constant(numItems), tf.constant(1f), tf.constant(0f));
            Operand<TFloat32> pos = tf.sum(tf.math.mul(scores, onehot), tf.constant(1));
            loss = tf.withName("loss").identity(Ops2.mean(tf, tf.math.sub(Ops2.logSumExp(tf, scores), pos)));
        }
        return new Outputs(historyIn, userIn, scores, null, null, null, loss, null);
    }

    /** One LSTM direction over [B, L, d]; returns the final hidden state [B, hidden]. */
    private Operand<TFloat32> lstm(GraphBuilder b, String name, Operand<TFloat32> x, Operand<TFloat32> mask, boolean reverse) {
        Ops tf = b.tf();
        int h4 = 4 * hidden;
        Variable<TFloat32> wx = b.variable(name + "_wx", new long[]{dim, h4}, (float) Math.sqrt(1.0 / dim));
        Variable<TFloat32> wh = b.variable(name + "_wh", new long[]{hidden, h4}, (float) Math.sqrt(1.0 / hidden));
        Variable<TFloat32> bias = b.zerosVariable(name + "_b", h4);
        // input projections of every step at once: [B, L, 4H]
        Operand<TFloat32> xp = tf.reshape(tf.nn.biasAdd(tf.linalg.matMul(tf.reshape(x, tf.constant(new int[]{-1, dim})), wx), bias),
                tf.constant(new int[]{-1, length, h4}));
        Operand<TInt32> stateShape = tf.concat(List.of(tf.slice(tf.shape(historyIn), tf.constant(new int[]{0}), tf.constant(new int[]{1})),
                tf.constant(new int[]{hidden})), tf.constant(0));
        Operand<TFloat32> h = tf.fill(stateShape, tf.constant(0f));
        Operand<TFloat32> c = h;
        for (int s = 0; s < length; s++) {
            int t = reverse ? length - 1 - s : s;
            Operand<TFloat32> z = tf.math.add(SeqLayers.position(tf, xp, t, h4), tf.linalg.matMul(h, wh));
            List<org.tensorflow.Output<TFloat32>> g = tf.split(tf.constant(1), z, 4L).output();
            Operand<TFloat32> i = tf.math.sigmoid(g.get(0));
            Operand<TFloat32> f = tf.math.sigmoid(tf.math.add(g.get(1), tf.constant(1f))); // forget bias 1
            Operand<TFloat32> o = tf.math.sigmoid(g.get(2));
            Operand<TFloat32> cand = tf.math.tanh(g.get(3));
            Operand<TFloat32> c2 = tf.math.add(tf.math.mul(f, c), tf.math.mul(i, cand));
            Operand<TFloat32> h2 = tf.math.mul(o, tf.math.tanh(c2));
            // padding steps keep the previous state
            Operand<TFloat32> m = tf.slice(mask, tf.constant(new int[]{0, t}), tf.constant(new int[]{-1, 1}));
            Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), m);
            c = tf.math.add(tf.math.mul(m, c2), tf.math.mul(keep, c));
            h = tf.math.add(tf.math.mul(m, h2), tf.math.mul(keep, h));
        }
        return h;
    }

    @Override
    protected long examplesPerEpoch(TrainingContext ctx) {
        return new Examples(ctx.split().train(), 1).size();
    }

    @Override
    protected Iterator<Batch> epoch(TrainingContext ctx, Random rng) {
        int[][] train = ctx.split().train();
        Examples ex = new Examples(train, 1);
        int[] order = ex.shuffled(rng);
        int pad = numItems;
        return Batch.chunks(order.length, batchSize, (next, n) -> {
            int[] hist = new int[n * length];
            int[] target = new int[n];
            for (int i = 0; i < n; i++) {
                int e = order[next + i];
                int u = ex.users[e];
                int t = ex.positions[e];
                Sequences.fillHistory(train[u], t, length, pad, hist, i * length);
                target[i] = train[u][t];
            }
            return new Batch(n).ints(historyIn, hist, n, length).ints(userIn, new int[n], n).ints(targetIn, target, n)
                    .add(rateIn, TFloat32.scalarOf(dropoutRate));
        });
    }
}
