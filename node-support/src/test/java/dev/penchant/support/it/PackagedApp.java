package dev.penchant.support.it;

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
 * A packaged node (its quarkus-app directory; by default this module's target/quarkus-app) in a JVM of
 * its own, as the integration and system tests run it: the prod profile unless the environment says
 * otherwise, output to target/NAME.log. Shared through node-support's test-jar.
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

    static final Path OWN_APP = Path.of("target", "quarkus-app");

    /** Starts this module's app and waits until /q/health/ready answers 200. */
    public static PackagedApp start(String name, Map<String, String> env) throws Exception {
        return start(OWN_APP, name, env);
    }

    /** Starts the app in appDir (a quarkus-app directory) and waits until it is ready. */
    public static PackagedApp start(Path appDir, String name, Map<String, String> env) throws Exception {
        return launch(appDir, name, env).awaitReady(Duration.ofSeconds(180));
    }

    /** Waits until /q/health/ready answers 200 (so several apps can be launched first and start together). */
    public PackagedApp awaitReady(Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        String name = log.getFileName().toString();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError(name + " exited early: " + output());
            try {
                if (get("/q/health/ready", null).statusCode() == 200) return this;
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        close();
        throw new AssertionError(name + " not ready within " + max + "; see " + log);
    }

    /** Starts it and waits for it to exit (a start that must fail); returns the exit status. */
    public static int runToExit(String name, Map<String, String> env, Duration max) throws Exception {
        try (PackagedApp app = launch(OWN_APP, name, env)) {
            if (!app.process.waitFor(max.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + max + ": " + app.output());
            }
            return app.process.exitValue();
        }
    }

    /**
     * Starts the process without waiting. env may hold JAVA_HEAP (default 384m) for -Xmx; the rest
     * goes to the app's environment.
     */
    public static PackagedApp launch(Path appDir, String name, Map<String, String> env) throws IOException {
        Path jar = appDir.resolve("quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) throw new AssertionError(jar + " missing: the ITs run after package");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        int port = env.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : freePort();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + env.getOrDefault("JAVA_HEAP", "384m"),
                "-jar", jar.toString());
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        pb.environment().remove("JAVA_HEAP");
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

    /** SIGKILL (destroyForcibly on Linux): no shutdown hooks, no graceful hand-back. */
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
