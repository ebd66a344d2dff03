package dev.penchant.api.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged platform-api (target/quarkus-app) in a JVM of its own, as the integration tests run
 * it: the prod profile unless the environment says otherwise, output to target/NAME.log.
 */
public final class PackagedApp implements AutoCloseable {
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final Process process;
    public final int port;
    public final Path log;

    private PackagedApp(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The privacy hash key the ITs' installations use (prod requires one). */
    public static final String PRIVACY_HASH_KEY = "it-privacy-hash-key-0123456789";

    /** Datasource environment for a database of the given embedded server (with the privacy hash key prod requires). */
    public static Map<String, String> database(int pgPort, String database) {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pgPort + "/" + database,
                "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pgPort + "/" + database,
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "PENCHANT_PRIVACY_HASH_KEY", PRIVACY_HASH_KEY);
    }

    /** Starts it and waits until /q/health/ready answers 200. */
    public static PackagedApp start(String name, Map<String, String> env) throws Exception {
        PackagedApp app = launch(name, env);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < deadline) {
            if (!app.process.isAlive()) throw new AssertionError(name + " exited early: " + app.output());
            try {
                if (app.get("/q/health/ready", null).statusCode() == 200) return app;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        app.close();
        throw new AssertionError(name + " not ready within 180 s; see " + app.log);
    }

    /** Starts it and waits for it to exit (a start that must fail); returns the exit status. */
    public static int runToExit(String name, Map<String, String> env, Duration max) throws Exception {
        try (PackagedApp app = launch(name, env)) {
            if (!app.process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + max + ": " + app.output());
            }
            return app.process.exitValue();
        }
    }

    private static PackagedApp launch(String name, Map<String, String> env) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) throw new AssertionError(jar + " missing: the ITs run after package");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : freePort();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        Path log = Path.of("target", name + ".log").toAbsolutePath();
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return new PackagedApp(pb.start(), port, log);
    }

    public HttpResponse<String> get(String path, String apiKey) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10));
        if (apiKey != null) b.header("X-API-Key", apiKey);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> send(String method, String path, String apiKey, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").method(method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (apiKey != null) b.header("X-API-Key", apiKey);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

}
