package dev.penchant.tf.sasrec;

import dev.penchant.core.model.Explainer;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelSpecs;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.Batch;
import dev.penchant.tf.EmbeddingTable;
import dev.penchant.tf.GraphBuilder;
import dev.penchant.tf.Ops2;
import dev.penchant.tf.Sequences;
import dev.penchant.tf.TfRecommender;
import org.jboss.logging.Logger;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * SASRec (Kang and McAuley, ICDM 2018): item embeddings (scaled by sqrt(d)) + learned position
 * embeddings over the last max_length items (left padded), `blocks` causally masked scaled dot-product
 * self-attention blocks (heads heads, pre-layer-norm queries, residuals, dropout, point-wise
 * feed-forward), a final layer norm; the score of item i is the dot product of the last position's
 * state with i's (shared) embedding. Trained on every position of each user's last window: loss=softmax
 * (full softmax over the catalogue), loss=sampled (a sampled softmax over {@code negatives} items shared
 * by the batch, drawn from popularity^0.75, with the log-Q correction that keeps it an estimate of the
 * full softmax) or loss=bce (one sampled negative per position outside the user's training items, as the
 * paper). By default the data chooses: the full softmax up to {@link ModelSpecs#SASREC_FULL_SOFTMAX_ITEMS}
 * items, where it is affordable and best, the sampled one above, where one logit per catalogue item per
 * position makes an epoch cost minutes (31,000 users x 23,700 items: 6.5 min an epoch). Scoring for
 * evaluation and serving is exact over the catalogue whatever the loss.
 *
 * <p>Defaults (best validation NDCG@10 on ML-100K): dim 64, 2 blocks, 1 head, dropout 0.3, batch 32,
 * window from the data ({@link #defaultLength}).
 *
 * <p>Explain: attention of the last position of the last block over the window (mean over heads).
 */
public final class SasRecRecommender extends TfRecommender implements Explainer {
    private static final Logger LOG = Logger.getLogger(SasRecRecommender.class);
    private int dim;
    private int length;
    private int blocks;
    private int heads;
    private float dropoutRate;
    private int batchSize;
    private String loss;
    private int negatives;
    private String windows;
    /** loss=sampled: cumulative proposal distribution over the catalogue and log(q(i)) per item. */
    private double[] proposalCdf;
    private float[] logQ;

    private Placeholder<TInt32> historyIn;
    private Placeholder<TInt32> userIn;
    private Placeholder<TInt32> targetIn;
    private Placeholder<TInt32> negativeIn;
    private Placeholder<TFloat32> negativeLogQIn;
    private Placeholder<TFloat32> targetLogQIn;
    private Operand<TFloat32> rateIn;

    public SasRecRecommender(Hyperparameters hp) {
        super(hp);
    }

    @Override
    public String name() {
        return "sasrec";
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
    protected boolean variableWindow() {
        return true;
    }

    @Override
    protected void configure(TrainingContext ctx) {
        dim = hp.getInt("dim");
        length = hp.getInt("window", defaultLength(ctx.split().train()));
        blocks = hp.getInt("blocks");
        heads = hp.getInt("heads");
        dropoutRate = (float) hp.getDouble("dropout");
        batchSize = hp.getInt("batch_size");
        loss = hp.getString("loss", numItems <= ModelSpecs.SASREC_FULL_SOFTMAX_ITEMS ? "softmax" : "sampled");
        negatives = Math.min(hp.getInt("negatives"), Math.max(1, numItems));
        windows = hp.getString("window_sampling");
        if (loss.equals("sampled")) buildProposal(ctx.split().train());
        LOG.infof("sasrec: loss %s over %d items%s", loss, numItems, loss.equals("sampled") ? " (" + negatives + " negatives a batch)" : "");
    }

    /** The sampled softmax's proposal: training counts^0.75 (+1 so every item can be drawn). */
    private void buildProposal(int[][] train) {
        double[] w = new double[numItems];
        for (int[] s : train) for (int i : s) w[i]++;
        double total = 0;
        for (int i = 0; i < numItems; i++) total += (w[i] = Math.pow(w[i] + 1, 0.75));
        proposalCdf = new double[numItems];
        logQ = new float[numItems];
        double c = 0;
        for (int i = 0; i < numItems; i++) {
            c += w[i] / total;
            proposalCdf[i] = c;
            logQ[i] = (float) Math.log(w[i] / total);
        }
        proposalCdf[numItems - 1] = 1.0;
    }

    private int drawFromProposal(Random rng) {
        int i = Arrays.binarySearch(proposalCdf, rng.nextDouble());
        return Math.min(numItems - 1, i >= 0 ? i : -i - 1);
    }

    /**
     * The window that covers 90% of the users' training sequences, rounded up to a multiple of 10, within
     * [10, 200]: ML-100K (p90 245) gets 200, as the paper used on ML-1M, and covers 86% of its
     * interactions where 50 covered 40% (test HR@10 0.678 -> 0.711 at dropout 0.2; dropout 0.3, the best validation NDCG@10 of 0.2/0.3/0.5, gives 0.724); short-session data (p90 ~25) gets a
     * short window instead of paying the quadratic attention cost for padding.
     */
    static int defaultLength(int[][] train) {
        int[] lengths = java.util.Arrays.stream(train).mapToInt(s -> s.length).filter(n -> n > 1).sorted().toArray();
        if (lengths.length == 0) return 10;
        int p90 = lengths[Math.min(lengths.length - 1, (int) Math.ceil(0.9 * lengths.length) - 1)];
        return Math.max(10, Math.min(200, (p90 + 9) / 10 * 10));
    }

    @Override
    protected Outputs build(GraphBuilder b, boolean training) {
        Ops tf = b.tf();
        int pad = numItems;
        // fields point into the training graph only (export builds a second, short-lived graph)
        // the window may be shorter than max_length at run time (T = the longest history in a scoring
        // batch): the newest T position embeddings and the bottom-right T x T corner of the causal mask
        // give the same last-position output as a full, left-padded window, for less work
        Placeholder<TInt32> historyIn = b.intInput("in_history", -1, -1);
        Placeholder<TInt32> userIn = b.intInput("in_user", -1);
        Operand<TFloat32> rateIn = training ? tf.withName("in_dropout").placeholderWithDefault(tf.constant(0f), Shape.scalar()) : null;
        if (training) {
            this.rateIn = rateIn;
            this.historyIn = historyIn;
            this.userIn = userIn;
        }
        float init = 1f / (float) Math.sqrt(dim);
        EmbeddingTable itemEmb = b.embedding("item_emb", numItems + 1, dim, init);
        Variable<TFloat32> posEmb = b.variable("pos_emb", new long[]{length, dim}, init);
        Operand<TInt32> t = tf.gather(tf.shape(historyIn), tf.constant(1), tf.constant(0));
        Operand<TInt32> skip = tf.math.sub(tf.constant(length), t);
        Operand<TFloat32> positions = tf.slice(posEmb, tf.stack(List.of(skip, tf.constant(0))), tf.stack(List.of(t, tf.constant(dim))));

        Operand<TFloat32> mask = SeqLayers.mask(tf, historyIn, pad); // [B, T]
        Operand<TFloat32> x = tf.math.add(tf.math.mul(itemEmb.lookup(historyIn), tf.constant((float) Math.sqrt(dim))), positions);
        x = SeqLayers.applyMask(tf, SeqLayers.dropout(tf, x, rateIn, seed, 0), mask);
        // causal (query t sees keys <= t) and key-padding mask, [B, 1, T, T]
        float[] causal = new float[length * length];
        for (int q = 0; q < length; q++) for (int k = 0; k <= q; k++) causal[q * length + k] = 1f;
        Operand<TFloat32> causalFull = tf.constant(Shape.of(1, 1, length, length), DataBuffers.of(causal, true, false));
        Operand<TFloat32> causalT = tf.slice(causalFull, tf.stack(List.of(tf.constant(0), tf.constant(0), skip, skip)),
                tf.stack(List.of(tf.constant(1), tf.constant(1), t, t)));
        Operand<TFloat32> keyMask = tf.expandDims(tf.expandDims(mask, tf.constant(1)), tf.constant(1));
        Operand<TFloat32> attMask = tf.math.mul(causalT, keyMask);
        Operand<TFloat32> lastWeights = null;
        // serving scores the last position only: its last block needs every position as keys and values
        // (the blocks before it computed them) but only the last position as query, so the export graph
        // runs that block's queries, feed-forward and residuals for one position instead of T
        boolean lastPositionOnly = !training;
        Operand<TInt32> lastIndex = tf.math.sub(t, tf.constant(1));
        for (int i = 0; i < blocks; i++) {
            String p = "b" + i;
            boolean narrow = lastPositionOnly && i == blocks - 1;
            Operand<TFloat32> q = SeqLayers.layerNorm(b, p + "_ln_att", x, dim);
            Operand<TFloat32> blockMask = mask;
            Operand<TFloat32> blockAttMask = attMask;
            if (narrow) {
                q = tf.slice(q, tf.stack(List.of(tf.constant(0), lastIndex, tf.constant(0))), tf.constant(new int[]{-1, 1, -1}));
                blockMask = tf.slice(mask, tf.stack(List.of(tf.constant(0), lastIndex)), tf.constant(new int[]{-1, 1}));
                blockAttMask = tf.slice(attMask, tf.stack(List.of(tf.constant(0), tf.constant(0), lastIndex, tf.constant(0))),
                        tf.constant(new int[]{-1, -1, 1, -1}));
            }
            Operand<TFloat32>[] att = attention(b, p, q, x, blockAttMask, rateIn, 10 + 10 * i);
            x = tf.math.add(q, att[0]);
            Operand<TFloat32> y = SeqLayers.layerNorm(b, p + "_ln_ff", x, dim);
            Operand<TFloat32> f = tf.nn.relu(SeqLayers.dense3(b, p + "_ff1", y, dim, dim));
            f = SeqLayers.dropout(tf, f, rateIn, seed, 13 + 10 * i);
            f = SeqLayers.dense3(b, p + "_ff2", f, dim, dim);
            f = SeqLayers.dropout(tf, f, rateIn, seed, 14 + 10 * i);
            x = SeqLayers.applyMask(tf, tf.math.add(y, f), blockMask);
            lastWeights = att[1];
        }
        Operand<TFloat32> h = SeqLayers.layerNorm(b, "final_ln", x, dim); // [B, T, d]
        Operand<TFloat32> user = SeqLayers.last(tf, h, dim);
        Operand<TFloat32> allItems = itemEmb.firstRows(numItems);
        Operand<TFloat32> scores = tf.withName("scores").linalg.matMul(user, allItems, MatMul.transposeB(true));
        // attention of the last query over the window, mean over heads: [B, T]
        Operand<TInt32> lastQuery = tf.stack(List.of(tf.constant(0), tf.constant(0), lastPositionOnly ? tf.constant(0) : lastIndex, tf.constant(0)));
        Operand<TFloat32> lastRow = tf.slice(lastWeights, lastQuery, tf.constant(new int[]{-1, -1, 1, -1}));
        Operand<TFloat32> attention = tf.withName("attention").math.mean(lastRow, tf.constant(new int[]{1, 2}));

        Operand<TFloat32> totalLoss = null;
        if (training) {
            targetIn = b.intInput("in_target", -1, length);
            Operand<TFloat32> hf = tf.reshape(h, tf.constant(new int[]{-1, dim}));
            Operand<TFloat32> tmask = tf.reshape(SeqLayers.mask(tf, targetIn, pad), tf.constant(new int[]{-1}));
            Operand<TFloat32> posLogit = Ops2.rowDot(tf, hf, itemEmb.lookup(tf.reshape(targetIn, tf.constant(new int[]{-1}))));
            Operand<TFloat32> perPosition;
            if (loss.equals("softmax")) {
                // a lookup of every row (not firstRows) so the sparse Adam sees the gradient of the catalogue
                Operand<TFloat32> catalogue = itemEmb.lookup(tf.range(tf.constant(0), tf.constant(numItems), tf.constant(1)));
                Operand<TFloat32> logits = tf.linalg.matMul(hf, catalogue, MatMul.transposeB(true));
                perPosition = tf.math.sub(Ops2.logSumExp(tf, logits), posLogit);
            } else if (loss.equals("sampled")) {
                // logits minus log q (the log-Q correction): the sampled softmax then estimates the full
                // one; a sampled item equal to the position's target is masked out
                negativeIn = b.intInput("in_negative", negatives);
                negativeLogQIn = b.floatInput("in_negative_logq", negatives);
                targetLogQIn = b.floatInput("in_target_logq", -1, length);
                Operand<TInt32> flatTarget = tf.reshape(targetIn, tf.constant(new int[]{-1}));
                Operand<TFloat32> pos = tf.math.sub(posLogit, tf.reshape(targetLogQIn, tf.constant(new int[]{-1})));
                Operand<TFloat32> negLogits = tf.math.sub(
                        tf.linalg.matMul(hf, itemEmb.lookup(negativeIn), MatMul.transposeB(true)),
                        tf.expandDims(negativeLogQIn, tf.constant(0))); // [B*T, S]
                Operand<TFloat32> hit = tf.dtypes.cast(tf.math.equal(tf.expandDims(flatTarget, tf.constant(1)),
                        tf.expandDims(negativeIn, tf.constant(0))), TFloat32.class);
                Operand<TFloat32> masked = tf.math.sub(negLogits, tf.math.mul(hit, tf.constant(1e4f)));
                Operand<TFloat32> logits = tf.concat(List.of(tf.expandDims(pos, tf.constant(1)), masked), tf.constant(1));
                perPosition = tf.math.sub(Ops2.logSumExp(tf, logits), pos);
            } else {
                negativeIn = b.intInput("in_negative", -1, length);
                Operand<TFloat32> negLogit = Ops2.rowDot(tf, hf, itemEmb.lookup(tf.reshape(negativeIn, tf.constant(new int[]{-1}))));
                perPosition = tf.math.add(tf.math.softplus(tf.math.neg(posLogit)), tf.math.softplus(negLogit));
            }
            Operand<TFloat32> denom = tf.math.maximum(tf.sum(tmask, tf.constant(0)), tf.constant(1f));
            totalLoss = tf.withName("loss").math.div(tf.sum(tf.math.mul(perPosition, tmask), tf.constant(0)), denom);
        }
        Operand<TFloat32> itemVectors = tf.withName("item_vectors").identity(allItems);
        return new Outputs(historyIn, userIn, scores, null, null, null, totalLoss, itemVectors).withAttention(attention, null);
    }

    /** Scaled dot-product attention; returns {output [B, L, d], weights [B, heads, L, L]}. */
    @SuppressWarnings("unchecked")
    private Operand<TFloat32>[] attention(GraphBuilder b, String p, Operand<TFloat32> queries, Operand<TFloat32> keys,
                                          Operand<TFloat32> mask, Operand<TFloat32> rateIn, int seedIndex) {
        Ops tf = b.tf();
        int dh = dim / heads;
        Operand<TFloat32> q = splitHeads(tf, SeqLayers.dense3(b, p + "_q", queries, dim, dim), dh);
        Operand<TFloat32> k = splitHeads(tf, SeqLayers.dense3(b, p + "_k", keys, dim, dim), dh);
        Operand<TFloat32> v = splitHeads(tf, SeqLayers.dense3(b, p + "_v", keys, dim, dim), dh);
        Operand<TFloat32> s = tf.math.mul(tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)),
                tf.constant(1f / (float) Math.sqrt(dh))); // [B, H, L, L]
        // masked logits far below any real one: padding gets weight 0, all-masked rows stay finite
        s = tf.math.add(tf.math.mul(s, mask), tf.math.mul(tf.math.sub(tf.constant(1f), mask), tf.constant(-1e9f)));
        Operand<TFloat32> w = tf.nn.softmax(s);
        Operand<TFloat32> wd = SeqLayers.dropout(tf, w, rateIn, seed, seedIndex);
        Operand<TFloat32> o = tf.train.batchMatMul(wd, v, TFloat32.class); // [B, H, L, dh]
        o = tf.reshape(tf.linalg.transpose(o, tf.constant(new int[]{0, 2, 1, 3})), SeqLayers.leadingShape(tf, queries, dim));
        return new Operand[]{o, w};
    }

    private Operand<TFloat32> splitHeads(Ops tf, Operand<TFloat32> x, int dh) {
        Operand<TFloat32> r = tf.reshape(x, SeqLayers.leadingShape(tf, x, heads, dh));
        return tf.linalg.transpose(r, tf.constant(new int[]{0, 2, 1, 3}));
    }

    @Override
    protected long examplesPerEpoch(TrainingContext ctx) {
        long n = 0;
        for (int[] s : ctx.split().train()) n += Math.max(0, Math.min(s.length - 1, length));
        return n;
    }

    @Override
    protected Iterator<Batch> epoch(TrainingContext ctx, Random rng) {
        int[][] train = ctx.split().train();
        List<Integer> users = new ArrayList<>();
        for (int u = 0; u < train.length; u++) if (train[u].length >= 2) users.add(u);
        java.util.Collections.shuffle(users, rng);
        int pad = numItems;
        boolean bce = loss.equals("bce");
        boolean sampled = loss.equals("sampled");
        boolean randomWindows = windows.equals("random");
        return Batch.chunks(users.size(), batchSize, (next, n) -> {
            int[] hist = new int[n * length];
            int[] target = new int[n * length];
            int[] neg = bce ? new int[n * length] : null;
            int positions = 0;
            for (int i = 0; i < n; i++) {
                int u = users.get(next + i);
                int[] s = train[u];
                // window ends at the last item (or, windows=random, at a random end that still fills it when it can)
                int end = s.length;
                if (randomWindows && s.length > length + 1) end = length + 1 + rng.nextInt(s.length - length);
                int[] sorted = bce ? sortedCopy(s) : null;
                for (int j = 0; j < length; j++) {
                    int k = end - 1 - length + j; // input index; the target is k + 1
                    int o = i * length + j;
                    if (k < 0) {
                        hist[o] = pad;
                        target[o] = pad;
                        if (bce) neg[o] = pad;
                        continue;
                    }
                    hist[o] = s[k];
                    target[o] = s[k + 1];
                    positions++;
                    if (bce) neg[o] = negative(rng, sorted);
                }
            }
            Batch batch = new Batch(positions).ints(historyIn, hist, n, length).ints(userIn, new int[n], n)
                    .ints(targetIn, target, n, length)
                    .add(rateIn, TFloat32.scalarOf(dropoutRate));
            if (bce) batch.ints(negativeIn, neg, n, length);
            if (sampled) {
                int[] shared = new int[negatives];
                float[] sharedLogQ = new float[negatives];
                for (int j = 0; j < negatives; j++) sharedLogQ[j] = logQ[shared[j] = drawFromProposal(rng)];
                float[] targetLogQ = new float[n * length];
                for (int o = 0; o < target.length; o++) targetLogQ[o] = target[o] == pad ? 0f : logQ[target[o]];
                batch.ints(negativeIn, shared, negatives).floats(negativeLogQIn, sharedLogQ, negatives)
                        .floats(targetLogQIn, targetLogQ, n, length);
            }
            return batch;
        });
    }

    private int negative(Random rng, int[] sortedHistory) {
        int c = rng.nextInt(numItems);
        for (int tries = 0; tries < 20 && Arrays.binarySearch(sortedHistory, c) >= 0; tries++) c = rng.nextInt(numItems);
        return c;
    }

    private static int[] sortedCopy(int[] s) {
        int[] c = s.clone();
        Arrays.sort(c);
        return c;
    }

    @Override
    public List<Attribution> explain(int user, int[] history, int item) {
        return attributions(user, history, item);
    }
}
