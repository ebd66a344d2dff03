package dev.penchant.core.baselines;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.penchant.core.artifact.ArtifactFormat;
import dev.penchant.core.artifact.ArtifactFormats;
import dev.penchant.core.artifact.ServableModel;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.preprocess.HistoryEncoder;
import dev.penchant.core.preprocess.HistoryRules;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baselines' artifact format "penchant-baseline/1": model.json (format, model, users, items,
 * historyLength, preprocessing, metrics) and state.bin, the fitted counts in DataOutput form. Served
 * through the same {@link ServableModel} interface as TensorFlow models, scoring with the very code
 * the offline evaluator scores with, so a control arm can be "popularity" or "seqknn".
 */
public final class BaselineArtifact implements ArtifactFormat {
    public static final String FORMAT = "penchant-baseline/1";
    static final String STATE = "state.bin";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A fitted baseline's state, written by export and read back by the format. */
    interface State {
        void write(DataOutputStream out) throws IOException;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    static void write(Path dir, String model, Dataset d, int historyLength, HistoryRules history,
                      Map<String, Double> metrics, State state) {
        if (d == null) throw new IllegalStateException(model + " is not fitted");
        try {
            Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("format", FORMAT);
            json.put("model", model);
            json.put("historyLength", historyLength);
            Map<String, Object> pre = new LinkedHashMap<>(history.toMap());
            pre.put("window", historyLength);
            json.put("preprocessing", pre);
            json.put("metrics", metrics == null ? Map.of() : metrics);
            json.put("dataset", d.name());
            json.put("users", d.users().ids());
            json.put("items", d.items().ids());
            JSON.writeValue(dir.resolve(ArtifactFormats.MODEL_JSON).toFile(), json);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(dir.resolve(STATE))))) {
                state.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public ServableModel open(Path dir) {
        try {
            Map<String, Object> meta = JSON.readValue(dir.resolve(ArtifactFormats.MODEL_JSON).toFile(), Map.class);
            if (!FORMAT.equals(meta.get("format"))) throw new IllegalArgumentException("not a " + FORMAT + " archive: " + dir);
            String model = (String) meta.get("model");
            Recommender r;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(dir.resolve(STATE))))) {
                r = switch (model) {
                    case "popularity" -> PopularityRecommender.read(in);
                    case "transition" -> TransitionRecommender.read(in);
                    case "seqknn" -> SeqKnnRecommender.read(in);
                    default -> throw new IllegalArgumentException("unknown baseline '" + model + "' in " + dir);
                };
            }
            return new Served(r, Vocabulary.of((List<String>) meta.get("users")), Vocabulary.of((List<String>) meta.get("items")),
                    ((Number) meta.get("historyLength")).intValue(),
                    HistoryRules.fromMap((Map<String, Object>) meta.get("preprocessing")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loaded baseline: the recommender's own scoreAll, users ignored. */
    private record Served(Recommender model, Vocabulary users, Vocabulary items, int historyLength, HistoryRules historyRules)
            implements ServableModel {
        @Override
        public int numItems() {
            return items.size();
        }

        /** Popularity answers everyone alike by design; the sequence baselines need a known history item. */
        @Override
        public boolean canPersonalise(int user, HistoryEncoder.Encoded history) {
            return model instanceof PopularityRecommender || history.known() > 0;
        }

        @Override
        public Scored score(int[] users, int[][] histories) {
            return new Scored(model.scoreAll(users, histories), null);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float f : a) out.writeFloat(f);
    }

    static float[] readFloats(DataInputStream in) throws IOException {
        float[] a = new float[in.readInt()];
        for (int i = 0; i < a.length; i++) a[i] = in.readFloat();
        return a;
    }

    /** null is written as length -1. */
    static void writeInts(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a == null ? -1 : a.length);
        if (a != null) for (int v : a) out.writeInt(v);
    }

    static int[] readInts(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = in.readInt();
        return a;
    }
}
