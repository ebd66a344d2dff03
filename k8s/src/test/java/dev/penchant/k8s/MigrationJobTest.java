package dev.penchant.k8s;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The migration Job's container command, exactly as rendered for prod, run against a real
 * PostgreSQL from the packaged platform-api (its /deployments paths mapped to
 * platform-api/target/quarkus-app). Needs {@code ./mvnw package} of platform-api; skipped without it.
 * The database is the project's embedded PostgreSQL, started from the same packaged class path.
 */
class MigrationJobTest {
    private static final Path APP = Repo.node("platform-api").resolve("target/quarkus-app");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static Process database;
    private static Path dataDir;
    private static int port;

    @BeforeAll
    static void startDatabase() throws Exception {
        if (!Files.isRegularFile(APP.resolve("quarkus-run.jar"))) return;
        port = freePort();
        dataDir = Files.createTempDirectory("penchant-k8s-migrate");
        database = new ProcessBuilder(JAVA, "-cp", APP + "/lib/main/*:" + APP + "/app/*", "dev.penchant.support.db.EmbeddedDatabaseMain",
                String.valueOf(port), dataDir.resolve("pgdata").toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(database.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("embedded PostgreSQL ready")) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("embedded PostgreSQL did not start in 90 s");
        }
        if (line == null) throw new IllegalStateException("embedded PostgreSQL exited before it was ready");
        // keep draining its output so it never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // discard
                }
            } catch (IOException ignored) {
                // the process went away
            }
        }, "embedded-postgres-output");
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (database != null) {
            database.destroy(); // SIGTERM: its shutdown hook stops PostgreSQL
            if (!database.waitFor(30, TimeUnit.SECONDS)) database.destroyForcibly().waitFor();
        }
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void jobCommandMigratesThenFindsNothingToDoAndFailsInOneLine() throws Exception {
        assumeTrue(database != null, "platform-api is not packaged (./mvnw package): nothing to run the Job's command from");
        Map<String, Object> container = Manifests.list(
                ImageRecipeTest.find(Kustomize.render(Repo.overlay("prod")), "Job", "penchant-migrate"), "spec.template.spec.containers").get(0);
        @SuppressWarnings("unchecked")
        List<String> command = new ArrayList<>((List<String>) container.get("command"));
        assertEquals("java", command.get(0));
        command.set(0, JAVA);
        command.replaceAll(word -> word.replace("/deployments/", APP + "/"));
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : Manifests.list(container, "env")) {
            if (e.get("value") != null) env.put((String) e.get("name"), (String) e.get("value"));
        }
        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + port + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");

        Run first = run(command, env);
        assertEquals(0, first.exit, first.stderr);
        assertTrue(first.stdout.matches("migrated .*: [1-9]\\d* migration\\(s\\) applied, schema at version \\S+\\R"), first.stdout);
        assertEquals("", first.stderr);

        Run again = run(command, env);
        assertEquals(0, again.exit, again.stderr);
        assertTrue(again.stdout.contains(": 0 migration(s) applied"), again.stdout);

        env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + freePort() + "/postgres");
        env.put("PENCHANT_MIGRATE_CONNECT_RETRIES", "0");
        Run failed = run(command, env);
        assertEquals(1, failed.exit);
        assertEquals(1, failed.stderr.lines().count(), "one line, no logging noise: " + failed.stderr);
        assertTrue(failed.stderr.startsWith("migration failed: "), failed.stderr);
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(List<String> command, Map<String, String> env) throws Exception {
        Path err = Files.createTempFile("migrate", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("PENCHANT_") || k.equals("JAVA_TOOL_OPTIONS"));
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("the migration did not finish in 120 s");
            }
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
