package dev.penchant.api.training;

import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.artifacts.PostgresArtifactStore;
import dev.penchant.training.queue.JobQueue;
import dev.penchant.training.registry.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;

/** The training store's classes over this node's JDBC pool; blocking, so only ever called on worker threads. */
public class TrainingStore {
    @Produces
    @Singleton
    JobQueue queue(AgroalDataSource db) {
        // the timeout and attempts only matter to claimers; the control plane submits, cancels and reads
        return new JobQueue(db, Duration.ofSeconds(60), 3);
    }

    @Produces
    @Singleton
    ModelRegistry registry(AgroalDataSource db) {
        return new ModelRegistry(db);
    }

    @Produces
    @Singleton
    ArtifactStore artifacts(AgroalDataSource db) {
        return new PostgresArtifactStore(db);
    }
}
