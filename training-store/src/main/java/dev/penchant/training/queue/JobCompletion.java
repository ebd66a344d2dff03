package dev.penchant.training.queue;

import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.registry.ModelRegistry;
import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Finishes a job in one plain JDBC transaction: lock the job row while it is still this worker's (same
 * worker id and attempt) and running, store the artifact, register the model (unique per job), mark the job succeeded. A worker
 * that lost its job, or a second completion, finds no owned running row and changes nothing; a failure
 * anywhere rolls all of it back, so an artifact exists only with the model row that points at it.
 */
public final class JobCompletion {
    /**
     * What a finished training produced.
     *
     * @param metrics         the model's test metrics (models.metrics); non-finite values are dropped
     * @param hyperparameters the values the model used, defaults included (models.hyperparameters)
     * @param report          the full report for training_jobs.report (baselines, device, timings, ...)
     * @param lineage         what the data set was (models.data_snapshot)
     */
    public record Result(Map<String, Double> metrics, Map<String, Object> hyperparameters, Map<String, Object> report,
                         Map<String, Object> lineage) {
    }

    private final DataSource db;
    private final ArtifactStore artifacts;
    private final ModelRegistry registry;

    public JobCompletion(DataSource db, ArtifactStore artifacts, ModelRegistry registry) {
        this.db = db;
        this.artifacts = artifacts;
        this.registry = registry;
    }

    /**
     * @param archive the exported model as a zip, or null when the model has no artifact
     * @return the registered model's id; empty when the job was no longer this worker's to complete
     */
    public OptionalLong complete(ClaimedJob job, Result result, Path archive, Map<String, Object> finalProgress) {
        return Jdbc.inTransaction(db, c -> {
            boolean owned = Jdbc.query(c, """
                    select 1 from training_jobs where id = ? and worker_id = ? and attempts = ? and status = 'running' for update""", ps -> {
                ps.setLong(1, job.id());
                ps.setString(2, job.workerId());
                ps.setInt(3, job.attempts());
            }, java.sql.ResultSet::next);
            if (!owned) return OptionalLong.empty();
            Long artifactId = null;
            Map<String, Object> report = new LinkedHashMap<>(result.report());
            if (archive != null) {
                try (InputStream in = Files.newInputStream(archive)) {
                    ArtifactStore.StoredArtifact a = artifacts.put(c, in);
                    artifactId = a.id();
                    report.put("artifact", Map.of("id", a.id(), "sha256", a.sha256(), "sizeBytes", a.sizeBytes()));
                }
            }
            long modelId = registry.register(c, new ModelRegistry.Registration(job.name(), job.modelType(),
                    job.id(), result.lineage(), result.hyperparameters(), finite(result.metrics()), artifactId));
            report.put("modelId", modelId);
            int updated = Jdbc.update(c, """
                    update training_jobs set status = 'succeeded', report = ?::jsonb, progress = ?::jsonb,
                           finished_at = now(), heartbeat_at = now()
                     where id = ? and worker_id = ? and attempts = ? and status = 'running'""", ps -> {
                ps.setString(1, Json.write(report));
                ps.setString(2, Json.write(finalProgress));
                ps.setLong(3, job.id());
                ps.setString(4, job.workerId());
                ps.setInt(5, job.attempts());
            });
            if (updated != 1) throw new IllegalStateException("job " + job.id() + " changed under its lock");
            return OptionalLong.of(modelId);
        });
    }

    static Map<String, Double> finite(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) m.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) out.put(k, v);
        });
        return out;
    }
}
