package dev.penchant.training.jobs;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.train.TrainingRun;
import dev.penchant.training.queue.ClaimedJob;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a job through the same {@link TrainingRun} as the launcher's `penchant train`, then exports the
 * model. Hyperparameter keys follow the launcher: "data.*", "split.*", "eval.*", plus "split"
 * (loo | temporal) and "baselines" (comma list, default all); the rest go to the model.
 */
@ApplicationScoped
public class CoreJobTrainer implements JobTrainer {

    @Override
    public Outcome train(ClaimedJob job, DataSource source, Map<String, Object> lineage, JobProgress progress,
                         Path exportDir) {
        Map<String, String> settings = new LinkedHashMap<>(job.hyperparameters());
        String protocol = settings.getOrDefault("split", "loo");
        List<String> baselines = TrainingRun.baselines(settings.get("baselines"));
        settings.remove("split");
        settings.remove("baselines");

        Map<String, Double> metrics = new LinkedHashMap<>();
        boolean[] exported = {false};
        progress.stage("loading data");
        TrainingRun.Outcome run = TrainingRun.run(source,
                new TrainingRun.Settings(job.modelType(), protocol, job.seed(), baselines, settings),
                progress, progress::stage, (model, ownResults, history) -> {
                    metrics.putAll(flatten(ownResults, job.modelType()));
                    if (model instanceof Exportable e) {
                        progress.stage("exporting");
                        e.export(exportDir, metrics, history);
                        exported[0] = true;
                    }
                });

        Dataset ds = run.dataset();
        Map<String, Object> snapshot = new LinkedHashMap<>(lineage);
        snapshot.put("interactions", ds.interactions().size());
        snapshot.put("numUsers", ds.numUsers());
        snapshot.put("numItems", ds.numItems());
        if (run.cancelled()) return new Outcome(Map.of(), run.hyperparametersUsed(), Map.of(), false, snapshot);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("model", job.modelType());
        report.put("dataset", job.dataset().toMap());
        report.put("seed", job.seed());
        report.put("data", snapshot);
        report.put("preprocessing", run.prepared().report());
        report.put("split", protocol);
        report.put("protocol", run.evaluator().describe());
        report.put("training", run.training());
        report.put("hyperparameters", run.hyperparametersUsed());
        report.put("results", run.results());
        return new Outcome(metrics, run.hyperparametersUsed(), report, exported[0], snapshot);
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
}
