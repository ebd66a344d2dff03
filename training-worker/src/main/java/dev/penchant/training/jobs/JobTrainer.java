package dev.penchant.training.jobs;

import dev.penchant.core.data.io.DataSource;
import dev.penchant.training.queue.ClaimedJob;

import java.nio.file.Path;
import java.util.Map;

/** Trains one claimed job's model: the core's pipeline -> split -> fit -> evaluate, then export. */
public interface JobTrainer {
    /**
     * What a finished training produced.
     *
     * @param metrics         the model's test metrics (models.metrics)
     * @param hyperparameters the values the model used, defaults included (models.hyperparameters)
     * @param report          the full report for training_jobs.report (baselines, device, timings, ...)
     * @param exported        whether exportDir now holds the model's serving artifact
     * @param lineage         what the data set was (models.data_snapshot)
     */
    record Outcome(Map<String, Double> metrics, Map<String, Object> hyperparameters, Map<String, Object> report,
                   boolean exported, Map<String, Object> lineage) {
    }

    /**
     * Trains; returns early (with whatever it has) once progress.cancelled() turns true. Runs on a
     * worker thread, never on an event loop.
     */
    Outcome train(ClaimedJob job, DataSource source, Map<String, Object> lineage, JobProgress progress, Path exportDir)
            throws Exception;
}
