package dev.penchant.tf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.preprocess.HistoryRules;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.TensorFlow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a serving artifact: a SavedModel (tag "serve") and model.json beside it in the same
 * directory. Signatures: "serving_default" (history [batch, L] int32, user [batch] int32 ->
 * scores [batch, numItems]), for models with point-wise heads "pointwise" (+ item [batch] ->
 * like, rating), and for attention models "explain" (attention weights over the history window). {@link ExportedModel} loads it without any training code.
 */
public final class ModelArtifact {
    public static final String FORMAT = "penchant-tf/1";
    public static final String MODEL_JSON = "model.json";
    /** Signature of attention models: history, user (and items [batch, C] for target attention) -> attention. */
    public static final String EXPLAIN = "explain";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelArtifact() {
    }

    static void write(Path dir, Session s, TfRecommender.Outputs out, TfRecommender model, Map<String, Double> metrics,
                      HistoryRules history) {
        try {
            Files.createDirectories(dir);
            Signature scores = Signature.builder().key(Signature.DEFAULT_KEY)
                    .input("history", out.history()).input("user", out.user()).output("scores", out.scores()).build();
            List<Signature> signatures = new ArrayList<>(List.of(scores));
            if (out.like() != null) {
                signatures.add(Signature.builder().key("pointwise")
                        .input("history", out.history()).input("user", out.user()).input("item", out.item())
                        .output("like", out.like()).output("rating", out.rating()).build());
            }
            if (out.attention() != null) {
                Signature.Builder explain = Signature.builder().key(EXPLAIN)
                        .input("history", out.history()).input("user", out.user()).output("attention", out.attention());
                if (out.attentionItems() != null) explain.input("items", out.attentionItems());
                signatures.add(explain.build());
            }
            SavedModelBundle.exporter(dir.toString()).withTags("serve").withSession(s)
                    .withSignatures(signatures.toArray(new Signature[0])).export();

            Dataset d = model.dataset();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format", FORMAT);
            json.put("model", model.name());
            json.put("tensorflow", TensorFlow.version());
            json.putAll(model.describe());
            if (out.itemVectors() != null) json.put("itemVectors", out.itemVectors().op().name());
            // how the training histories were built: the inference node rebuilds each request's history this way
            Map<String, Object> pre = new LinkedHashMap<>(history.toMap());
            pre.put("window", model.historyLength());
            pre.put("layout", "item indices, oldest first, last window items right-aligned, padded with numItems "
                    + "(an unknown item, index -1, is padding in place)");
            pre.put("unknownUser", "user index numUsers (or any out-of-range index)");
            pre.put("userFeatures", d.userFeatures() == null ? List.of() : d.userFeatures().names());
            pre.put("itemFeatures", d.itemFeatures() == null ? List.of() : d.itemFeatures().names());
            pre.put("featuresBakedIn", "side features are stored in the graph per user/item index");
            json.put("preprocessing", pre);
            json.put("hyperparameters", model.hyperparameters().used());
            json.put("metrics", metrics == null ? Map.of() : metrics);
            if (model.stats() != null) json.put("training", model.stats());
            json.put("dataset", d.name());
            json.put("users", d.users().ids());
            json.put("items", d.items().ids());
            JSON.writeValue(dir.resolve(MODEL_JSON).toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
