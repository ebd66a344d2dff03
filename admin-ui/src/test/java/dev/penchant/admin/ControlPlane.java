package dev.penchant.admin;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The real control plane for the console's tests: the packaged platform-api (built before this
 * module) on an embedded PostgreSQL, in a JVM of its own; the console under test points at it.
 */
public class ControlPlane implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_KEY = "console-test-admin-key-0123456789abcdef";
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "console-test-password";
    static volatile String url;
    /** The control plane's database, for tests that write what another node would (an inference node's exposures). */
    static volatile String jdbcUrl;

    private EmbeddedPostgres pg;
    private Process api;
    private Process worker;

    @Override
    public Map<String, String> start() {
        try {
            pg = EmbeddedPostgres.builder().start();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path jar = Path.of("..", "platform-api", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
            if (!Files.exists(jar)) throw new IllegalStateException(jar + " missing: build platform-api first (-am)");
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx384m", "-jar", jar.toString());
            Map<String, String> env = pb.environment();
            env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pg.getPort() + "/postgres");
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            env.put("PENCHANT_AUTH_BOOTSTRAP_KEYS", ADMIN_KEY);
            env.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", ADMIN_PASSWORD);
            env.put("PENCHANT_PRIVACY_HASH_KEY", "admin-ui-it-privacy-hash-key");
            pb.redirectErrorStream(true).redirectOutput(Path.of("target", "control-plane.log").toFile());
            api = pb.start();
            url = "http://127.0.0.1:" + port;
            jdbcUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (true) {
                if (!api.isAlive()) throw new IllegalStateException("platform-api exited; see target/control-plane.log");
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) break;
                } catch (IOException e) {
                    // not up yet
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("platform-api not ready in 180 s");
                Thread.sleep(250);
            }
            startWorker(env);
            return Map.of("penchant.console.api-url", url);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A training worker on the same database, so a job launched in the browser trains for real; started
     * after platform-api has migrated the schema, not waited for (a job waits in the queue meanwhile).
     */
    private void startWorker(Map<String, String> apiEnv) throws IOException {
        Path jar = Path.of("..", "training-worker", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) throw new IllegalStateException(jar + " missing: build training-worker first (-am)");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx768m", "-Dorg.bytedeco.javacpp.cachedir=" + Path.of(System.getProperty("user.home"), ".cache", "penchant-javacpp"),
                "-jar", jar.toString());
        Map<String, String> env = pb.environment();
        for (String k : List.of("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME")) {
            env.put(k, apiEnv.get(k));
        }
        try (ServerSocket s = new ServerSocket(0)) {
            env.put("QUARKUS_HTTP_PORT", Integer.toString(s.getLocalPort()));
        }
        env.put("PENCHANT_WORKER_POLL_INTERVAL", "PT0.5S");
        env.put("PENCHANT_WORKER_HEARTBEAT_INTERVAL", "PT1S");
        pb.redirectErrorStream(true).redirectOutput(Path.of("target", "training-worker.log").toFile());
        worker = pb.start();
    }

    @Override
    public void stop() {
        if (worker != null) worker.destroy();
        if (api != null) api.destroy();
        try {
            if (api != null && !api.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) api.destroyForcibly();
            if (worker != null && !worker.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) worker.destroyForcibly();
            if (pg != null) pg.close();
        } catch (Exception ignored) {
            // going away
        }
    }
}
