package dev.penchant.training.jobs;

import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.registry.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Finishes a job in one transaction: lock the job row while it is still this worker's and running,
 * store the artifact, register the model (unique per job), mark the job succeeded. A worker that lost
 * its job, or a second completion, finds no owned running row and changes nothing.
 */
@ApplicationScoped
public class JobCompletion {
    private final AgroalDataSource db;
    private final ArtifactStore artifacts;
    private final ModelRegistry registry;

    public JobCompletion(AgroalDataSource db, ArtifactStore artifacts, ModelRegistry registry) {
        this.db = db;
        this.artifacts = artifacts;
        this.registry = registry;
    }

    /**
     * @param archive the exported model as a zip, or null when the model has no artifact
     * @return the registered model's id; empty when the job was no longer this worker's to complete
     */
    @Transactional(rollbackOn = Exception.class)
    @TransactionConfiguration(timeout = 600) // large artifacts stream into the same transaction
    public OptionalLong complete(ClaimedJob job, JobTrainer.Outcome outcome, Path archive,
                                 Map<String, Object> finalProgress) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select 1 from training_jobs where id = ? and worker_id = ? and status = 'running' for update""")) {
            ps.setLong(1, job.id());
            ps.setString(2, job.workerId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return OptionalLong.empty();
            }
        }
        Long artifactId = null;
        Map<String, Object> report = new LinkedHashMap<>(outcome.report());
        if (archive != null) {
            try (InputStream in = Files.newInputStream(archive)) {
                ArtifactStore.StoredArtifact a = artifacts.put(in);
                artifactId = a.id();
                report.put("artifact", Map.of("id", a.id(), "sha256", a.sha256(), "sizeBytes", a.sizeBytes()));
            }
        }
        long modelId = registry.register(new ModelRegistry.Registration(job.modelType(), job.modelType(), job.id(),
                outcome.lineage(), outcome.hyperparameters(), finite(outcome.metrics()), artifactId));
        report.put("modelId", modelId);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     update training_jobs set status = 'succeeded', report = ?::jsonb, progress = ?::jsonb,
                            finished_at = now(), heartbeat_at = now()
                      where id = ? and worker_id = ? and status = 'running'""")) {
            ps.setString(1, JobQueue.json(report));
            ps.setString(2, JobQueue.json(finalProgress));
            ps.setLong(3, job.id());
            ps.setString(4, job.workerId());
            if (ps.executeUpdate() != 1) throw new IllegalStateException("job " + job.id() + " changed under its lock");
        }
        return OptionalLong.of(modelId);
    }

    static Map<String, Double> finite(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (m != null) m.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) out.put(k, v);
        });
        return out;
    }
}
