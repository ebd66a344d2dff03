package dev.penchant.support.db;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The migration entry point of the Kubernetes Job, against a real (embedded) PostgreSQL. */
class MigrateMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void migratesOnceThenFindsNothingToDo() throws Exception {
        EmbeddedDatabase db = EmbeddedDatabase.start(0, null);
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), EmbeddedDatabase.USER, null)) {
            c.createStatement().execute("create database migrate_main_test");
        }
        String testUrl = "jdbc:postgresql://localhost:" + db.port() + "/migrate_main_test";
        Map<String, String> env = Map.of(MigrateMain.JDBC_URL, testUrl, MigrateMain.USERNAME, EmbeddedDatabase.USER);

        assertEquals(0, MigrateMain.run(env, print(out), print(err)), text(err));
        String first = text(out);
        assertTrue(first.matches("migrated .*: [1-9]\\d* migration\\(s\\) applied, schema at version \\S+\\R"), first);

        try (Connection c = DriverManager.getConnection(testUrl, EmbeddedDatabase.USER, null);
             ResultSet rs = c.createStatement().executeQuery("select count(*) from flyway_schema_history where success")) {
            rs.next();
            assertTrue(rs.getInt(1) > 0);
            // the tables the nodes use exist
            c.createStatement().executeQuery("select count(*) from events").close();
        }

        out.reset();
        assertEquals(0, MigrateMain.run(env, print(out), print(err)), text(err));
        assertTrue(text(out).contains(": 0 migration(s) applied"), text(out));
    }

    @Test
    void unreachableDatabaseFailsWithOneLine() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> env = Map.of(
                MigrateMain.JDBC_URL, "jdbc:postgresql://127.0.0.1:" + closedPort + "/penchant?password=hunter2",
                MigrateMain.CONNECT_RETRIES, "0");
        assertEquals(1, MigrateMain.run(env, print(out), print(err)));
        String message = text(err);
        assertTrue(message.startsWith("migration failed: "), message);
        assertEquals(1, message.lines().count(), message);
        assertFalse(message.contains("hunter2"), message);
        assertEquals("", text(out));
    }

    @Test
    void missingUrlIsAConfigurationError() {
        assertEquals(2, MigrateMain.run(Map.of(), print(out), print(err)));
        assertEquals("migration not configured: QUARKUS_DATASOURCE_JDBC_URL is not set", text(err).strip());
        err.reset();
        assertEquals(2, MigrateMain.run(Map.of(MigrateMain.JDBC_URL, "jdbc:postgresql://x/y", MigrateMain.CONNECT_RETRIES, "many"),
                print(out), print(err)));
        assertEquals(1, text(err).lines().count());
    }

    private static PrintStream print(ByteArrayOutputStream buffer) {
        return new PrintStream(buffer, true, StandardCharsets.UTF_8);
    }

    private static String text(ByteArrayOutputStream buffer) {
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
