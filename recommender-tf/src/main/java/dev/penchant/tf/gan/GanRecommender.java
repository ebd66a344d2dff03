package dev.penchant.tf.gan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.BestWeights;
import dev.penchant.tf.Batch;
import dev.penchant.core.model.Exportable;
import dev.penchant.tf.GraphBuilder;
import dev.penchant.tf.ModelArtifact;
import dev.penchant.tf.Ops2;
import dev.penchant.tf.SessionScorer;
import dev.penchant.tf.TfRuntime;
import dev.penchant.core.model.TrainingStats;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jboss.logging.Logger;

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
 * <p>Training alternates d_steps (1) discriminator and g_steps (3) generator updates per batch, each with its
 * own Adam over its own variables only (Graph.addGradients on an explicit list; Optimizer.minimize
 * would differentiate against both nets). Per epoch the progress metrics carry d_loss, g_loss and the
 * diversity of generated vectors (gen_pairwise_l1: mean L1 distance between users' generated vectors
 * divided by numItems; gen_top10_coverage: distinct items in all users' top-10 / numItems) so mode
 * collapse shows. Early stopping on ctx.validator() NDCG@10 every validate_every (2) epochs, patience 12
 * validations, not before min_epochs (40), with the best weights kept.
 *
 * <p>Defaults (tuned on ML-100K leave-one-out validation): gen_hidden=256, dis_hidden=128, noise_dim=16,
 * batch_size=64 users, lr 0.001 for both (gen_lr, dis_lr), pm_ratio=0.5, zr_ratio=0.5, zr_weight=0.1,
 * epochs=200. g_steps=1 collapsed to popularity (top-10 coverage ~3%); g_steps=3 did not.
 *
 * <p>Scores are G's pre-sigmoid logits with z = 0 (same ranking as the sigmoid, without float ties
 * where the sigmoid saturates at 1.0).
 */
public final class GanRecommender implements Recommender, Exportable {
    private static final Logger LOG = Logger.getLogger(GanRecommender.class);
    static final String GEN = "gen";
    static final String DIS = "dis";

    private final Hyperparameters hp;
    // hyperparameters
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

    private Dataset dataset;
    private int numUsers;
    private int numItems;
    private long seed;
    private boolean deterministic;
    private int threads;

    private Graph graph;
    private Session session;
    private SessionScorer scorer;
    private final BestWeights bestWeights = new BestWeights();
    private TrainingStats stats;
    private final List<Map<String, Double>> epochLog = new ArrayList<>();

    // training graph handles
    private Placeholder<TInt32> historyIn;
    private Placeholder<TInt32> userIn;
    private Placeholder<TFloat32> noiseIn;
    private Placeholder<TFloat32> pmMaskIn;
    private Placeholder<TFloat32> zrMaskIn;
    private Operand<TFloat32> scores;
    private Operand<TFloat32> dLoss;
    private Operand<TFloat32> gLoss;
    private Op dTrain;
    private Op gTrain;
    private final List<Variable<TFloat32>> genVars = new ArrayList<>();
    private final List<Variable<TFloat32>> disVars = new ArrayList<>();

    public GanRecommender(Hyperparameters hp) {
        this.hp = hp;
    }

    @Override
    public String name() {
        return "gan";
    }

    @Override
    public void fit(TrainingContext ctx) {
        prepare(ctx);
        int maxEpochs = hp.getInt("epochs", 200);
        int patience = hp.getInt("patience", 12);
        // GAN training often passes through a collapsed phase before it recovers (seen on sparse data:
        // top-10 coverage ~2% for ~20 epochs), so early stopping only starts after min_epochs
        int minEpochs = hp.getInt("min_epochs", 40);
        int validateEvery = Math.max(1, hp.getInt("validate_every", 2));
        String metric = hp.getString("validate_metric", "NDCG@10");
        ProgressListener progress = ctx.progress() == null ? ProgressListener.NONE : ctx.progress();
        int[][] train = ctx.split().train();
        int[] users = java.util.stream.IntStream.range(0, numUsers).filter(u -> train[u].length > 0).toArray();

        long started = System.nanoTime();
        double best = Double.NEGATIVE_INFINITY;
        int bestEpoch = -1;
        double secondsToBest = 0;
        Map<String, Double> bestMetrics = Map.of();
        int sinceBest = 0;
        long examples = 0;
        double trainSeconds = 0;
        int epochsRun = 0;
        String device = null;
        for (int epoch = 1; epoch <= maxEpochs && !progress.cancelled(); epoch++) {
            Random rng = new Random(seed * 1_000_003L + epoch);
            int[] order = users.clone();
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            long t0 = System.nanoTime();
            double dSum = 0, gSum = 0;
            int dn = 0, gn = 0;
            for (int from = 0; from < order.length && !progress.cancelled(); from += batchSize) {
                int[] batchUsers = Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
                if (device == null) {
                    try (Batch b = batch(train, batchUsers, rng)) {
                        device = TfRuntime.traceDevice(b.feed(session.runner()).fetch(dLoss));
                        LOG.info("gan: TensorFlow ran on " + device);
                    }
                }
                for (int s = 0; s < dSteps; s++) {
                    dSum += step(true, batch(train, batchUsers, rng));
                    dn++;
                }
                for (int s = 0; s < gSteps; s++) {
                    gSum += step(false, batch(train, batchUsers, rng));
                    gn++;
                }
                examples += batchUsers.length;
                progress.step(epoch, Math.min(1.0, (from + batchUsers.length) / (double) order.length), gSum / Math.max(1, gn));
            }
            trainSeconds += (System.nanoTime() - t0) / 1e9;
            epochsRun = epoch;
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("d_loss", dSum / Math.max(1, dn));
            m.put("g_loss", gSum / Math.max(1, gn));
            m.putAll(diversity(train, users));
            boolean validate = ctx.validator() != null && (epoch % validateEvery == 0 || epoch == maxEpochs);
            if (validate) m.putAll(ctx.validator().apply(this));
            epochLog.add(Map.copyOf(m));
            progress.epochEnd(epoch, m.get("g_loss"), m);
            LOG.debugf("gan %s", m);
            if (!validate) continue;
            double value = m.getOrDefault(metric, Double.NaN);
            if (value > best) {
                best = value;
                bestEpoch = epoch;
                bestMetrics = m;
                secondsToBest = (System.nanoTime() - started) / 1e9;
                sinceBest = 0;
                bestWeights.save(session);
            } else if (++sinceBest >= patience && epoch >= minEpochs) {
                break;
            }
        }
        if (bestWeights.saved()) bestWeights.restore(session);
        stats = new TrainingStats(device == null ? "cpu" : device, epochsRun, bestEpoch, best, bestMetrics, examples,
                trainSeconds > 0 ? examples / trainSeconds : 0, secondsToBest, (System.nanoTime() - started) / 1e9);
        LOG.info("gan: " + stats);
    }

    /** Reads the hyperparameters and builds the training graph and session (no training). */
    void prepare(TrainingContext ctx) {
        close();
        epochLog.clear();
        dataset = ctx.dataset();
        numUsers = ctx.split().numUsers();
        numItems = ctx.split().numItems();
        seed = ctx.seed();
        genHidden = parseInts(hp.getString("gen_hidden", "256"));
        disHidden = parseInts(hp.getString("dis_hidden", "128"));
        noiseDim = hp.getInt("noise_dim", 16);
        batchSize = hp.getInt("batch_size", 64);
        dSteps = hp.getInt("d_steps", 1);
        gSteps = hp.getInt("g_steps", 3);
        pmRatio = (float) hp.getDouble("pm_ratio", 0.5);
        zrRatio = (float) hp.getDouble("zr_ratio", 0.5);
        zrWeight = (float) hp.getDouble("zr_weight", 0.1);
        genLr = (float) hp.getDouble("gen_lr", hp.getDouble("lr", 0.001));
        disLr = (float) hp.getDouble("dis_lr", hp.getDouble("lr", 0.001));
        deterministic = hp.getBoolean("deterministic", false);
        threads = hp.getInt("threads", 0);
        // c_u should see the whole history: default to the longest test-time history (train + validation)
        int longest = 1;
        for (int u = 0; u < numUsers; u++)
            longest = Math.max(longest, ctx.split().train()[u].length + ctx.split().validation()[u].length);
        historyLength = hp.getInt("history_length", Math.min(longest, 4096));

        graph = new Graph();
        GraphBuilder b = new GraphBuilder(graph, seed, true);
        build(b, true);
        for (Variable<TFloat32> v : b.denseVariables()) {
            String n = v.op().name();
            if (n.startsWith(GEN + "_")) genVars.add(v);
            else if (n.startsWith(DIS + "_")) disVars.add(v);
        }
        dTrain = adam(b, dLoss, disVars, DIS, disLr);
        gTrain = adam(b, gLoss, genVars, GEN, genLr);
        session = new Session(graph, TfRuntime.config(deterministic, threads));
        session.initialize();
        scorer = new SessionScorer(session, new SessionScorer.Names(historyIn.op().name(), userIn.op().name(),
                scores.op().name(), null, null, null), numUsers, numItems, historyLength);
    }

    /** Gradients over the given variables only, applied by an Adam of their own. */
    private static Op adam(GraphBuilder b, Operand<TFloat32> loss, List<Variable<TFloat32>> vars, String name, float lr) {
        Output<?>[] targets = new Output<?>[vars.size()];
        for (int i = 0; i < vars.size(); i++) targets[i] = vars.get(i).asOutput();
        Output<?>[] grads = b.graph().addGradients(loss.asOutput(), targets);
        // the variables are ref variables, read when a consumer runs: without this barrier an update
        // could land before the backward pass has read that weight (e.g. layer 2's weight for layer 1's
        // gradient), a race that made single-threaded runs differ
        Ops tf = b.tf();
        List<Op> barrier = new ArrayList<>();
        barrier.add(tf.identity(loss));
        for (Output<?> g : grads) if (g != null) barrier.add(tf.identity(g));
        Ops after = tf.withControlDependencies(barrier);
        List<Optimizer.GradAndVar<? extends TType>> gv = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            if (grads[i] == null) continue;
            @SuppressWarnings("unchecked") Output<TFloat32> g = (Output<TFloat32>) grads[i];
            gv.add(new Optimizer.GradAndVar<>(after.identity(g).asOutput(), vars.get(i).asOutput()));
        }
        return new Adam(b.graph(), name + "_adam", lr).applyGradients(gv, name + "_train");
    }

    /** Builds inputs, G (and in training D, losses); the same code builds the lean serving graph. */
    private void build(GraphBuilder b, boolean training) {
        Ops tf = b.tf();
        historyIn = b.intInput("in_history", -1, historyLength);
        userIn = b.intInput("in_user", -1); // unused: the model is user-free, kept for the shared signature
        Operand<TFloat32> c = multiHot(tf, historyIn);
        Operand<TInt32> batch = tf.slice(tf.shape(historyIn), tf.constant(new int[]{0}), tf.constant(new int[]{1}));
        Operand<TFloat32> zeros = tf.fill(tf.concat(List.of(batch, tf.constant(new int[]{noiseDim})), tf.constant(0)), tf.constant(0f));
        scores = tf.withName("scores").identity(generatorLogits(b, c, zeros));
        if (!training) return;
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

    /** One discriminator (true) or generator (false) update; returns that side's loss; closes the batch. */
    double step(boolean discriminator, Batch batch) {
        try (batch; Result r = batch.feed(session.runner()).addTarget(discriminator ? dTrain : gTrain)
                .fetch(discriminator ? dLoss : gLoss).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Diversity of G(c_u, 0) over (at most 512 of) the training users: pairwise L1 and top-10 coverage. */
    private Map<String, Double> diversity(int[][] train, int[] users) {
        int n = Math.min(users.length, 512);
        int[] us = Arrays.copyOf(users, n);
        int[][] hs = new int[n][];
        for (int i = 0; i < n; i++) hs[i] = train[us[i]];
        float[][] s = scorer.scoreAll(us, hs);
        return diversity(s, hs, numItems);
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

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        if (scorer == null) throw new IllegalStateException("gan is not trained");
        return scorer.scoreAll(users, histories);
    }

    /** Per-epoch d_loss, g_loss, diversity and (when validated) validation metrics. */
    public List<Map<String, Double>> epochLog() {
        return List.copyOf(epochLog);
    }

    public TrainingStats stats() {
        return stats;
    }

    @Override
    public String device() {
        return stats == null ? "cpu" : stats.device();
    }

    @Override
    public double examplesPerSecond() {
        return stats == null ? Double.NaN : stats.examplesPerSecond();
    }

    // ---- test hooks ----

    Session session() {
        return session;
    }

    List<Variable<TFloat32>> generatorVariables() {
        return genVars;
    }

    List<Variable<TFloat32>> discriminatorVariables() {
        return disVars;
    }

    float[] read(Variable<TFloat32> v) {
        try (Result r = session.runner().fetch(v).run()) {
            TFloat32 t = (TFloat32) r.get(0);
            float[] out = new float[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(out, false, false));
            return out;
        }
    }

    // ---- checkpoints and export ----

    /**
     * Lean serving artifact in the shared format (loadable by ExportedModel): only G, restored from the
     * best weights; signature "serving_default" history [batch, L] int32, user [batch] int32 (ignored)
     * -> scores [batch, numItems] (G's logits).
     */
    @Override
    public void export(Path dir, Map<String, Double> metrics) {
        if (scorer == null) throw new IllegalStateException("gan is not trained");
        if (!bestWeights.saved()) bestWeights.save(session);
        Placeholder<TInt32> h = historyIn;
        Placeholder<TInt32> u = userIn;
        Operand<TFloat32> sc = scores;
        try (Graph g = new Graph()) {
            build(new GraphBuilder(g, seed, false), false);
            try (Session s = new Session(g, TfRuntime.config(false, 0))) {
                bestWeights.restore(s);
                Files.createDirectories(dir);
                Signature sig = Signature.builder().key(Signature.DEFAULT_KEY)
                        .input("history", historyIn).input("user", userIn).output("scores", scores).build();
                SavedModelBundle.exporter(dir.toString()).withTags("serve").withSession(s).withSignature(sig).export();
                writeJson(dir, metrics);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } finally {
            historyIn = h;
            userIn = u;
            scores = sc;
        }
    }

    private void writeJson(Path dir, Map<String, Double> metrics) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", ModelArtifact.FORMAT);
        json.put("model", name());
        json.put("tensorflow", TensorFlow.version());
        json.put("numUsers", numUsers);
        json.put("numItems", numItems);
        json.put("historyLength", historyLength);
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("history", "item indices, oldest first, last historyLength items right-aligned, padded with numItems; "
                + "the graph turns them into the multi-hot c_u");
        pre.put("unknownUser", "ignored: the generator is conditioned on the history only");
        json.put("preprocessing", pre);
        json.put("hyperparameters", hp.used());
        json.put("metrics", metrics == null ? Map.of() : metrics);
        if (stats != null) json.put("training", stats);
        json.put("dataset", dataset.name());
        json.put("users", dataset.users().ids());
        json.put("items", dataset.items().ids());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(ModelArtifact.MODEL_JSON).toFile(), json);
    }

    @Override
    public void close() {
        if (session != null) session.close();
        if (graph != null) graph.close();
        session = null;
        graph = null;
        scorer = null;
        genVars.clear();
        disVars.clear();
        bestWeights.close();
    }

    static int[] parseInts(String s) {
        if (s == null || s.isBlank()) return new int[0];
        return Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }
}
