package dev.penchant.core.train;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;
import dev.penchant.core.preprocess.PreparedDataset;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one training sequence, shared by the launcher (`penchant train`) and the training worker:
 * pipeline -> split -> fit -> evaluate the model and the baselines with one Evaluator.
 */
public final class TrainingRun {
    private TrainingRun() {
    }

    /**
     * The run's own keys, as a training job carries them beside the hyperparameters (the launcher has
     * --split and --baselines for them).
     */
    public static final ParamGroup PARAMETERS = new ParamGroup("", "the run (a job's own keys; penchant train has --split and --baselines)", List.of(
            Param.choice("split", "loo", Splitter.PROTOCOLS, "split protocol: leave-one-out (last = test, second last = validation) or temporal"),
            Param.choices("baselines", String.join(",", ModelCatalog.BASELINES), baselineChoices(),
                    "baselines evaluated beside the model (none: no baselines)")));

    /** The "baselines" value as a list: absent = every baseline, "none" or blank = no baselines. */
    public static List<String> baselines(String value) {
        if (value == null) return ModelCatalog.BASELINES;
        if (value.isBlank() || value.trim().equals("none")) return List.of();
        return java.util.Arrays.stream(value.split(",")).map(String::trim).filter(b -> !b.isEmpty()).toList();
    }

    private static List<String> baselineChoices() {
        List<String> out = new ArrayList<>(ModelCatalog.BASELINES);
        out.add("none");
        return out;
    }

    /**
     * What to run. Settings keys are routed by prefix: "data.*" to preprocessing, "split.*" to the
     * split, "eval.*" to the evaluator; the rest are the model's hyperparameters.
     */
    public record Settings(String model, String splitProtocol, long seed, List<String> baselines,
                           Map<String, String> settings) {
        public Map<String, String> dataOptions() {
            return withPrefix(settings, "data.");
        }

        public Map<String, String> splitOptions() {
            return withPrefix(settings, "split.");
        }

        public Map<String, String> evalOptions() {
            return withPrefix(settings, "eval.");
        }

        public Map<String, String> modelHyperparameters() {
            Map<String, String> out = new LinkedHashMap<>(settings);
            out.keySet().removeIf(k -> k.startsWith("data.") || k.startsWith("split.") || k.startsWith("eval."));
            return out;
        }
    }

    /** Called after the model is trained and evaluated, while it is still open (to export it). */
    public interface TrainedModelHook {
        /** @param history the per-user rules of the preprocessing, for {@link dev.penchant.core.model.Exportable#export} */
        void accept(Recommender model, List<EvaluationResult> modelResults, HistoryRules history);
    }

    /**
     * @param training  seconds, device, examples/s, hyperparameters used, baseline seconds
     * @param cancelled the progress listener cancelled training; results then hold nothing
     */
    public record Outcome(PreparedDataset prepared, Split split, Evaluator evaluator, List<EvaluationResult> results,
                          Map<String, Object> training, Map<String, Object> hyperparametersUsed, boolean cancelled) {
        public Dataset dataset() {
            return prepared.dataset();
        }
    }

    /**
     * @param stage told of each stage ("data ...", "training ...", "evaluating ...") for logs or job rows
     */
    public static Outcome run(DataSource source, Settings s, ProgressListener progress, Consumer<String> stage,
                              TrainedModelHook onTrained) {
        Map<String, String> all = new LinkedHashMap<>(s.settings());
        all.put("split", s.splitProtocol());
        all.put("baselines", s.baselines().isEmpty() ? "none" : String.join(",", s.baselines()));
        ModelCatalog.check(s.model(), all); // before any data is read
        Prepared data = prepare(source, s, stage);
        Evaluator evaluator = new Evaluator(data.split(), data.dataset().interactions(),
                Evaluator.Options.fromMap(s.evalOptions(), s.seed()));
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("model", s.model());
        training.put("preprocessingSeconds", data.seconds());
        Fitted own = fitAndEvaluate(data, s.model(), new Hyperparameters(s.modelHyperparameters()), s.seed(), evaluator,
                progress, stage, onTrained);
        if (own.cancelled())
            return new Outcome(data.prepared(), data.split(), evaluator, List.of(), training, own.hyperparametersUsed(), true);
        training.putAll(own.training());
        List<EvaluationResult> results = new ArrayList<>(own.results());
        Map<String, Object> baselineSeconds = new LinkedHashMap<>();
        for (String b : s.baselines()) {
            if (b.equals(s.model()) || progress.cancelled()) continue;
            stage.accept("baseline " + b);
            Fitted f = fitAndEvaluate(data, b, Hyperparameters.empty(), s.seed(), evaluator, ProgressListener.NONE,
                    x -> { }, (m, r, h) -> { });
            baselineSeconds.put(b, f.training().get("seconds"));
            results.addAll(f.results());
        }
        training.put("baselineSeconds", baselineSeconds);
        return new Outcome(data.prepared(), data.split(), evaluator, results, training, own.hyperparametersUsed(), false);
    }

    /** The data side of a run, which no seed touches: the preprocessed data set and its split. */
    public record Prepared(PreparedDataset prepared, Split split, double seconds) {
        public Dataset dataset() {
            return prepared.dataset();
        }
    }

    /** Reads and preprocesses the source ("data.*" settings) and splits it ("split.*" settings). */
    public static Prepared prepare(DataSource source, Settings s, Consumer<String> stage) {
        long t0 = System.nanoTime();
        PreparedDataset prepared = new Preprocessor(PreprocessOptions.fromMap(s.dataOptions())).run(source);
        Dataset ds = prepared.dataset();
        double prepSeconds = (System.nanoTime() - t0) / 1e9;
        stage.accept(String.format(java.util.Locale.ROOT, "data: %s: %d users, %d items, %d interactions (%.1f s)",
                ds.name(), ds.numUsers(), ds.numItems(), ds.interactions().size(), prepSeconds));
        Split split = Splitter.split(s.splitProtocol(), ds.interactions(), ds.numItems(), s.splitOptions());
        return new Prepared(prepared, split, prepSeconds);
    }

    /**
     * One model trained and evaluated.
     *
     * @param training seconds, examples/s, device, hyperparameters used, the model's stats
     */
    public record Fitted(List<EvaluationResult> results, Map<String, Object> training,
                         Map<String, Object> hyperparametersUsed, boolean cancelled) {
    }

    /**
     * Trains one model on the prepared split with the given seed and evaluates it with the given
     * evaluator (whose seed fixes the sampled negatives); the model is closed afterwards.
     */
    public static Fitted fitAndEvaluate(Prepared data, String modelName, Hyperparameters hp, long seed, Evaluator evaluator,
                                        ProgressListener progress, Consumer<String> stage, TrainedModelHook onTrained) {
        Map<String, Object> training = new LinkedHashMap<>();
        stage.accept("training " + modelName);
        try (Recommender model = ModelCatalog.create(modelName, hp)) {
            long ts = System.nanoTime();
            model.fit(new TrainingContext(data.dataset(), data.split(), hp, seed, progress, evaluator::validationMetrics));
            if (progress.cancelled()) return new Fitted(List.of(), training, hp.used(), true);
            double trainSeconds = (System.nanoTime() - ts) / 1e9;
            training.put("seconds", trainSeconds);
            double eps = model.examplesPerSecond();
            training.put("examplesPerSecond", Double.isNaN(eps) ? null : eps);
            training.put("device", model.device());
            training.put("hyperparameters", hp.used());
            if (model.stats() != null) training.put("stats", model.stats());
            stage.accept(String.format(java.util.Locale.ROOT, "trained %s in %.1f s; evaluating", modelName, trainSeconds));
            List<EvaluationResult> results = evaluator.evaluateAll(modelName, model);
            onTrained.accept(model, results, data.prepared().history());
            return new Fitted(results, training, hp.used(), false);
        }
    }

    /** The entries of m whose key starts with prefix, with the prefix removed. */
    public static Map<String, String> withPrefix(Map<String, String> m, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}
