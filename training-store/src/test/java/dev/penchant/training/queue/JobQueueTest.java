package dev.penchant.training.queue;

import dev.penchant.training.store.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The claim statement against the real PostgreSQL: exclusivity, take-over, attempts. */
class JobQueueTest {
    final DataSource db = TestDatabase.get();

    @BeforeEach
    void clean() throws Exception {
        TestDatabase.clean(db);
    }

    @Test
    void racingClaimersClaimEachJobExactlyOnce() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(5), 3);
        int jobs = 200; // enough overlap that a claim without row locks double-claims (checked by mutation)
        for (int i = 0; i < jobs; i++) queue.submit(DatasetFilter.ALL, "popularity", Map.of(), i);
        Map<Long, String> claims = Collections.synchronizedMap(new HashMap<>());
        List<String> duplicates = Collections.synchronizedList(new ArrayList<>());
        int claimers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        CountDownLatch go = new CountDownLatch(1);
        for (int w = 0; w < claimers; w++) {
            String worker = "racer-" + w;
            pool.execute(() -> {
                try {
                    go.await();
                    for (var job = queue.claim(worker); job.isPresent(); job = queue.claim(worker)) {
                        String prev = claims.put(job.get().id(), worker);
                        if (prev != null) duplicates.add(job.get().id() + " by " + prev + " and " + worker);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(List.of(), duplicates);
        assertEquals(jobs, claims.size());
        assertEquals(jobs, TestDatabase.count(db, "select count(*) from training_jobs where status = 'running' and attempts = 1"));
        // the database agrees with what each claimer was told
        for (var e : claims.entrySet()) {
            assertEquals(e.getValue(), TestDatabase.string(db, "select worker_id from training_jobs where id = ?", e.getKey()));
        }
    }

    @Test
    void silentWorkerLosesItsJobAfterTheTimeoutAndCannotWriteAnyMore() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMillis(800), 3);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 1);
        ClaimedJob a = queue.claim("a").orElseThrow();
        assertEquals(JobQueue.Heartbeat.OWNED, queue.heartbeat(a, Map.of("epoch", 1), List.of()));
        assertTrue(queue.claim("b").isEmpty(), "a live job must not be taken");
        Thread.sleep(1000); // a stops heartbeating
        ClaimedJob b = queue.claim("b").orElseThrow();
        assertEquals(id, b.id());
        assertEquals(2, b.attempts());
        assertEquals(JobQueue.Heartbeat.LOST, queue.heartbeat(a, Map.of("epoch", 2), List.of(new Epoch(2, 0.5, Map.of()))));
        assertFalse(queue.fail(a, "late failure"));
        assertFalse(queue.markCancelled(a, Map.of()));
        assertEquals(0, TestDatabase.count(db, "select count(*) from training_job_epochs where job_id = ?", id),
                "a lost worker's epochs are not written");
        assertEquals(JobQueue.Heartbeat.OWNED, queue.heartbeat(b, Map.of(), List.of(new Epoch(1, 0.9, Map.of("NDCG@10", 0.1)))));
        assertEquals(1, TestDatabase.count(db, "select count(*) from training_job_epochs where job_id = ?", id));
    }

    /** The lease is the attempt: a worker that lost its job and re-claimed it (same id) cannot write as the old attempt. */
    @Test
    void anOldAttemptOfTheSameWorkerIsFencedOff() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMillis(300), 3);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 1);
        ClaimedJob first = queue.claim("same").orElseThrow();
        Thread.sleep(400); // its heartbeats failed (database away) past the lease
        ClaimedJob second = queue.claim("same").orElseThrow();
        assertEquals(id, second.id());
        assertEquals(2, second.attempts());
        assertEquals(JobQueue.Heartbeat.LOST, queue.heartbeat(first, Map.of(), List.of(new Epoch(1, 0.5, Map.of()))));
        assertFalse(queue.fail(first, "late"));
        assertFalse(queue.release(first));
        assertEquals(JobQueue.Heartbeat.OWNED, queue.heartbeat(second, Map.of(), List.of()));
        assertEquals("running", TestDatabase.string(db, "select status from training_jobs where id = ?", id));
    }

    @Test
    void jobWhoseWorkersKeepDyingFailsAfterMaxAttempts() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMillis(300), 2);
        long id = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 1);
        assertEquals(1, queue.claim("a").orElseThrow().attempts());
        Thread.sleep(400);
        assertEquals(2, queue.claim("b").orElseThrow().attempts());
        Thread.sleep(400);
        assertTrue(queue.claim("c").isEmpty(), "no attempts left");
        assertEquals(1, queue.settleAbandoned());
        assertEquals("failed", TestDatabase.string(db, "select status from training_jobs where id = ?", id));
        assertTrue(TestDatabase.string(db, "select error from training_jobs where id = ?", id).contains("2 attempts"));
    }

    @Test
    void cancellingAQueuedJobIsImmediateAndAFinishedOneIsRefused() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(1), 3);
        long queued = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 1);
        assertEquals(JobQueue.CancelOutcome.CANCELLED, queue.requestCancel(queued));
        assertTrue(queue.claim("a").isEmpty());
        assertEquals(JobQueue.CancelOutcome.ALREADY_FINISHED, queue.requestCancel(queued));
        assertEquals(JobQueue.CancelOutcome.NOT_FOUND, queue.requestCancel(987654));
        long running = queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 1);
        ClaimedJob job = queue.claim("a").orElseThrow();
        assertEquals(JobQueue.CancelOutcome.REQUESTED, queue.requestCancel(running));
        assertEquals(JobQueue.Heartbeat.CANCEL_REQUESTED, queue.heartbeat(job, Map.of(), List.of()));
    }
}
