package dev.penchant.training.jobs;

import dev.penchant.training.artifacts.PostgresArtifactStore;
import dev.penchant.training.queue.DatasetFilter;
import dev.penchant.training.queue.JobQueue;
import dev.penchant.training.registry.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real training run through the queue: generated events in the platform's tables, a job queued
 * (as platform-api queues it), a worker with the core's pipeline, TensorFlow and evaluator, the
 * registered model's metrics against popularity's from the same evaluator, the artifact.
 */
@QuarkusTest
class PlatformTrainingTest {
    static final int USERS = 400;
    static final int ITEMS = 240;
    static final int CLUSTERS = 8;
    static final int EVENTS_PER_USER = 25;

    @Inject
    AgroalDataSource db;
    @Inject
    WorkerLifecycle lifecycle;

    @BeforeEach
    void clean() throws Exception {
        TestSupport.clean(db);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate events, event_keys, users, items");
        }
    }

    @Test
    void dnnTrainedThroughTheQueueBeatsPopularityAndIsRegisteredWithItsArtifact() throws Exception {
        int loaded = loadClusteredEvents(11);
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(30), 3);
        ModelRegistry registry = new ModelRegistry(db);
        long id = queue.submit(DatasetFilter.ALL, "dnn", Map.of("epochs", "8", "dim", "32", "hidden", "64",
                "negatives", "64", "window", "20", "patience", "3", "deterministic", "true",
                "baselines", "popularity"), 7);

        long t0 = System.nanoTime();
        // the production wiring (CoreJobTrainer, JobCompletion, detected device), started under its own name
        try (TrainingWorker worker = lifecycle.newWorker(queue, "e2e")) {
            worker.start();
            TestSupport.await("training job", Duration.ofSeconds(150), () -> {
                JobQueue.JobView j = queue.find(id).orElseThrow();
                if (j.status().equals("failed")) throw new AssertionError("job failed: " + j.error());
                return j.status().equals("succeeded");
            });
        }
        System.out.printf("training job took %.1f s%n", (System.nanoTime() - t0) / 1e9);

        JobQueue.JobView job = queue.find(id).orElseThrow();
        // heartbeats wrote the learning curve and the last progress
        assertTrue(job.epochs().size() >= 1, "epochs were recorded");
        assertTrue(job.epochs().get(0).loss() > 0, "loss recorded");
        assertEquals("done", job.progress().get("stage"));
        assertTrue(((Number) job.progress().get("epoch")).intValue() >= 1);
        assertEquals(lifecycle.device(), job.report().get("device"));
        assertTrue(lifecycle.device().matches("cpu|gpu"), lifecycle.device());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) job.report().get("results");
        double popularity = metric(results, "popularity", "sampled-100", "test", "HR@10");

        ModelRegistry.ModelView model = registry.find(job.modelId()).orElseThrow();
        double dnn = ((Number) model.metrics().get("sampled-100/test/HR@10")).doubleValue();
        System.out.printf("HR@10 (sampled-100, test): dnn %.3f, popularity %.3f%n", dnn, popularity);
        assertEquals(dnn, metric(results, "dnn", "sampled-100", "test", "HR@10"), 1e-6);
        assertTrue(dnn >= popularity + 0.2, "dnn " + dnn + " should be well above popularity " + popularity);
        // view events carry no value: nothing for the point-wise metrics (a null read as 0.0 would feed them)
        assertTrue(model.metrics().keySet().stream().noneMatch(k -> k.startsWith("pointwise/")), model.metrics().keySet().toString());
        assertEquals("dnn", model.name());
        assertEquals(1, model.version());
        assertEquals(loaded, ((Number) model.dataSnapshot().get("events")).intValue());
        assertEquals("platform", model.dataSnapshot().get("source"));
        assertEquals(32, ((Number) model.hyperparameters().get("dim")).intValue());

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        assertTrue(new PostgresArtifactStore(db).copyTo(model.artifactId(), out));
        byte[] zip = out.toByteArray();
        assertEquals(model.artifactSha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip)));
        Set<String> entries = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) entries.add(e.getName());
        }
        assertTrue(entries.contains("model.json") && entries.contains("saved_model.pb"), entries.toString());
    }

    @Test
    void ratedEventsTrainThePointwiseHeadsAndEveryEpochRecordsItsLoss() throws Exception {
        loadClusteredEvents(13, true);
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(30), 3);
        long id = queue.submit(DatasetFilter.ALL, "dnn", Map.of("epochs", "4", "dim", "16", "hidden", "32",
                "negatives", "32", "window", "10", "deterministic", "true", "baselines", "none"), 7);
        try (TrainingWorker worker = lifecycle.newWorker(queue, "rated")) {
            worker.start();
            TestSupport.await("training job", Duration.ofSeconds(150), () -> {
                JobQueue.JobView j = queue.find(id).orElseThrow();
                if (j.status().equals("failed")) throw new AssertionError("job failed: " + j.error());
                return j.status().equals("succeeded");
            });
        }
        JobQueue.JobView job = queue.find(id).orElseThrow();
        // the console draws these: a null loss (a non-finite mean) would leave its curve empty
        assertTrue(job.epochs().size() >= 1, "epochs were recorded");
        for (var e : job.epochs()) assertTrue(e.loss() != null && e.loss() > 0, "epoch " + e.epoch() + " loss " + e.loss());
        ModelRegistry.ModelView model = new ModelRegistry(db).find(job.modelId()).orElseThrow();
        assertTrue(model.metrics().keySet().stream().anyMatch(k -> k.startsWith("pointwise/")), model.metrics().keySet().toString());
    }

    @Test
    void aFilteredDatasetTrainsOnItsEventsAndAFailureIsOneLineForClients() throws Exception {
        loadClusteredEvents(5);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("update events set type = 'purchase' where event_id like 'e1%'");
        }
        JobQueue queue = new JobQueue(db, Duration.ofSeconds(30), 3);
        long purchases = TestSupport.count(db, "select count(*) from events where type = 'purchase'");
        long id = queue.submit(new DatasetFilter(List.of("purchase"), null, null), "popularity",
                Map.of("baselines", "popularity"), 3);
        // a window with no events at all: the run fails, and clients see one line, not a stack trace
        long empty = queue.submit(new DatasetFilter(null, Instant.parse("2001-01-01T00:00:00Z"),
                Instant.parse("2001-01-02T00:00:00Z")), "popularity", Map.of(), 3);
        try (TrainingWorker worker = lifecycle.newWorker(queue, "filtered")) {
            worker.start();
            TestSupport.await("both jobs", Duration.ofSeconds(60), () -> {
                String a = queue.find(id).orElseThrow().status(), b = queue.find(empty).orElseThrow().status();
                return (a.equals("succeeded") || a.equals("failed")) && (b.equals("succeeded") || b.equals("failed"));
            });
        }
        JobQueue.JobView job = queue.find(id).orElseThrow();
        assertEquals("succeeded", job.status(), job.error());
        ModelRegistry.ModelView model = new ModelRegistry(db).find(job.modelId()).orElseThrow();
        assertEquals(purchases, ((Number) model.dataSnapshot().get("events")).longValue());
        assertEquals(Map.of("eventTypes", List.of("purchase")), model.dataSnapshot().get("filter"));

        JobQueue.JobView failed = queue.find(empty).orElseThrow();
        assertEquals("failed", failed.status());
        assertTrue(failed.error().startsWith("training failed: ") && failed.error().contains("(reference "), failed.error());
        assertTrue(!failed.error().contains("\n") && !failed.error().contains("\tat "), failed.error());
    }

    static double metric(List<Map<String, Object>> results, String model, String protocol, String split, String name) {
        for (Map<String, Object> r : results) {
            if (model.equals(r.get("model")) && protocol.equals(r.get("protocol")) && split.equals(r.get("split"))) {
                return ((Number) ((Map<?, ?>) r.get("metrics")).get(name)).doubleValue();
            }
        }
        throw new AssertionError("no " + model + " " + protocol + " " + split + " in " + results);
    }

    /**
     * Users each belong to one of CLUSTERS taste groups and mostly pick items of their group, the rest
     * from a few globally popular items: a model that reads history ranks the group's items first,
     * popularity cannot. Loaded with COPY, the way a bulk import would.
     */
    int loadClusteredEvents(long seed) throws Exception {
        return loadClusteredEvents(seed, false);
    }

    /** As above; rated: 'rating' events with a value (the group's items 4-5, the others 1-3). */
    int loadClusteredEvents(long seed, boolean rated) throws Exception {
        Random rnd = new Random(seed);
        int perCluster = ITEMS / CLUSTERS;
        StringBuilder csv = new StringBuilder();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        int n = 0;
        for (int u = 0; u < USERS; u++) {
            int cluster = u % CLUSTERS;
            Instant t = start.plusSeconds(rnd.nextInt(86_400 * 20));
            for (int k = 0; k < EVENTS_PER_USER; k++) {
                boolean own = rnd.nextDouble() < 0.85;
                int item = own
                        ? cluster * perCluster + (int) Math.floor(Math.pow(rnd.nextDouble(), 1.5) * perCluster)
                        : rnd.nextInt(10) * perCluster; // a few items every group sees
                t = t.plusSeconds(60 + rnd.nextInt(3600));
                String typeAndValue = rated ? "rating," + (own ? 4 + rnd.nextInt(2) : 1 + rnd.nextInt(3)) : "view,";
                csv.append("e").append(n++).append(",u").append(u).append(",i").append(item).append(',')
                        .append(typeAndValue).append(',').append(t).append('\n');
            }
        }
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select ensure_event_partitions(?::timestamptz[])")) {
                ps.setArray(1, c.createArrayOf("timestamptz", new Object[]{java.sql.Timestamp.from(start),
                        java.sql.Timestamp.from(start.plus(Duration.ofDays(40)))}));
                ps.executeQuery().close();
            }
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy events (event_id, user_id, item_id, type, value, occurred_at) from stdin with (format csv)",
                    new StringReader(csv.toString()));
        }
        return n;
    }
}
