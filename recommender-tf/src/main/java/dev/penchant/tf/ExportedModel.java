package dev.penchant.tf;

import dev.penchant.core.artifact.ServableModel;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Explainer;
import dev.penchant.core.model.PointwisePredictor;
import dev.penchant.core.model.Scorer;
import dev.penchant.core.preprocess.HistoryEncoder;
import dev.penchant.core.preprocess.HistoryRules;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.proto.SignatureDef;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A model exported by {@link TfRecommender#export}: opens the SavedModel and model.json, needs no
 * training code, and scores through the same {@link SessionScorer} as training. Thread-safe; close it
 * to free the native session.
 */
public final class ExportedModel implements Scorer, PointwisePredictor, Explainer, ServableModel {
    private final SavedModelBundle bundle;
    private final SessionScorer scorer;
    private final Map<String, Object> meta;
    private final Vocabulary users;
    private final Vocabulary items;
    private final HistoryRules history;
    private final int historyLength;
    private final boolean usesUser;
    private final boolean usesHistory;

    @SuppressWarnings("unchecked")
    private ExportedModel(SavedModelBundle bundle, SessionScorer scorer, Map<String, Object> meta,
                          Vocabulary users, Vocabulary items) {
        this.bundle = bundle;
        this.scorer = scorer;
        this.meta = meta;
        this.users = users;
        this.items = items;
        this.history = HistoryRules.fromMap((Map<String, Object>) meta.get("preprocessing"));
        this.historyLength = ((Number) meta.get("historyLength")).intValue();
        Map<String, Object> inputs = (Map<String, Object>) meta.getOrDefault("inputs", Map.of());
        this.usesUser = !Boolean.FALSE.equals(inputs.get("user"));
        this.usesHistory = !Boolean.FALSE.equals(inputs.get("history"));
    }

    @SuppressWarnings("unchecked")
    public static ExportedModel open(Path dir) {
        Map<String, Object> meta;
        try {
            meta = ModelArtifact.JSON.readValue(dir.resolve(ModelArtifact.MODEL_JSON).toFile(), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!ModelArtifact.FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException("not a penchant TF model: " + dir);
        }
        SavedModelBundle bundle = SavedModelBundle.loader(dir.toString()).withTags("serve")
                .withConfigProto(TfRuntime.config(false, 0)).load();
        try {
            Map<String, SignatureDef> sigs = bundle.metaGraphDef().getSignatureDefMap();
            SignatureDef main = sigs.get("serving_default");
            SignatureDef pw = sigs.get("pointwise");
            SignatureDef ex = sigs.get(ModelArtifact.EXPLAIN);
            SessionScorer.Names names = new SessionScorer.Names(
                    main.getInputsMap().get("history").getName(), main.getInputsMap().get("user").getName(),
                    main.getOutputsMap().get("scores").getName(),
                    pw == null ? null : pw.getInputsMap().get("item").getName(),
                    pw == null ? null : pw.getOutputsMap().get("like").getName(),
                    pw == null ? null : pw.getOutputsMap().get("rating").getName(),
                    ex == null ? null : ex.getOutputsMap().get("attention").getName(),
                    ex == null || !ex.getInputsMap().containsKey("items") ? null : ex.getInputsMap().get("items").getName());
            int numUsers = ((Number) meta.get("numUsers")).intValue();
            int numItems = ((Number) meta.get("numItems")).intValue();
            int length = ((Number) meta.get("historyLength")).intValue();
            SessionScorer scorer = new SessionScorer(bundle.session(), names, numUsers, numItems, length,
                    Boolean.TRUE.equals(meta.get("variableWindow")),
                    meta.get("scoreRowsPerRun") instanceof Number r ? r.intValue() : SessionScorer.DEFAULT_ROWS_PER_RUN);
            return new ExportedModel(bundle, scorer, meta, Vocabulary.of((List<String>) meta.get("users")),
                    Vocabulary.of((List<String>) meta.get("items")));
        } catch (RuntimeException e) {
            bundle.close();
            throw e;
        }
    }

    public String modelName() {
        return (String) meta.get("model");
    }

    /** Everything in model.json (hyperparameters, metrics, preprocessing, ...). */
    public Map<String, Object> metadata() {
        return meta;
    }

    public Vocabulary users() {
        return users;
    }

    public Vocabulary items() {
        return items;
    }

    public int numItems() {
        return scorer.numItems();
    }

    /** History items the model reads (the newest). */
    public int historyLength() {
        return historyLength;
    }

    /** How the training histories were built (model.json "preprocessing"). */
    public HistoryRules historyRules() {
        return history;
    }

    /**
     * Builds a user's history from raw events as training did: the recorded rules, this model's
     * vocabulary and window.
     *
     * @param inItemTable whether an item is in the platform's item table (null: unknown)
     */
    @Override
    public HistoryEncoder historyEncoder(Predicate<String> inItemTable) {
        return new HistoryEncoder(history, items, historyLength, inItemTable);
    }

    /** Whether scores depend on the user (a user embedding). */
    public boolean usesUser() {
        return usesUser;
    }

    /** Whether scores depend on the history (NeuMF's do not). */
    public boolean usesHistory() {
        return usesHistory;
    }

    /**
     * Whether the model can personalise for this user: a known user for a model with user embeddings,
     * or known history items for a model that reads the history. Otherwise its list would be the same
     * as for nobody, and the caller should answer with a labelled fallback.
     */
    public boolean canPersonalise(int user, HistoryEncoder.Encoded history) {
        return (usesUser && user >= 0 && user < users.size()) || (usesHistory && history.known() > 0);
    }

    /**
     * The model's item representations [numItems][d] (DNN: embedding + projected side features; NeuMF:
     * GMF item embeddings), e.g. for similar-item lookups; null when the model has none.
     */
    public float[][] itemEmbeddings() {
        Object name = meta.get("itemVectors");
        if (name == null) return null;
        try (Result r = bundle.session().runner().fetch((String) name).run()) {
            TFloat32 t = (TFloat32) r.get(0);
            int n = (int) t.shape().get(0), dim = (int) t.shape().get(1);
            float[] flat = new float[n * dim];
            t.copyTo(DataBuffers.of(flat, false, false));
            float[][] out = new float[n][dim];
            for (int i = 0; i < n; i++) System.arraycopy(flat, i * dim, out[i], 0, dim);
            return out;
        }
    }

    /** Whether the model has attention over the history (SASRec, DIN), i.e. explain returns attributions. */
    public boolean explains() {
        return scorer.hasAttention();
    }

    /** Attention attributions over the history for one scored item; empty for models without attention. */
    @Override
    public List<Attribution> explain(int user, int[] history, int item) {
        return explainAll(user, history, new int[]{item}).get(0);
    }

    /** One session run for all the items (target attention feeds them as candidates together). */
    @Override
    public List<List<Attribution>> explainAll(int user, int[] history, int[] items) {
        float[][] w = history.length == 0 ? null : scorer.attention(user, history, items);
        List<List<Attribution>> out = new java.util.ArrayList<>(items.length);
        for (int i = 0; i < items.length; i++) out.add(w == null ? List.of() : Explainer.fromWindow(history, w[i]));
        return out;
    }

    /** Whether attention is the same for every item (self-attention): {@link #scoreWithAttention} returns it. */
    public boolean sharedAttention() {
        return scorer.sharedAttention();
    }

    /** Scores and, for self-attention models, the attention windows (for {@link Explainer#fromWindow}) of one run. */
    public SessionScorer.Scored scoreWithAttention(int[] users, int[][] histories) {
        return scorer.scoreWithAttention(users, histories);
    }

    @Override
    public ServableModel.Scored score(int[] users, int[][] histories) {
        SessionScorer.Scored s = scorer.scoreWithAttention(users, histories);
        return new ServableModel.Scored(s.scores(), s.attention());
    }

    public boolean hasPointwise() {
        return scorer.hasPointwise();
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        return scorer.scoreAll(users, histories);
    }

    @Override
    public float[] predictLike(int[] users, int[][] histories, int[] items) {
        return scorer.predictLike(users, histories, items);
    }

    @Override
    public float[] predictRating(int[] users, int[][] histories, int[] items) {
        return scorer.predictRating(users, histories, items);
    }

    @Override
    public void close() {
        bundle.close();
    }
}
