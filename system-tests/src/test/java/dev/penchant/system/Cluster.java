package dev.penchant.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.support.it.PackagedApp;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The processes of a small deployment on this machine: one PostgreSQL (its own server process, on a
 * fixed port and data directory, so it can be stopped and started again on the same data), the
 * packaged platform-api, inference nodes and training workers, each a JVM of its own.
 */
final class Cluster implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The prod profile wants configured keys of at least 32 characters. */
    static final String KEY = "system-test-admin-key-0123456789abcdef";
    /** The worker's lease (heartbeat timeout) in these tests; the default is PT60S. */
    static final Duration LEASE = Duration.ofSeconds(5);

    final Path root = Path.of(System.getProperty("penchant.root", "..")).toAbsolutePath().normalize();
    final Path pgData = Path.of("target", "system-pgdata").toAbsolutePath();
    final int pgPort;
    EmbeddedPostgres pg;
    PackagedApp api;
    final List<PackagedApp> inference = new ArrayList<>();
    final List<PackagedApp> workers = new ArrayList<>();
    final List<String> workerIds = new ArrayList<>();

    Cluster() throws IOException {
        pgPort = PackagedApp.freePort();
        deleteTree(pgData);
    }

    /** Starts (or restarts, on the same data) the PostgreSQL server. */
    void startDatabase() throws IOException {
        pg = EmbeddedPostgres.builder().setPort(pgPort).setDataDirectory(pgData).setCleanDataDirectory(false)
                .setServerConfig("max_connections", "200").setPGStartupWait(Duration.ofSeconds(60)).start();
    }

    /** pg_ctl stop -m fast: open connections are terminated (57P01), the data stays. */
    void stopDatabase() throws IOException {
        pg.close();
        pg = null;
    }

    Connection jdbc() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + pgPort + "/postgres", "postgres", "");
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(PackagedApp.database(pgPort, "postgres"));
        env.put("PENCHANT_AUTH_BOOTSTRAP_KEYS", KEY);
        env.put("QUARKUS_LOG_CONSOLE_FORMAT", "%d{HH:mm:ss,SSS} %-5p [%c{2.}] %s%e%n");
        return env;
    }

    Path app(String module) {
        return root.resolve(module).resolve("target").resolve("quarkus-app");
    }

    static final Duration START = Duration.ofSeconds(400);

    /** Launches platform-api and the nodes together (they start in parallel); waits for the api only. */
    void launch(int inferenceNodes, int trainingWorkers) throws Exception {
        Map<String, String> apiEnv = nodeEnv();
        apiEnv.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "system-test-password");
        api = PackagedApp.launch(app("platform-api"), "system-api", apiEnv);
        for (int i = 0; i < inferenceNodes; i++) {
            Map<String, String> env = nodeEnv();
            // the events arrive after the nodes start: refresh the trending list and catalogue copy soon
            env.put("PENCHANT_SERVING_TRENDING_REFRESH_INTERVAL", "PT5S");
            env.put("PENCHANT_SERVING_CATALOG_REFRESH_INTERVAL", "PT5S");
            PackagedApp a = PackagedApp.launch(app("inference-node"), "system-inference-" + (i + 1), env);
            inference.add(a);
        }
        for (int i = 0; i < trainingWorkers; i++) {
            String id = "worker-" + (i + 1);
            Map<String, String> env = nodeEnv();
            env.put("PENCHANT_WORKER_WORKER_ID", id);
            env.put("PENCHANT_WORKER_POLL_INTERVAL", "PT0.5S");
            env.put("PENCHANT_WORKER_HEARTBEAT_INTERVAL", "PT1S");
            env.put("PENCHANT_WORKER_HEARTBEAT_TIMEOUT", LEASE.toString());
            env.put("JAVA_HEAP", "512m");
            PackagedApp a = PackagedApp.launch(app("training-worker"), "system-" + id, env);
            workers.add(a);
            workerIds.add(id);
        }
        api.awaitReady(START);
    }

    void awaitNodes() throws Exception {
        for (PackagedApp a : inference) a.awaitReady(START);
        for (PackagedApp a : workers) a.awaitReady(START);
    }

    /**
     * Five JVMs starting at once on a small machine: a node's first JDBC connection (Flyway) may
     * wait longer than the default 5 s, which would fail its start. A refused connection still fails
     * at once, so this does not slow the 503s of an outage.
     */
    Map<String, String> nodeEnv() {
        Map<String, String> env = env();
        env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "PT60S");
        return env;
    }

    JsonNode json(HttpResponse<String> r, int expected) throws IOException {
        if (r.statusCode() != expected) throw new AssertionError("HTTP " + r.statusCode() + " (expected " + expected + "): " + r.body());
        return JSON.readTree(r.body());
    }

    JsonNode apiGet(String path) throws Exception {
        return json(api.get(path, KEY), 200);
    }

    JsonNode apiSend(String method, String path, Object body, int expected) throws Exception {
        return json(api.send(method, path, KEY, body == null ? null : JSON.writeValueAsString(body)), expected);
    }

    static void await(String what, Duration max, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + max);
            Thread.sleep(100);
        }
    }

    @Override
    public void close() throws IOException {
        for (PackagedApp a : inference) a.close();
        for (PackagedApp a : workers) a.close();
        if (api != null) api.close();
        if (pg != null) pg.close();
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
