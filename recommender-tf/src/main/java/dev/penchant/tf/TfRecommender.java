package dev.penchant.tf;

import dev.penchant.core.model.TrainingStats;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * Shared training machinery for the TensorFlow models: builds the training graph, runs epochs fed by a
 * background {@link BatchProducer}, validates after each epoch with ctx.validator() (NDCG@10), keeps
 * the best weights in a temporary checkpoint and restores them at the end (early stopping with
 * patience), and exports a lean inference graph restored from those weights.
 *
 * Common hyperparameters: epochs (max), patience, min_delta, lr, batch_size, deterministic
 * (single-threaded TF, bit-reproducible on CPU), threads, validate_metric.
 */
public abstract class TfRecommender implements Recommender, Exportable {
    private static final Logger LOG = Logger.getLogger(TfRecommender.class);

    /**
     * What a model's graph exposes; null entries are absent (e.g. no loss in inference mode).
     * itemVectors: [numItems, d] item representations that depend on variables only (for similar-item
     * lookups in serving), or null.
     */
    public record Outputs(Placeholder<TInt32> history, Placeholder<TInt32> user, Operand<TFloat32> scores,
                          Placeholder<TInt32> item, Operand<TFloat32> like, Operand<TFloat32> rating,
                          Operand<TFloat32> loss, Operand<TFloat32> itemVectors,
                          Operand<TFloat32> attention, Placeholder<TInt32> attentionItems) {
        public Outputs(Placeholder<TInt32> history, Placeholder<TInt32> user, Operand<TFloat32> scores,
                       Placeholder<TInt32> item, Operand<TFloat32> like, Operand<TFloat32> rating,
                       Operand<TFloat32> loss, Operand<TFloat32> itemVectors) {
            this(history, user, scores, item, like, rating, loss, itemVectors, null, null);
        }

        /** The same outputs plus attention over the history (see SessionScorer.Names). */
        public Outputs withAttention(Operand<TFloat32> weights, Placeholder<TInt32> items) {
            return new Outputs(history, user, scores, item, like, rating, loss, itemVectors, weights, items);
        }
    }

    protected final Hyperparameters hp;
    protected Dataset dataset;
    protected int numUsers;
    protected int numItems;
    protected long seed;
    private Graph graph;
    private Session session;
    private SessionScorer scorer;
    private final BestWeights bestWeights = new BestWeights();
    private TrainingStats stats;

    protected TfRecommender(Hyperparameters hp) {
        this.hp = hp;
    }

    /** Builds the model into b; in training mode also the loss and the model's training placeholders. */
    protected abstract Outputs build(GraphBuilder b, boolean training);

    /** The batches of one epoch (called on the producer thread, with a per-epoch seeded random). */
    protected abstract Iterator<Batch> epoch(TrainingContext ctx, Random rng);

    /** Number of training examples per epoch, for examples/s. */
    protected abstract long examplesPerEpoch(TrainingContext ctx);

    /** History length fed to the graph (1 for models that ignore history). */
    protected abstract int historyLength();

    @Override
    public void fit(TrainingContext ctx) {
        close();
        this.dataset = ctx.dataset();
        this.numUsers = ctx.split().numUsers();
        this.numItems = ctx.split().numItems();
        this.seed = ctx.seed();
        int maxEpochs = hp.getInt("epochs", defaultEpochs());
        int patience = hp.getInt("patience", defaultPatience());
        // relative gain that resets patience: on large data the validation metric creeps up by ~0.01%
        // an epoch for dozens of epochs, which would keep training long after it stopped paying
        double minDelta = hp.getDouble("min_delta", 0.001);
        float lr = (float) hp.getDouble("lr", defaultLearningRate());
        boolean deterministic = hp.getBoolean("deterministic", false);
        int threads = hp.getInt("threads", 0);
        String metric = hp.getString("validate_metric", "NDCG@10");
        boolean profile = hp.getBoolean("profile", false);
        // validate every epoch, but on small data sets only after enough steps to move: patience is
        // then counted in validations, so it means the same on 5k and 5M examples
        long perEpochExamples = Math.max(1, examplesPerEpoch(ctx));
        int validateEvery = hp.getInt("validate_every", (int) Math.max(1,
                Math.min(20, Math.ceil(hp.getInt("validate_min_examples", 50_000) / (double) perEpochExamples))));
        ProgressListener progress = ctx.progress() == null ? ProgressListener.NONE : ctx.progress();

        graph = new Graph();
        GraphBuilder b = new GraphBuilder(graph, seed, true);
        Outputs out = build(b, true);
        Op train = AdamTrainer.build(b, out.loss(), lr);
        session = new Session(graph, TfRuntime.config(deterministic, threads));
        session.initialize();
        loadConstants(b, session);
        scorer = new SessionScorer(session, names(out), numUsers, numItems, historyLength(), variableWindow(), scoreRowsPerRun());

        long started = System.nanoTime();
        double best = Double.NEGATIVE_INFINITY;
        double patienceBest = Double.NEGATIVE_INFINITY; // the last value that beat the one before by min_delta
        int bestEpoch = -1;
        double secondsToBest = 0;
        long examples = 0;
        double trainSeconds = 0;
        int sinceBest = 0;
        String device = null;
        Map<String, Double> bestMetrics = Map.of();
        int epochsRun = 0;
        double warmupSeconds = -1;
        double trainCpuSeconds = 0;
        long warmupExamples = 0;
        for (int epoch = 1; epoch <= maxEpochs && !progress.cancelled(); epoch++) {
            Random rng = new Random(seed * 1_000_003L + epoch);
            long perEpoch = perEpochExamples;
            double lossSum = 0;
            long seen = 0;
            int steps = 0;
            long t0 = System.nanoTime();
            double c0 = TfRuntime.processCpuSeconds();
            try (BatchProducer batches = new BatchProducer(epoch(ctx, rng), 8)) {
                while (batches.hasNext() && !progress.cancelled()) {
                    try (Batch batch = batches.next()) {
                        Session.Runner runner = batch.feed(session.runner()).addTarget(train).fetch(out.loss());
                        if (device == null) {
                            device = TfRuntime.traceDevice(batch.feed(session.runner()).fetch(out.loss()));
                            LOG.info(name() + ": TensorFlow ran on " + device);
                        }
                        long s0 = System.nanoTime();
                        try (Result r = runner.run()) {
                            lossSum += ((TFloat32) r.get(0)).getFloat() * batch.size();
                        }
                        if (profile && steps == 20 && epoch == 1) {
                            LOG.info(name() + " step profile: " + TfRuntime.profile(batch.feed(session.runner()).addTarget(train).fetch(out.loss()), 15));
                        }
                        if (warmupSeconds < 0) {
                            // the first run optimises the graph (Grappler) and allocates: not throughput
                            warmupSeconds = (System.nanoTime() - s0) / 1e9;
                            warmupExamples = batch.size();
                        }
                        seen += batch.size();
                        if (++steps % 50 == 0) progress.step(epoch, Math.min(1.0, seen / (double) perEpoch), lossSum / seen);
                    }
                }
            }
            trainSeconds += (System.nanoTime() - t0) / 1e9;
            trainCpuSeconds += TfRuntime.processCpuSeconds() - c0;
            examples += seen;
            epochsRun = epoch;
            double meanLoss = seen == 0 ? 0 : lossSum / seen;
            if (ctx.validator() == null || (epoch % validateEvery != 0 && epoch != maxEpochs)) {
                progress.epochEnd(epoch, meanLoss, Map.of());
                continue;
            }
            Map<String, Double> metrics = ctx.validator().apply(this);
            progress.epochEnd(epoch, meanLoss, metrics);
            double value = metrics.getOrDefault(metric, Double.NaN);
            LOG.debugf("%s epoch %d loss=%f %s", name(), epoch, meanLoss, metrics);
            if (Double.isNaN(value)) {
                // nothing to validate on (e.g. no held-out users): train to the epoch limit
                LOG.warn(name() + ": validator returned no " + metric + "; early stopping is off");
            } else {
                if (value > best) { // the best weights are kept whatever the gain
                    best = value;
                    bestEpoch = epoch;
                    bestMetrics = metrics;
                    secondsToBest = (System.nanoTime() - started) / 1e9;
                    bestWeights.save(session);
                }
                if (value > patienceBest + minDelta * Math.abs(patienceBest) || patienceBest == Double.NEGATIVE_INFINITY) {
                    patienceBest = value;
                    sinceBest = 0;
                } else if (++sinceBest >= patience) {
                    break;
                }
            }
        }
        if (bestWeights.saved()) bestWeights.restore(session);
        double measured = trainSeconds - Math.max(0, warmupSeconds);
        double eps = measured > 0 ? (examples - warmupExamples) / measured : 0;
        double perCpu = trainCpuSeconds > 0 ? examples / trainCpuSeconds : 0;
        stats = new TrainingStats(device == null ? "cpu" : device, epochsRun, bestEpoch, best, bestMetrics, examples,
                eps, perCpu, secondsToBest, (System.nanoTime() - started) / 1e9);
        LOG.info(name() + ": " + stats);
    }

    protected int defaultEpochs() {
        return 100;
    }

    /** Validations without improvement before stopping; models with noisy, cheap epochs raise it. */
    protected int defaultPatience() {
        return 5;
    }

    /** The live training session (restored to the best weights after fit), for model-specific fetches. */
    protected Session session() {
        return session;
    }

    protected float defaultLearningRate() {
        return 0.001f;
    }

    public TrainingStats stats() {
        return stats;
    }

    @Override
    public double examplesPerSecond() {
        return stats == null ? Double.NaN : stats.examplesPerSecond();
    }

    @Override
    public String device() {
        return stats == null ? "cpu" : stats.device();
    }

    private static SessionScorer.Names names(Outputs o) {
        return new SessionScorer.Names(o.history().op().name(), o.user().op().name(), o.scores().op().name(),
                o.item() == null ? null : o.item().op().name(), o.like() == null ? null : o.like().op().name(),
                o.rating() == null ? null : o.rating().op().name(),
                o.attention() == null ? null : o.attention().op().name(),
                o.attentionItems() == null ? null : o.attentionItems().op().name());
    }

    /** Attention attributions for attention models (they implement Explainer with this). */
    protected List<dev.penchant.core.model.Explainer.Attribution> attributions(int user, int[] history, int item) {
        requireTrained();
        if (history.length == 0) return List.of();
        float[] w = scorer.attention(user, history, item);
        return w == null ? List.of() : dev.penchant.core.model.Explainer.fromWindow(history, w);
    }

    private static void loadConstants(GraphBuilder b, Session s) {
        for (Map.Entry<String, float[][]> e : b.constantValues().entrySet()) {
            float[][] m = e.getValue();
            int width = m.length == 0 ? 0 : m[0].length;
            float[] flat = new float[m.length * width];
            for (int i = 0; i < m.length; i++) System.arraycopy(m[i], 0, flat, i * width, width);
            try (TFloat32 t = TFloat32.tensorOf(Shape.of(m.length, width), DataBuffers.of(flat, true, false))) {
                s.runner().feed(e.getKey() + "_feed", t).addTarget(e.getKey() + "_load").run().close();
            }
        }
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        requireTrained();
        return scorer.scoreAll(users, histories);
    }

    /** For subclasses with point-wise heads (they implement PointwisePredictor). */
    public float[] predictLike(int[] users, int[][] histories, int[] items) {
        requireTrained();
        return scorer.predictLike(users, histories, items);
    }

    /** For subclasses with point-wise heads (they implement PointwisePredictor). */
    public float[] predictRating(int[] users, int[][] histories, int[] items) {
        requireTrained();
        return scorer.predictRating(users, histories, items);
    }

    private void requireTrained() {
        if (scorer == null) throw new IllegalStateException(name() + " is not trained");
    }

    /**
     * Exports a lean inference-only graph (same builder, training = false) restored from the best
     * weights as a SavedModel (tag "serve", signatures "serving_default" and "pointwise"), plus
     * model.json with vocabularies, preprocessing, hyperparameters and metrics.
     */
    @Override
    public void export(Path dir, Map<String, Double> metrics) {
        requireTrained();
        if (!bestWeights.saved()) bestWeights.save(session);
        try (Graph g = new Graph()) {
            GraphBuilder b = new GraphBuilder(g, seed, false);
            Outputs out = build(b, false);
            try (Session s = new Session(g, TfRuntime.config(false, 0))) {
                bestWeights.restore(s);
                ModelArtifact.write(dir, s, out, this, metrics);
            }
        }
    }

    /**
     * Most users scored in one session run (training-time validation and the exported model alike):
     * models whose scoring tensors grow with users x items x history (DIN) lower it to bound memory.
     */
    protected int scoreRowsPerRun() {
        return SessionScorer.DEFAULT_ROWS_PER_RUN;
    }

    /** Whether the graph takes history windows shorter than historyLength() (see SessionScorer). */
    protected boolean variableWindow() {
        return false;
    }

    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("numUsers", numUsers);
        m.put("numItems", numItems);
        m.put("historyLength", historyLength());
        m.put("variableWindow", variableWindow());
        m.put("scoreRowsPerRun", scoreRowsPerRun());
        return m;
    }

    Dataset dataset() {
        return dataset;
    }

    Hyperparameters hyperparameters() {
        return hp;
    }

    @Override
    public void close() {
        if (session != null) session.close();
        if (graph != null) graph.close();
        session = null;
        graph = null;
        scorer = null;
        bestWeights.close();
    }
}
