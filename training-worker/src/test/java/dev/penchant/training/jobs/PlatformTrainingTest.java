package dev.penchant.training.jobs;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real training run through the queue: generated events in the platform's tables, a job submitted
 * over REST, a worker with the core's pipeline, TensorFlow and evaluator, the registered model's
 * metrics against popularity's from the same evaluator, the artifact, promotion.
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
    JobCompletion completion;
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
        long id = given().header("X-API-Key", "test-key").contentType(ContentType.JSON)
                .body(Map.of("modelType", "dnn", "dataset", "platform", "seed", 7, "hyperparameters",
                        Map.of("epochs", 8, "dim", 32, "hidden", "64", "negatives", 64, "window", 20,
                                "patience", 3, "deterministic", true, "baselines", "popularity")))
                .post("/v1/training-jobs").then().statusCode(201).extract().jsonPath().getLong("id");

        long t0 = System.nanoTime();
        // the production wiring (CoreJobTrainer, JobCompletion, detected device), started under its own name
        try (TrainingWorker worker = lifecycle.newWorker(new JobQueue(db, Duration.ofSeconds(30), 3), "e2e")) {
            worker.start();
            TestSupport.await("training job", Duration.ofSeconds(150), () -> {
                String s = given().header("X-API-Key", "test-key").get("/v1/training-jobs/" + id).jsonPath().getString("status");
                if (s.equals("failed")) throw new AssertionError("job failed: " + given().header("X-API-Key", "test-key")
                        .get("/v1/training-jobs/" + id).jsonPath().getString("error"));
                return s.equals("succeeded");
            });
        }
        System.out.printf("training job took %.1f s%n", (System.nanoTime() - t0) / 1e9);

        Response job = given().header("X-API-Key", "test-key").get("/v1/training-jobs/" + id);
        job.then().statusCode(200);
        // heartbeats wrote the learning curve and the last progress
        assertTrue(job.jsonPath().getList("epochs").size() >= 1, "epochs were recorded");
        assertTrue(job.jsonPath().getDouble("epochs[0].loss") > 0, "loss recorded");
        assertEquals("done", job.jsonPath().getString("progress.stage"));
        assertTrue(job.jsonPath().getInt("progress.epoch") >= 1);
        assertEquals(lifecycle.device(), job.jsonPath().getString("report.device"));
        assertTrue(lifecycle.device().matches("cpu|gpu"), lifecycle.device());
        List<Map<String, Object>> results = job.jsonPath().getList("report.results");
        double popularity = metric(results, "popularity", "sampled-100", "test", "HR@10");
        long modelId = job.jsonPath().getLong("modelId");

        Response model = given().header("X-API-Key", "test-key").get("/v1/models/" + modelId);
        model.then().statusCode(200);
        double dnn = model.jsonPath().getDouble("metrics.'sampled-100/test/HR@10'");
        System.out.printf("HR@10 (sampled-100, test): dnn %.3f, popularity %.3f%n", dnn, popularity);
        assertEquals(dnn, metric(results, "dnn", "sampled-100", "test", "HR@10"), 1e-6);
        assertTrue(dnn >= popularity + 0.2, "dnn " + dnn + " should be well above popularity " + popularity);
        // view events carry no value: nothing for the point-wise metrics (a null read as 0.0 would feed them)
        assertTrue(model.jsonPath().getMap("metrics").keySet().stream().noneMatch(k -> k.toString().startsWith("pointwise/")),
                model.jsonPath().getMap("metrics").keySet().toString());
        assertEquals("dnn", model.jsonPath().getString("name"));
        assertEquals(1, model.jsonPath().getInt("version"));
        assertEquals(loaded, model.jsonPath().getLong("dataSnapshot.events"));
        assertEquals("platform", model.jsonPath().getString("dataSnapshot.source"));
        assertEquals(32, model.jsonPath().getInt("hyperparameters.dim"));

        byte[] zip = given().header("X-API-Key", "test-key").get("/v1/models/" + modelId + "/artifact")
                .then().statusCode(200).contentType("application/zip").extract().asByteArray();
        assertEquals(model.jsonPath().getString("artifactSha256"),
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(zip)));
        Set<String> entries = new HashSet<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) entries.add(e.getName());
        }
        assertTrue(entries.contains("model.json") && entries.contains("saved_model.pb"), entries.toString());
    }

    @Test
    void fileDataSetJobRegistersABaselineWithFileLineage() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("penchant-file-ds");
        java.nio.file.Path file = dir.resolve("seq.txt");
        StringBuilder lines = new StringBuilder();
        Random rnd = new Random(3);
        for (int u = 0; u < 60; u++) for (int k = 0; k < 8; k++) lines.append(u).append(' ').append(rnd.nextInt(40)).append('\n');
        java.nio.file.Files.writeString(file, lines);
        long id = given().header("X-API-Key", "test-key").contentType(ContentType.JSON)
                .body(Map.of("modelType", "transition", "dataset", "file:" + file + "#user-item",
                        "hyperparameters", Map.of("baselines", "popularity")))
                .post("/v1/training-jobs").then().statusCode(201).extract().jsonPath().getLong("id");
        try (TrainingWorker worker = lifecycle.newWorker(new JobQueue(db, Duration.ofSeconds(30), 3), "file-worker")) {
            worker.start();
            TestSupport.await("file job", Duration.ofSeconds(60), TestSupport.status(db, id, "succeeded"));
        }
        Response model = given().header("X-API-Key", "test-key").get("/v1/models?name=transition");
        assertEquals("file", model.jsonPath().getString("[0].dataSnapshot.source"));
        assertEquals("user-item", model.jsonPath().getString("[0].dataSnapshot.format"));
        assertEquals(480, model.jsonPath().getInt("[0].dataSnapshot.interactions"));
        assertTrue(model.jsonPath().getDouble("[0].metrics.'sampled-100/test/HR@10'") > 0);
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
        Random rnd = new Random(seed);
        int perCluster = ITEMS / CLUSTERS;
        StringBuilder csv = new StringBuilder();
        Instant start = Instant.parse("2026-01-05T00:00:00Z");
        int n = 0;
        for (int u = 0; u < USERS; u++) {
            int cluster = u % CLUSTERS;
            Instant t = start.plusSeconds(rnd.nextInt(86_400 * 20));
            for (int k = 0; k < EVENTS_PER_USER; k++) {
                int item = rnd.nextDouble() < 0.85
                        ? cluster * perCluster + (int) Math.floor(Math.pow(rnd.nextDouble(), 1.5) * perCluster)
                        : rnd.nextInt(10) * perCluster; // a few items every group sees
                t = t.plusSeconds(60 + rnd.nextInt(3600));
                csv.append("e").append(n++).append(",u").append(u).append(",i").append(item).append(",view,,")
                        .append(t).append('\n');
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
