package dev.penchant.training.jobs;

import dev.penchant.training.queue.ClaimedJob;
import dev.penchant.training.queue.JobCompletion;
import dev.penchant.training.queue.JobQueue;
import org.eclipse.microprofile.config.ConfigProvider;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Shared bits of the worker tests: a clean queue, counting queries, waiting. */
final class TestSupport {
    static final Duration TIMEOUT = Duration.ofSeconds(3); // generous: a loaded CI box must not stall a live heartbeat past it

    private TestSupport() {
    }

    static void clean(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate training_job_epochs, models, model_artifacts, training_jobs restart identity cascade");
            // a job over an empty platform fails at once: these tests must not depend on another class's events
            s.execute("select ensure_event_partitions(array['2025-01-01T00:00:00Z'::timestamptz])");
            s.execute("""
                    insert into event_keys (event_id, user_id, occurred_at)
                    values ('worker-test-0', 'u0', '2025-01-01T00:00:00Z') on conflict do nothing""");
            s.execute("""
                    insert into events (event_id, user_id, item_id, type, occurred_at)
                    select 'worker-test-0', 'u0', 'i0', 'click', '2025-01-01T00:00:00Z'
                     where not exists (select 1 from events where event_id = 'worker-test-0')""");
        }
    }

    static long count(DataSource db, String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String string(DataSource db, String sql, Object... args) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    static BooleanSupplier status(DataSource db, long job, String status) {
        return () -> {
            try {
                return status.equals(string(db, "select status from training_jobs where id = ?", job));
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    static String jdbcUrl() {
        return ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
    }

    static TrainingWorker worker(JobQueue queue, JobTrainer trainer, JobCompletion completion, DataSource db,
                                 String id) {
        return new TrainingWorker(queue, trainer, WorkerLifecycle.completer(completion), db, id, Duration.ofMillis(100),
                Duration.ofMillis(300), 1, Path.of(System.getProperty("java.io.tmpdir"), "penchant-training-test"),
                "cpu");
    }

    /** A stand-in for the core's training: epochs of a fixed length, stops when asked. */
    static final class ScriptedTrainer implements JobTrainer {
        final int epochs;
        final long epochMillis;
        volatile boolean sawCancel;
        volatile int started;

        ScriptedTrainer(int epochs, long epochMillis) {
            this.epochs = epochs;
            this.epochMillis = epochMillis;
        }

        @Override
        public Outcome train(ClaimedJob job, dev.penchant.core.data.io.DataSource source, Map<String, Object> lineage,
                             JobProgress progress, Path exportDir) throws Exception {
            started++;
            for (int e = 1; e <= epochs; e++) {
                long end = System.currentTimeMillis() + epochMillis;
                while (System.currentTimeMillis() < end) {
                    if (progress.cancelled()) {
                        sawCancel = true;
                        return new Outcome(Map.of(), Map.of(), Map.of(), false, lineage);
                    }
                    progress.step(e, 0.5, 1.0 / e);
                    Thread.sleep(20);
                }
                progress.epochEnd(e, 1.0 / e, Map.of("NDCG@10", 0.1 * e));
            }
            java.nio.file.Files.createDirectories(exportDir);
            java.nio.file.Files.writeString(exportDir.resolve("model.json"), "{\"model\":\"" + job.modelType() + "\"}");
            return new Outcome(Map.of("HR@10", 0.5), Map.of("epochs", epochs), Map.of("model", job.modelType()), true,
                    lineage);
        }
    }

}
