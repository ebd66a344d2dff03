package dev.penchant.training.queue;

import dev.penchant.schema.Channels;
import dev.penchant.training.artifacts.PostgresArtifactStore;
import dev.penchant.training.registry.ModelRegistry;
import dev.penchant.training.store.TestDatabase;
import dev.penchant.training.store.TransactionStep;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import javax.sql.DataSource;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion as one plain JDBC transaction; registry versions, promotion and the caller's transaction steps. */
class JobCompletionTest {
    final DataSource db = TestDatabase.get();
    final PostgresArtifactStore artifacts = new PostgresArtifactStore(db);
    final ModelRegistry registry = new ModelRegistry(db);
    final JobCompletion completion = new JobCompletion(db, artifacts, registry);

    @BeforeEach
    void clean() throws Exception {
        TestDatabase.clean(db);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate audit_log");
        }
    }

    static JobCompletion.Result result(double hr) {
        return new JobCompletion.Result(Map.of("sampled-100/test/HR@10", hr, "bad", Double.NaN), Map.of("k", 1),
                Map.of(), Map.of("events", 10));
    }

    @Test
    void completingTwiceRegistersOneModelAndALostOwnerCannotComplete() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMillis(500), 3);
        queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 1);
        ClaimedJob job = queue.claim("w1").orElseThrow();
        Path zip = Files.createTempFile("artifact", ".zip");
        Files.writeString(zip, "not really a zip, but bytes");
        OptionalLong first = completion.complete(job, result(0.3), zip, Map.of());
        OptionalLong second = completion.complete(job, result(0.3), zip, Map.of());
        assertTrue(first.isPresent());
        assertFalse(second.isPresent());
        assertEquals(1, TestDatabase.count(db, "select count(*) from models"));
        assertEquals(1, TestDatabase.count(db, "select count(*) from model_artifacts"), "the refused completion stored nothing");
        assertEquals("succeeded", TestDatabase.string(db, "select status from training_jobs where id = ?", job.id()));
        assertEquals("{\"sampled-100/test/HR@10\": 0.3}", TestDatabase.string(db, "select metrics::text from models"),
                "non-finite metrics are dropped (jsonb has no NaN)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long artifactId = registry.find(first.getAsLong()).orElseThrow().artifactId();
        assertTrue(artifacts.copyTo(artifactId, out));
        assertEquals("not really a zip, but bytes", out.toString());

        // a worker whose job was taken over finishes late: nothing of its work lands
        queue.submit(DatasetFilter.ALL, "popularity", Map.of(), 2);
        ClaimedJob stale = queue.claim("w2").orElseThrow();
        Thread.sleep(700);
        ClaimedJob fresh = queue.claim("w3").orElseThrow();
        assertEquals(stale.id(), fresh.id());
        assertFalse(completion.complete(stale, result(0.3), zip, Map.of()).isPresent());
        assertEquals(1, TestDatabase.count(db, "select count(*) from models"));
        OptionalLong third = completion.complete(fresh, result(0.3), zip, Map.of());
        assertTrue(third.isPresent());
        assertEquals(2, TestDatabase.count(db, "select version from models where id = ?", third.getAsLong()),
                "second model of the name gets version 2");
        Files.deleteIfExists(zip);
    }

    @Test
    void concurrentRegistrationsGetDistinctVersionsAndPromotionArchivesAndNotifies() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(1), 3);
        List<ClaimedJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queue.submit(DatasetFilter.ALL, "itemknn", Map.of(), i);
            jobs.add(queue.claim("w" + i).orElseThrow());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (ClaimedJob j : jobs) done.add(pool.submit(() -> completion.complete(j, result(0.4), null, Map.of())));
        for (Future<?> f : done) f.get();
        pool.shutdown();
        List<ModelRegistry.ModelView> models = registry.list("itemknn", null, 100);
        List<Integer> versions = new ArrayList<>(models.stream().map(ModelRegistry.ModelView::version).toList());
        Collections.sort(versions);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), versions);

        long a = models.get(0).id(), b = models.get(1).id();
        try (Connection listener = db.getConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("listen " + Channels.MODEL_PROMOTED);
            }
            assertEquals("promoted", registry.promote(a, TransactionStep.NONE).orElseThrow().status());
            assertEquals("promoted", registry.promote(b, TransactionStep.NONE).orElseThrow().status());
            assertEquals("archived", registry.find(a).orElseThrow().status());
            assertEquals(List.of(b), registry.list(null, "promoted", 10).stream().map(ModelRegistry.ModelView::id).toList());
            List<String> heard = new ArrayList<>();
            long end = System.currentTimeMillis() + 5000;
            while (heard.size() < 2 && System.currentTimeMillis() < end) {
                PGNotification[] ns = listener.unwrap(PGConnection.class).getNotifications(500);
                if (ns != null) for (PGNotification n : ns) heard.add(n.getName() + ":" + n.getParameter());
            }
            assertEquals(List.of("model_promoted:" + a, "model_promoted:" + b), heard);
        }
        assertTrue(registry.promote(999999, TransactionStep.NONE).isEmpty());
        assertEquals(Map.of("registered", 4L, "promoted", 1L, "archived", 1L), registry.countByStatus());
    }

    @Test
    void jobsNameTheirModelsVersionsCountPerNameAndPromotionIsPerSurface() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(1), 3);
        long[] ids = new long[3];
        String[] names = {"wide", "wide", null};
        for (int i = 0; i < 3; i++) {
            long job = queue.submit(DatasetFilter.ALL, names[i], i == 1 ? "itemknn" : "dnn", Map.of(), i, "key:t", id -> TransactionStep.NONE);
            assertEquals(names[i] == null ? "dnn" : names[i], queue.find(job).orElseThrow().name());
            ClaimedJob claimed = queue.claim("w").orElseThrow();
            ids[i] = completion.complete(claimed, result(0.4), null, Map.of()).orElseThrow();
        }
        assertEquals("wide", registry.find(ids[0]).orElseThrow().name());
        assertEquals(1, registry.find(ids[0]).orElseThrow().version());
        assertEquals(2, registry.find(ids[1]).orElseThrow().version(), "a second model named wide, of another type");
        assertEquals("itemknn", registry.find(ids[1]).orElseThrow().modelType());
        assertEquals("dnn", registry.find(ids[2]).orElseThrow().name());
        assertEquals(1, registry.find(ids[2]).orElseThrow().version());

        try (Connection listener = db.getConnection()) {
            try (Statement s = listener.createStatement()) {
                s.execute("listen " + Channels.SERVING_CHANGED);
            }
            registry.promote(ids[0], "user", "key:t", TransactionStep.NONE);
            registry.promote(ids[0], "similar", "key:t", TransactionStep.NONE);
            registry.promote(ids[1], "user", "key:t", TransactionStep.NONE);
            assertEquals("promoted", registry.find(ids[0]).orElseThrow().status(), "still serves similar");
            registry.promote(ids[2], "similar", "key:t", TransactionStep.NONE);
            assertEquals("archived", registry.find(ids[0]).orElseThrow().status(), "serves no surface any more");
            assertEquals("promoted", registry.find(ids[1]).orElseThrow().status(), "two names promoted side by side");
            assertEquals(List.of("similar:" + ids[2], "user:" + ids[1]), registry.serving().stream()
                    .map(sv -> sv.surface() + ":" + sv.model().id()).toList());
            assertEquals("key:t", registry.serving().get(0).promotedBy());
            List<String> heard = new ArrayList<>();
            long end = System.currentTimeMillis() + 5000;
            while (heard.size() < 4 && System.currentTimeMillis() < end) {
                PGNotification[] ns = listener.unwrap(PGConnection.class).getNotifications(500);
                if (ns != null) for (PGNotification n : ns) heard.add(n.getParameter());
            }
            assertEquals(List.of("user", "similar", "user", "similar"), heard);
        }
        assertThrows(IllegalArgumentException.class, () -> registry.promote(ids[2], "homepage", null, TransactionStep.NONE));
    }

    @Test
    void aFailingCallerStepRollsTheChangeBack() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(1), 3);
        TransactionStep audit = c -> {
            try (Statement s = c.createStatement()) {
                s.execute("insert into audit_log (actor, action, subject) values ('key:t', 'test.step', 'x')");
            }
        };
        TransactionStep broken = c -> {
            throw new SQLException("audit unavailable");
        };
        assertThrows(RuntimeException.class, () -> queue.submit(DatasetFilter.ALL, "dnn", Map.of(), 1, "key:t", id -> broken));
        assertEquals(0, TestDatabase.count(db, "select count(*) from training_jobs"), "no job without its audit row");
        long id = queue.submit(DatasetFilter.ALL, "dnn", Map.of(), 1, "key:t", jobId -> audit);
        assertEquals("key:t", queue.find(id).orElseThrow().submittedBy());
        assertEquals(1, TestDatabase.count(db, "select count(*) from audit_log where action = 'test.step'"));

        assertThrows(RuntimeException.class, () -> queue.requestCancel(id, broken));
        assertEquals("queued", queue.find(id).orElseThrow().status());
        assertEquals(JobQueue.CancelOutcome.CANCELLED, queue.requestCancel(id, audit));
        assertEquals(2, TestDatabase.count(db, "select count(*) from audit_log where action = 'test.step'"));
        assertEquals(JobQueue.CancelOutcome.ALREADY_FINISHED, queue.requestCancel(id, audit));
        assertEquals(2, TestDatabase.count(db, "select count(*) from audit_log where action = 'test.step'"),
                "a cancel that changed nothing writes no audit row");

        queue.submit(DatasetFilter.ALL, "dnn", Map.of(), 1);
        ClaimedJob job = queue.claim("w").orElseThrow();
        long model = completion.complete(job, result(0.5), null, Map.of()).orElseThrow();
        assertThrows(RuntimeException.class, () -> registry.promote(model, broken));
        assertEquals("registered", registry.find(model).orElseThrow().status());
        assertEquals(Map.of("queued", 0L, "running", 0L, "succeeded", 1L, "failed", 0L, "cancelled", 1L),
                queue.countByStatus());
    }

    @Test
    void aJobStoresItsDatasetFilterAndTheClaimerReadsItBack() {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(1), 3);
        DatasetFilter f = new DatasetFilter(List.of("view", "purchase"), java.time.Instant.parse("2026-01-01T00:00:00Z"), null);
        long id = queue.submit(f, "dnn", Map.of("epochs", "3"), 5);
        assertEquals(Map.of("eventTypes", List.of("view", "purchase"), "from", "2026-01-01T00:00:00Z"),
                queue.find(id).orElseThrow().dataset());
        ClaimedJob job = queue.claim("w").orElseThrow();
        assertEquals(f, job.dataset());
        assertEquals(Map.of("epochs", "3"), job.hyperparameters());
    }
}
