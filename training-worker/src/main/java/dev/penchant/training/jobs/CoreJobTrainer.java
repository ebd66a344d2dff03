package dev.penchant.training.jobs;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.models.Exportable;
import dev.penchant.core.models.TfRecommender;
import dev.penchant.core.preprocess.PreparedDataset;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same sequence as the launcher's `penchant train` (PenchantCli.run): pipeline -> split -> fit ->
 * evaluate the model and the baselines with one Evaluator -> export. Hyperparameter keys follow the
 * launcher: "data.*" preprocessing options, "split" (loo | temporal) and "split.validation/test",
 * "eval.*" evaluator options, "baselines" (comma list, default all), the rest go to the model.
 * TODO(core): call dev.penchant.core.train.TrainingRun instead once the launcher exposes it.
 */
@ApplicationScoped
public class CoreJobTrainer implements JobTrainer {

    @Override
    public Outcome train(ClaimedJob job, DataSource source, Map<String, Object> lineage, JobProgress progress,
                         Path exportDir) {
        Map<String, String> modelHp = new LinkedHashMap<>(job.hyperparameters());
        Map<String, String> dataOpts = withPrefix(modelHp, "data.");
        Map<String, String> splitOpts = withPrefix(modelHp, "split.");
        Map<String, String> evalOpts = withPrefix(modelHp, "eval.");
        String protocol = modelHp.getOrDefault("split", "loo");
        List<String> baselines = modelHp.containsKey("baselines")
                ? List.of(modelHp.get("baselines").split("\\s*,\\s*")).stream().filter(s -> !s.isBlank()).toList()
                : ModelCatalog.BASELINES;
        modelHp.keySet().removeIf(k -> k.startsWith("data.") || k.startsWith("split.") || k.startsWith("eval.")
                || k.equals("split") || k.equals("baselines"));

        long t0 = System.nanoTime();
        PreparedDataset prepared = new Preprocessor(PreprocessOptions.fromMap(dataOpts)).run(source);
        Dataset ds = prepared.dataset();
        Map<String, Object> snapshot = new LinkedHashMap<>(lineage);
        snapshot.put("interactions", ds.interactions().size());
        snapshot.put("numUsers", ds.numUsers());
        snapshot.put("numItems", ds.numItems());
        double prepSeconds = (System.nanoTime() - t0) / 1e9;

        Split split = Splitter.split(protocol, ds.interactions(), ds.numItems(),
                Double.parseDouble(splitOpts.getOrDefault("validation", "0.1")),
                Double.parseDouble(splitOpts.getOrDefault("test", "0.1")));
        Evaluator.Options d = Evaluator.Options.defaults();
        Evaluator evaluator = new Evaluator(split, ds.interactions(), new Evaluator.Options(
                Integer.parseInt(evalOpts.getOrDefault("negatives", String.valueOf(d.negatives()))), d.ks(), job.seed(),
                Integer.parseInt(evalOpts.getOrDefault("batchSize", String.valueOf(d.batchSize()))),
                Integer.parseInt(evalOpts.getOrDefault("threads", "1")),
                Double.parseDouble(evalOpts.getOrDefault("likeThreshold", String.valueOf(d.likeThreshold())))));

        Hyperparameters hp = new Hyperparameters(modelHp);
        List<EvaluationResult> results = new ArrayList<>();
        Map<String, Object> training = new LinkedHashMap<>();
        Map<String, Double> metrics;
        boolean exported = false;
        progress.stage("training");
        try (Recommender model = ModelCatalog.create(job.modelType(), hp)) {
            long ts = System.nanoTime();
            model.fit(new TrainingContext(ds, split, hp, job.seed(), progress, evaluator::validationMetrics));
            if (progress.cancelled()) return new Outcome(Map.of(), hp.used(), Map.of(), false, snapshot);
            training.put("seconds", (System.nanoTime() - ts) / 1e9);
            training.put("device", model.device());
            double eps = model.examplesPerSecond();
            training.put("examplesPerSecond", Double.isNaN(eps) ? null : eps);
            if (model instanceof TfRecommender tf && tf.stats() != null) training.put("stats", tf.stats());
            progress.stage("evaluating");
            results.addAll(evaluator.evaluateAll(job.modelType(), model));
            metrics = flatten(results, job.modelType());
            if (model instanceof Exportable e) {
                progress.stage("exporting");
                e.export(exportDir, metrics);
                exported = true;
            }
        }
        Map<String, Double> baselineSeconds = new LinkedHashMap<>();
        for (String b : baselines) {
            if (b.equals(job.modelType()) || progress.cancelled()) continue;
            progress.stage("baseline " + b);
            try (Recommender r = ModelCatalog.create(b, Hyperparameters.empty())) {
                long ts = System.nanoTime();
                r.fit(new TrainingContext(ds, split, Hyperparameters.empty(), job.seed(), ProgressListener.NONE,
                        evaluator::validationMetrics));
                baselineSeconds.put(b, (System.nanoTime() - ts) / 1e9);
                results.addAll(evaluator.evaluateAll(b, r));
            }
        }
        training.put("baselineSeconds", baselineSeconds);
        training.put("preprocessingSeconds", prepSeconds);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", job.modelType());
        report.put("dataset", job.dataset());
        report.put("seed", job.seed());
        report.put("data", snapshot);
        report.put("preprocessing", prepared.report());
        report.put("split", protocol);
        report.put("protocol", evaluator.describe());
        report.put("training", training);
        report.put("hyperparameters", hp.used());
        report.put("results", results);
        return new Outcome(metrics, hp.used(), report, exported, snapshot);
    }

    /** The model's results as "protocol/split/metric" -> value, e.g. "sampled-100/test/HR@10". */
    static Map<String, Double> flatten(List<EvaluationResult> results, String model) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (EvaluationResult r : results) {
            if (!r.model().equals(model)) continue;
            r.metrics().forEach((k, v) -> out.put(r.protocol() + "/" + r.split() + "/" + k, v));
        }
        return out;
    }

    private static Map<String, String> withPrefix(Map<String, String> m, String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}
