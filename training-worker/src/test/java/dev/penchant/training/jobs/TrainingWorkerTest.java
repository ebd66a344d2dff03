package dev.penchant.training.jobs;

import dev.penchant.training.queue.ClaimedJob;
import dev.penchant.training.queue.DatasetFilter;
import dev.penchant.training.queue.JobCompletion;
import dev.penchant.training.queue.JobQueue;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole workers on the real database: take-over after kill -9, cancellation, a lost job, graceful
 * shutdown. (Idempotent completion is the training store's JobCompletionTest.)
 */
@QuarkusTest
class TrainingWorkerTest {
    @Inject
    AgroalDataSource db;
    @Inject
    WorkerLifecycle lifecycle;
    JobCompletion completion;

    @BeforeEach
    void clean() throws Exception {
        TestSupport.clean(db);
        completion = lifecycle.completion();
    }

    @Test
    void workerKilledMidJobIsTakenOverAndTheJobCompletesOnce() throws Exception {
        JobQueue queue = new JobQueue(db, TestSupport.TIMEOUT, 3);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 7);
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildClaimer.class.getName(),
                TestSupport.jdbcUrl(), "postgres", "doomed-child", "200")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith("CLAIMED") && !line.equals("NOTHING"));
            assertEquals("CLAIMED " + id, line);
            // it is alive: heartbeats and epochs arrive, and nobody else may take the job
            TestSupport.await("child's epochs", Duration.ofSeconds(10), () -> epochs(id) >= 2);
            assertTrue(queue.claim("thief").isEmpty());
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
            assertEquals(137, child.waitFor());
        } finally {
            child.destroyForcibly();
        }
        long killedAt = System.nanoTime();
        TestSupport.ScriptedTrainer trainer = new TestSupport.ScriptedTrainer(2, 100);
        try (TrainingWorker survivor = TestSupport.worker(queue, trainer, completion, db, "survivor")) {
            survivor.start();
            TestSupport.await("take-over and completion", Duration.ofSeconds(20), TestSupport.status(db, id, "succeeded"));
        }
        assertTrue(System.nanoTime() - killedAt >= TestSupport.TIMEOUT.toNanos() - 300_000_000L,
                "taken over only after the heartbeat timeout");
        assertEquals("survivor", TestSupport.string(db, "select worker_id from training_jobs where id = ?", id));
        assertEquals(2, TestSupport.count(db, "select attempts from training_jobs where id = ?", id));
        assertEquals(1, TestSupport.count(db, "select count(*) from models where job_id = ?", id));
        assertEquals(1, trainer.started);
    }

    @Test
    void cancelledJobStopsTrainingAndRegistersNothing() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(30), 3);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 7);
        TestSupport.ScriptedTrainer trainer = new TestSupport.ScriptedTrainer(1000, 100);
        try (TrainingWorker worker = TestSupport.worker(queue, trainer, completion, db, "w-cancel")) {
            worker.start();
            TestSupport.await("epochs written by heartbeats", Duration.ofSeconds(10), () -> epochs(id) >= 2);
            assertEquals(JobQueue.CancelOutcome.REQUESTED, queue.requestCancel(id));
            TestSupport.await("cancelled", Duration.ofSeconds(10), TestSupport.status(db, id, "cancelled"));
            TestSupport.await("worker idle", Duration.ofSeconds(5), () -> worker.activeJobs() == 0);
        }
        assertTrue(trainer.sawCancel, "the training loop saw ProgressListener.cancelled()");
        assertEquals(0, TestSupport.count(db, "select count(*) from models"));
        assertNotNull(TestSupport.string(db, "select progress->>'epoch' from training_jobs where id = ?", id));
    }

    @Test
    void workerThatLostItsJobStopsTrainingAndWritesNothing() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(30), 3);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 7);
        TestSupport.ScriptedTrainer trainer = new TestSupport.ScriptedTrainer(1000, 100);
        try (TrainingWorker worker = TestSupport.worker(queue, trainer, completion, db, "w-lost")) {
            worker.start();
            TestSupport.await("running", Duration.ofSeconds(10), () -> epochs(id) >= 1);
            // what a take-over looks like from the old owner's side
            try (var c = db.getConnection(); var st = c.createStatement()) {
                st.executeUpdate("update training_jobs set worker_id = 'usurper' where id = " + id);
            }
            TestSupport.await("trainer stopped", Duration.ofSeconds(10), () -> trainer.sawCancel);
            TestSupport.await("worker idle", Duration.ofSeconds(5), () -> worker.activeJobs() == 0);
        }
        assertEquals("running", TestSupport.string(db, "select status from training_jobs where id = ?", id));
        assertEquals("usurper", TestSupport.string(db, "select worker_id from training_jobs where id = ?", id));
        assertEquals(0, TestSupport.count(db, "select count(*) from models"));
    }

    @Test
    void gracefulShutdownHandsTheJobBack() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(30), 3);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 7);
        TestSupport.ScriptedTrainer trainer = new TestSupport.ScriptedTrainer(1000, 100);
        TrainingWorker worker = TestSupport.worker(queue, trainer, completion, db, "w-stop");
        worker.start();
        // the trainer itself must be running (status 'running' is written at claim, before data loads)
        TestSupport.await("training", Duration.ofSeconds(10), () -> trainer.started > 0);
        worker.stop(Duration.ofSeconds(10));
        assertTrue(trainer.sawCancel);
        assertEquals("queued", TestSupport.string(db, "select status from training_jobs where id = ?", id));
        assertEquals(0, TestSupport.count(db, "select attempts from training_jobs where id = ?", id));
        assertEquals(id, queue.claim("next").orElseThrow().id());
    }

    private long epochs(long job) {
        try {
            return TestSupport.count(db, "select count(*) from training_job_epochs where job_id = ?", job);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

}
