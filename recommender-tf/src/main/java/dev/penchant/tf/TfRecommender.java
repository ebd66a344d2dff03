package dev.penchant.tf;

import dev.penchant.core.model.TrainingStats;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jboss.logging.Logger;

/**
 * The one trainer of every TensorFlow model, RecBole style: a model contributes its graph ({@link #build},
 * the same code for the training and the lean serving graph), its optimiser steps ({@link #steps}: one
 * loss over every variable, or several, e.g. a GAN's discriminator and generator, each over its own
 * variables) and its batches ({@link #epoch}, each naming the step it feeds). The loop lives here once:
 * epochs fed by a background {@link BatchProducer}, validation with ctx.validator(), early stopping
 * (patience counted in validations without a relative gain of min_delta, not before min_epochs), the
 * best weights in a temporary checkpoint restored at the end, statistics, and the export of a lean
 * inference graph restored from those weights with its model.json ({@link ModelArtifact}).
 *
 * <p>The trainer's settings (epochs, patience, min_delta, min_epochs, validate_*, lr, batch_size,
 * deterministic, threads, profile) are declared once for every model in the core's catalogue.
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

    /**
     * One optimiser step: a loss minimised by its own Adam over the variables whose names start with
     * variablePrefix (null: every variable the loss depends on).
     *
     * @param name reported as NAME_loss in the epoch metrics when a model has several steps
     */
    public record Step(String name, Operand<TFloat32> loss, String variablePrefix, float learningRate) {
    }

    protected final Hyperparameters hp;
    protected Dataset dataset;
    protected int numUsers;
    protected int numItems;
    protected long seed;
    private Graph graph;
    private Session session;
    private SessionScorer scorer;
    private List<Step> steps = List.of();
    private List<Op> trainOps = List.of();
    private final BestWeights bestWeights = new BestWeights();
    private final List<Map<String, Double>> epochLog = new ArrayList<>();
    private TrainingStats stats;

    protected TfRecommender(Hyperparameters hp) {
        this.hp = hp;
    }

    /** Reads the model's hyperparameters (and what it takes from the data) before any graph is built. */
    protected abstract void configure(TrainingContext ctx);

    /** Builds the model into b; in training mode also the loss(es) and the model's training placeholders. */
    protected abstract Outputs build(GraphBuilder b, boolean training);

    /** The optimiser steps of a batch; by default one: the training graph's loss over all its variables. */
    protected List<Step> steps(Outputs training) {
        return List.of(new Step("loss", training.loss(), null, (float) hp.getDouble("lr")));
    }

    /** The batches of one epoch (called on the producer thread, with a per-epoch seeded random). */
    protected abstract Iterator<Batch> epoch(TrainingContext ctx, Random rng);

    /** Number of training examples per epoch, for examples/s and progress. */
    protected abstract long examplesPerEpoch(TrainingContext ctx);

    /** History length fed to the graph (1 for models that ignore history). */
    protected abstract int historyLength();

    /** Whether scores depend on the user index (a user embedding); unknown users get the graph's default. */
    protected abstract boolean usesUser();

    /** Whether scores depend on the history; a model that ignores it cannot personalise for an unknown user. */
    protected boolean usesHistory() {
        return true;
    }

    /** Extra per-epoch figures for the progress metrics and the epoch log (e.g. a GAN's diversity). */
    protected Map<String, Double> epochMetrics(TrainingContext ctx) {
        return Map.of();
    }

    /**
     * Configures the model and builds its training graph, steps and session, without training (the loop
     * calls it first; tests use it to drive single steps).
     */
    protected void prepare(TrainingContext ctx) {
        close();
        epochLog.clear();
        this.dataset = ctx.dataset();
        this.numUsers = ctx.split().numUsers();
        this.numItems = ctx.split().numItems();
        this.seed = ctx.seed();
        configure(ctx);
        graph = new Graph();
        GraphBuilder b = new GraphBuilder(graph, seed, true);
        Outputs out = build(b, true);
        steps = List.copyOf(steps(out));
        List<Op> ops = new ArrayList<>();
        for (Step st : steps) {
            ops.add(AdamTrainer.build(b, st.loss(), st.learningRate(), st.variablePrefix(),
                    steps.size() == 1 ? "" : st.name() + "_"));
        }
        trainOps = List.copyOf(ops);
        session = new Session(graph, TfRuntime.config(hp.getBoolean("deterministic"), hp.getInt("threads")));
        session.initialize();
        loadConstants(b, session);
        scorer = new SessionScorer(session, names(out), numUsers, numItems, historyLength(), variableWindow(), scoreRowsPerRun());
    }

    /** Runs the optimiser step the batch names; returns its loss; closes the batch. */
    protected double trainStep(Batch batch) {
        try (batch; Result r = batch.feed(session.runner()).addTarget(trainOps.get(batch.step()))
                .fetch(steps.get(batch.step()).loss()).run()) {
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    @Override
    public void fit(TrainingContext ctx) {
        prepare(ctx);
        int maxEpochs = hp.getInt("epochs");
        // relative gain that resets patience: on large data the validation metric creeps up by ~0.01%
        // an epoch for dozens of epochs, which would keep training long after it stopped paying
        double minDelta = hp.getDouble("min_delta");
        // models that pass through a collapsed phase before they recover (a GAN) do not stop before this
        int minEpochs = hp.getInt("min_epochs");
        String metric = hp.getString("validate_metric");
        boolean profile = hp.getBoolean("profile");
        // validate every epoch, but on small data sets only after enough steps to move: patience is
        // then counted in validations, so it means the same on 5k and 5M examples
        long perEpochExamples = Math.max(1, examplesPerEpoch(ctx));
        int validateEvery = hp.getInt("validate_every", (int) Math.max(1,
                Math.min(20, Math.ceil(hp.getInt("validate_min_examples") / (double) perEpochExamples))));
        // patience is counted in validations; the declared ones suit epochs of ~100k examples (ML-100K),
        // on larger epochs (300k examples of 30,000 users) ten validations without gain are millions of
        // examples: the default then ends after patience_examples' worth, at least 3 validations
        long examplesPerValidation = perEpochExamples * validateEvery;
        int patienceExamples = hp.getInt("patience_examples");
        int patience = hp.getInt("patience", declared -> (int) Math.max(Math.min(3, declared),
                Math.min(declared, patienceExamples / examplesPerValidation)));
        ProgressListener progress = ctx.progress() == null ? ProgressListener.NONE : ctx.progress();

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
        int last = steps.size() - 1;
        for (int epoch = 1; epoch <= maxEpochs && !progress.cancelled(); epoch++) {
            Random rng = new Random(seed * 1_000_003L + epoch);
            double[] lossSum = new double[steps.size()];
            long[] lossWeight = new long[steps.size()];
            long seen = 0;
            int batches = 0;
            long t0 = System.nanoTime();
            double c0 = TfRuntime.processCpuSeconds();
            try (BatchProducer producer = new BatchProducer(epoch(ctx, rng), 8)) {
                while (producer.hasNext() && !progress.cancelled()) {
                    Batch batch = producer.next();
                    int step = batch.step();
                    if (device == null) {
                        device = TfRuntime.traceDevice(batch.feed(session.runner()).fetch(steps.get(step).loss()));
                        LOG.infof("%s: TensorFlow ran on %s", name(), device);
                    }
                    if (profile && batches == 20 && epoch == 1) {
                        LOG.infof("%s step profile: %s", name(), TfRuntime.profile(batch.feed(session.runner())
                                .addTarget(trainOps.get(step)).fetch(steps.get(step).loss()), 15));
                    }
                    int size = batch.size();
                    int counted = batch.examples();
                    long s0 = System.nanoTime();
                    double loss = trainStep(batch);
                    if (warmupSeconds < 0) {
                        // the first run optimises the graph (Grappler) and allocates: not throughput
                        warmupSeconds = (System.nanoTime() - s0) / 1e9;
                        warmupExamples = counted;
                    }
                    lossSum[step] += loss * size;
                    lossWeight[step] += size;
                    seen += counted;
                    if (++batches % 50 == 0)
                        progress.step(epoch, Math.min(1.0, seen / (double) perEpochExamples), lossSum[last] / Math.max(1, lossWeight[last]));
                }
            }
            trainSeconds += (System.nanoTime() - t0) / 1e9;
            trainCpuSeconds += TfRuntime.processCpuSeconds() - c0;
            examples += seen;
            epochsRun = epoch;
            double meanLoss = lossWeight[last] == 0 ? 0 : lossSum[last] / lossWeight[last];
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (steps.size() > 1)
                for (int i = 0; i < steps.size(); i++) metrics.put(steps.get(i).name() + "_loss", lossWeight[i] == 0 ? 0 : lossSum[i] / lossWeight[i]);
            metrics.putAll(epochMetrics(ctx));
            boolean validate = ctx.validator() != null && (epoch % validateEvery == 0 || epoch == maxEpochs);
            if (validate) metrics.putAll(ctx.validator().apply(this));
            epochLog.add(Map.copyOf(metrics));
            progress.epochEnd(epoch, meanLoss, metrics);
            LOG.debugf("%s epoch %d loss=%f %s", name(), epoch, meanLoss, metrics);
            if (!validate) continue;
            double value = metrics.getOrDefault(metric, Double.NaN);
            if (Double.isNaN(value)) {
                // nothing to validate on (e.g. no held-out users): train to the epoch limit
                LOG.warnf("%s: validator returned no %s; early stopping is off", name(), metric);
                continue;
            }
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
            } else if (++sinceBest >= patience && epoch >= minEpochs) {
                break;
            }
        }
        if (bestWeights.saved()) bestWeights.restore(session);
        double measured = trainSeconds - Math.max(0, warmupSeconds);
        double eps = measured > 0 ? (examples - warmupExamples) / measured : 0;
        double perCpu = trainCpuSeconds > 0 ? examples / trainCpuSeconds : 0;
        stats = new TrainingStats(device == null ? "cpu" : device, epochsRun, bestEpoch, best, bestMetrics, examples,
                eps, perCpu, secondsToBest, (System.nanoTime() - started) / 1e9);
        LOG.infof("%s: %s", name(), stats);
    }

    /** Per-epoch step losses (models with several steps), model figures and validation metrics. */
    public List<Map<String, Double>> epochLog() {
        return List.copyOf(epochLog);
    }

    /** The live training session (restored to the best weights after fit), for model-specific fetches. */
    protected Session session() {
        return session;
    }

    /** The training session's scorer (for per-epoch figures computed from scores). */
    protected SessionScorer scorer() {
        return scorer;
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
    public void export(Path dir, Map<String, Double> metrics, HistoryRules history) {
        requireTrained();
        if (!bestWeights.saved()) bestWeights.save(session);
        try (Graph g = new Graph()) {
            GraphBuilder b = new GraphBuilder(g, seed, false);
            Outputs out = build(b, false);
            try (Session s = new Session(g, TfRuntime.config(false, 0))) {
                bestWeights.restore(s);
                ModelArtifact.write(dir, s, out, this, metrics, history);
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
        // what the model can personalise from: the inference node answers others with a labelled fallback
        m.put("inputs", Map.of("user", usesUser(), "history", usesHistory()));
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
        steps = List.of();
        trainOps = List.of();
        bestWeights.close();
    }
}
