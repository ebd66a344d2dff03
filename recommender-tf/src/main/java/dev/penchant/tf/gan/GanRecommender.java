package dev.penchant.tf.gan;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.Batch;
import dev.penchant.tf.GraphBuilder;
import dev.penchant.tf.Ops2;
import dev.penchant.tf.TfRecommender;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * CFGAN-style collaborative-filtering GAN (Chae et al., CIKM 2018), vector-wise, implicit feedback.
 *
 * <p>c_u is the multi-hot vector of the user's history, built inside the graph from the history input,
 * so the served graph takes the same inputs as every other model. Generator G(c_u, z): MLP over
 * [c_u, z] -> sigmoid interest vector over all items. Discriminator D(x, c_u): MLP over [x, c_u] ->
 * real/fake logit; the real x is c_u itself. Partial masking (PM): D sees G's output multiplied by
 * e_u + k_u (observed items plus a fresh sample of pm_ratio of the unobserved ones), so G cannot win
 * by answering "all ones". Zero reconstruction (ZR): G also pays zr_weight * sum over a fresh sample
 * (zr_ratio) of unobserved items of G(c_u)^2. Non-saturating G loss.
 *
 * <p>Trains through the shared trainer ({@link TfRecommender}) with two steps: each batch of users
 * feeds d_steps (1) discriminator and g_steps (3) generator updates, each step with its own Adam over
 * its own variables only (the "dis_" / "gen_" ones; Optimizer.minimize would differentiate against both
 * nets) and fresh masks and noise. Per epoch the metrics carry d_loss, g_loss and the diversity of
 * generated vectors (gen_pairwise_l1: mean L1 distance between users' generated vectors divided by
 * numItems; gen_top10_coverage: distinct items in all users' top-10 / numItems) so mode collapse shows.
 * Early stopping as every model, with the GAN's defaults: validation every 2 epochs, patience 12
 * validations, not before epoch 40 (GAN training often passes through a collapsed phase first).
 *
 * <p>Defaults (tuned on ML-100K leave-one-out validation): gen_hidden=256, dis_hidden=128, noise_dim=16,
 * batch_size=64 users, lr 0.001 for both (gen_lr, dis_lr), pm_ratio=0.5, zr_ratio=0.5, zr_weight=0.1,
 * epochs=200. g_steps=1 collapsed to popularity (top-10 coverage ~3%); g_steps=3 did not.
 *
 * <p>Scores are G's pre-sigmoid logits with z = 0 (same ranking as the sigmoid, without float ties
 * where the sigmoid saturates at 1.0).
 */
public final class GanRecommender extends TfRecommender {
    static final String GEN = "gen";
    static final String DIS = "dis";

    private int[] genHidden;
    private int[] disHidden;
    private int noiseDim;
    private int batchSize;
    private int dSteps;
    private int gSteps;
    private float pmRatio;
    private float zrRatio;
    private float zrWeight;
    private float genLr;
    private float disLr;
    private int historyLength;

    // training graph handles (the export builds a second, short-lived graph and leaves these alone)
    private Placeholder<TInt32> historyIn;
    private Placeholder<TInt32> userIn;
    private Placeholder<TFloat32> noiseIn;
    private Placeholder<TFloat32> pmMaskIn;
    private Placeholder<TFloat32> zrMaskIn;
    private Operand<TFloat32> dLoss;
    private Operand<TFloat32> gLoss;
    private final List<Variable<TFloat32>> genVars = new ArrayList<>();
    private final List<Variable<TFloat32>> disVars = new ArrayList<>();

    public GanRecommender(Hyperparameters hp) {
        super(hp);
    }

    @Override
    public String name() {
        return "gan";
    }

    @Override
    protected boolean usesUser() {
        return false;
    }

    @Override
    protected int historyLength() {
        return historyLength;
    }

    @Override
    protected void configure(TrainingContext ctx) {
        genHidden = hp.getInts("gen_hidden");
        disHidden = hp.getInts("dis_hidden");
        noiseDim = hp.getInt("noise_dim");
        batchSize = hp.getInt("batch_size");
        dSteps = hp.getInt("d_steps");
        gSteps = hp.getInt("g_steps");
        pmRatio = (float) hp.getDouble("pm_ratio");
        zrRatio = (float) hp.getDouble("zr_ratio");
        zrWeight = (float) hp.getDouble("zr_weight");
        double lr = hp.getDouble("lr");
        genLr = (float) hp.getDouble("gen_lr", lr);
        disLr = (float) hp.getDouble("dis_lr", lr);
        // c_u should see the whole history: default to the longest test-time history (train + validation)
        int longest = 1;
        for (int u = 0; u < numUsers; u++)
            longest = Math.max(longest, ctx.split().train()[u].length + ctx.split().validation()[u].length);
        historyLength = hp.getInt("window", Math.min(longest, 4096));
        genVars.clear();
        disVars.clear();
    }

    /** G's logits, and in training D and both losses; the same code builds the lean serving graph (only G). */
    @Override
    protected Outputs build(GraphBuilder b, boolean training) {
        Ops tf = b.tf();
        Placeholder<TInt32> history = b.intInput("in_history", -1, historyLength);
        Placeholder<TInt32> user = b.intInput("in_user", -1); // unused: the model is user-free, kept for the shared signature
        Operand<TFloat32> c = multiHot(tf, history);
        Operand<TInt32> batch = tf.slice(tf.shape(history), tf.constant(new int[]{0}), tf.constant(new int[]{1}));
        Operand<TFloat32> zeros = tf.fill(tf.concat(List.of(batch, tf.constant(new int[]{noiseDim})), tf.constant(0)), tf.constant(0f));
        Operand<TFloat32> scores = tf.withName("scores").identity(generatorLogits(b, c, zeros));
        if (!training) return new Outputs(history, user, scores, null, null, null, null, null);
        historyIn = history;
        userIn = user;
        noiseIn = b.floatInput("in_noise", -1, noiseDim);
        pmMaskIn = b.floatInput("in_pm_mask", -1, numItems);
        zrMaskIn = b.floatInput("in_zr_mask", -1, numItems);
        Operand<TFloat32> gen = tf.math.sigmoid(generatorLogits(b, c, noiseIn));
        Operand<TFloat32> fake = tf.math.mul(gen, pmMaskIn);
        Operand<TFloat32> dReal = discriminatorLogit(b, c, c);
        Operand<TFloat32> dFake = discriminatorLogit(b, fake, c);
        dLoss = tf.withName("d_loss").math.add(Ops2.mean(tf, tf.math.softplus(tf.math.neg(dReal))),
                Ops2.mean(tf, tf.math.softplus(dFake)));
        Operand<TFloat32> zr = tf.sum(tf.math.mul(zrMaskIn, tf.math.square(gen)), tf.constant(1));
        gLoss = tf.withName("g_loss").math.add(Ops2.mean(tf, tf.math.softplus(tf.math.neg(dFake))),
                tf.math.mul(tf.constant(zrWeight), Ops2.mean(tf, zr)));
        for (Variable<TFloat32> v : b.denseVariables()) {
            String n = v.op().name();
            if (n.startsWith(GEN + "_")) genVars.add(v);
            else if (n.startsWith(DIS + "_")) disVars.add(v);
        }
        return new Outputs(history, user, scores, null, null, null, gLoss, null);
    }

    /** Step 0: the discriminator over its own variables; step 1: the generator over its own. */
    @Override
    protected List<Step> steps(Outputs training) {
        return List.of(new Step("d", dLoss, DIS + "_", disLr), new Step("g", gLoss, GEN + "_", genLr));
    }

    /** [B, L] item indices padded with numItems -> [B, numItems] 0/1 (duplicates counted once). */
    private Operand<TFloat32> multiHot(Ops tf, Operand<TInt32> history) {
        Operand<TInt32> shape = tf.shape(history);
        Operand<TInt32> rows = tf.math.mul(tf.expandDims(tf.range(tf.constant(0), tf.gather(shape, tf.constant(0), tf.constant(0)),
                tf.constant(1)), tf.constant(1)), tf.onesLike(history)); // [B, L] row index
        Operand<TInt32> safe = tf.math.minimum(tf.math.maximum(history, tf.constant(0)), tf.constant(numItems));
        Operand<TInt32> idx = tf.stack(List.of(rows, safe), org.tensorflow.op.core.Stack.axis(2L)); // [B, L, 2]
        Operand<TFloat32> ones = tf.dtypes.cast(tf.onesLike(history), TFloat32.class);
        Operand<TInt32> outShape = tf.concat(List.of(tf.slice(shape, tf.constant(new int[]{0}), tf.constant(new int[]{1})),
                tf.constant(new int[]{numItems + 1})), tf.constant(0));
        Operand<TFloat32> counts = tf.scatterNd(idx, ones, outShape);
        Operand<TFloat32> sliced = tf.slice(counts, tf.constant(new int[]{0, 0}), tf.constant(new int[]{-1, numItems}));
        return tf.math.minimum(sliced, tf.constant(1f));
    }

    private Operand<TFloat32> generatorLogits(GraphBuilder b, Operand<TFloat32> c, Operand<TFloat32> z) {
        Ops tf = b.tf();
        Operand<TFloat32> in = tf.concat(List.of(c, z), tf.constant(1));
        int[] widths = Arrays.copyOf(genHidden, genHidden.length + 1);
        widths[genHidden.length] = numItems;
        return b.mlp(GEN, in, numItems + noiseDim, widths, true);
    }

    private Operand<TFloat32> discriminatorLogit(GraphBuilder b, Operand<TFloat32> x, Operand<TFloat32> c) {
        Ops tf = b.tf();
        Operand<TFloat32> in = tf.concat(List.of(x, c), tf.constant(1));
        int[] widths = Arrays.copyOf(disHidden, disHidden.length + 1);
        widths[disHidden.length] = 1;
        return tf.reshape(b.mlp(DIS, in, 2 * numItems, widths, true), tf.constant(new int[]{-1}));
    }

    private static int[] trainingUsers(int[][] train) {
        return java.util.stream.IntStream.range(0, train.length).filter(u -> train[u].length > 0).toArray();
    }

    @Override
    protected long examplesPerEpoch(TrainingContext ctx) {
        return trainingUsers(ctx.split().train()).length;
    }

    /** Per batch of users: d_steps discriminator batches, then g_steps generator batches, each with fresh masks. */
    @Override
    protected Iterator<Batch> epoch(TrainingContext ctx, Random rng) {
        int[][] train = ctx.split().train();
        int[] order = trainingUsers(train);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int perChunk = dSteps + gSteps;
        int chunks = (order.length + batchSize - 1) / batchSize;
        return Batch.chunks(chunks * perChunk, 1, (next, n) -> {
            int chunk = next / perChunk;
            int k = next % perChunk;
            int[] users = Arrays.copyOfRange(order, chunk * batchSize, Math.min(order.length, (chunk + 1) * batchSize));
            Batch batch = batch(train, users, rng).forStep(k < dSteps ? 0 : 1);
            return k == 0 ? batch : batch.countingExamples(0); // a batch of users counts once
        });
    }

    /** One batch: histories, noise, fresh PM (observed + sampled unobserved) and ZR masks. */
    Batch batch(int[][] train, int[] users, Random rng) {
        int n = users.length;
        int[] hist = new int[n * historyLength];
        float[] noise = new float[n * noiseDim];
        float[] pm = new float[n * numItems];
        float[] zr = new float[n * numItems];
        BitSet seen = new BitSet(numItems);
        for (int i = 0; i < n; i++) {
            int[] h = train[users[i]];
            dev.penchant.tf.Sequences.fillHistory(h, h.length, historyLength, numItems, hist, i * historyLength);
            seen.clear();
            for (int x : h) if (x >= 0 && x < numItems) seen.set(x);
            int base = i * numItems;
            for (int j = 0; j < numItems; j++) {
                if (seen.get(j)) {
                    pm[base + j] = 1f;
                } else {
                    if (rng.nextFloat() < pmRatio) pm[base + j] = 1f;
                    if (rng.nextFloat() < zrRatio) zr[base + j] = 1f;
                }
            }
            for (int k = 0; k < noiseDim; k++) noise[i * noiseDim + k] = (float) rng.nextGaussian();
        }
        int[] u = users.clone();
        return new Batch(n).ints(historyIn, hist, n, historyLength).ints(userIn, u, n)
                .floats(noiseIn, noise, n, noiseDim).floats(pmMaskIn, pm, n, numItems).floats(zrMaskIn, zr, n, numItems);
    }

    /** Diversity of G(c_u, 0) over (at most 512 of) the training users: pairwise L1 and top-10 coverage. */
    @Override
    protected Map<String, Double> epochMetrics(TrainingContext ctx) {
        int[][] train = ctx.split().train();
        int[] users = trainingUsers(train);
        int n = Math.min(users.length, 512);
        int[] us = Arrays.copyOf(users, n);
        int[][] hs = new int[n][];
        for (int i = 0; i < n; i++) hs[i] = train[us[i]];
        return diversity(scorer().scoreAll(us, hs), hs, numItems);
    }

    static Map<String, Double> diversity(float[][] logits, int[][] histories, int numItems) {
        int n = logits.length;
        float[][] p = new float[n][numItems];
        BitSet covered = new BitSet(numItems);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < numItems; j++) p[i][j] = (float) (1 / (1 + Math.exp(-logits[i][j])));
            BitSet hist = new BitSet(numItems);
            for (int h : histories[i]) if (h >= 0 && h < numItems) hist.set(h);
            for (int t : top(logits[i], hist, 10)) covered.set(t);
        }
        double l1 = 0;
        long pairs = 0;
        // neighbours in a fixed order: enough pairs to see collapse, linear cost
        for (int i = 0; i < n; i++) {
            for (int d = 1; d <= 8 && i + d < n; d++) {
                float[] a = p[i], b = p[i + d];
                double s = 0;
                for (int j = 0; j < numItems; j++) s += Math.abs(a[j] - b[j]);
                l1 += s / numItems;
                pairs++;
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("gen_pairwise_l1", pairs == 0 ? 0 : l1 / pairs);
        m.put("gen_top10_coverage", numItems == 0 ? 0 : covered.cardinality() / (double) numItems);
        return m;
    }

    /** Top k items of s outside excluded, best first, ties by lower index. */
    static int[] top(float[] s, BitSet excluded, int k) {
        Integer[] idx = new Integer[s.length];
        int m = 0;
        for (int j = 0; j < s.length; j++) if (!excluded.get(j)) idx[m++] = j;
        Integer[] cand = Arrays.copyOf(idx, m);
        Arrays.sort(cand, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
        int[] out = new int[Math.min(k, m)];
        for (int i = 0; i < out.length; i++) out[i] = cand[i];
        return out;
    }

    // ---- test hooks ----

    /** One discriminator (true) or generator (false) update through the trainer; returns that side's loss. */
    double step(boolean discriminator, Batch batch) {
        return trainStep(batch.forStep(discriminator ? 0 : 1));
    }

    void prepareForTest(TrainingContext ctx) {
        prepare(ctx);
    }

    List<Variable<TFloat32>> generatorVariables() {
        return genVars;
    }

    List<Variable<TFloat32>> discriminatorVariables() {
        return disVars;
    }

    float[] read(Variable<TFloat32> v) {
        try (Result r = session().runner().fetch(v).run()) {
            TFloat32 t = (TFloat32) r.get(0);
            float[] out = new float[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }
}
