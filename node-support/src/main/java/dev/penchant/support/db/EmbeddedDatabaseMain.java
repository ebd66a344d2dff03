package dev.penchant.support.db;

import java.nio.file.Path;

/**
 * Runs the embedded PostgreSQL as its own process, so the local launcher can point every node at
 * one shared server: {@code EmbeddedDatabaseMain <port> <data-dir>}. Stops on SIGTERM.
 */
public final class EmbeddedDatabaseMain {
    private EmbeddedDatabaseMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 54329;
        Path dataDir = args.length > 1 ? Path.of(args[1]) : Path.of(".penchant", "pgdata");
        EmbeddedDatabase db = EmbeddedDatabase.start(port, dataDir.toAbsolutePath());
        System.out.println("embedded PostgreSQL ready: " + db.jdbcUrl() + " (user postgres, data in " + dataDir + ")");
        Thread.currentThread().join();
    }
}
