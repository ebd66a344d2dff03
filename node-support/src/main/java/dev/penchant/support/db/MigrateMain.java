package dev.penchant.support.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import java.io.PrintStream;
import java.util.Map;

/**
 * Applies the schema migrations (db/migration, the migrations module) over JDBC and exits, so a
 * Kubernetes Job can migrate before the nodes roll out, from a packaged node's own class path:
 * {@code java -Djava.util.logging.manager=org.jboss.logmanager.LogManager
 * -cp "quarkus-app/lib/boot/*:quarkus-app/lib/main/*:quarkus-app/app/*" dev.penchant.support.db.MigrateMain}
 * (lib/main alone works too, with SLF4J warnings).
 * Reads the nodes' own variables (QUARKUS_DATASOURCE_JDBC_URL, _USERNAME, _PASSWORD). Exit 0 on
 * success; 1 when the migration fails, 2 when it is not configured, each with one line on stderr.
 * The nodes still migrate at start: Flyway's advisory lock lets both happen at once.
 */
public final class MigrateMain {
    static final String JDBC_URL = "QUARKUS_DATASOURCE_JDBC_URL";
    static final String USERNAME = "QUARKUS_DATASOURCE_USERNAME";
    static final String PASSWORD = "QUARKUS_DATASOURCE_PASSWORD";
    /** Connection attempts after the first; Flyway waits 1 s, 2 s, 4 s, ... (at most 120 s) between them. */
    static final String CONNECT_RETRIES = "PENCHANT_MIGRATE_CONNECT_RETRIES";
    static final int DEFAULT_CONNECT_RETRIES = 10;

    private MigrateMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv(), System.out, System.err));
    }

    static int run(Map<String, String> env, PrintStream out, PrintStream err) {
        String url = env.get(JDBC_URL);
        if (url == null || url.isBlank()) {
            err.println("migration not configured: " + JDBC_URL + " is not set");
            return 2;
        }
        int retries;
        try {
            retries = env.containsKey(CONNECT_RETRIES) ? Integer.parseInt(env.get(CONNECT_RETRIES).trim()) : DEFAULT_CONNECT_RETRIES;
        } catch (NumberFormatException e) {
            err.println("migration not configured: " + CONNECT_RETRIES + " is not a whole number");
            return 2;
        }
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(url, env.get(USERNAME), env.get(PASSWORD))
                    .locations("classpath:db/migration")
                    .connectRetries(retries)
                    .load()
                    .migrate();
            out.println("migrated " + redact(url) + ": " + result.migrationsExecuted + " migration(s) applied, schema at version "
                    + (result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion));
            return 0;
        } catch (RuntimeException e) {
            err.println("migration failed: " + redact(firstLine(e)));
            return 1;
        }
    }

    /** Flyway's messages run to a dozen lines of SQL state; the first says what went wrong. */
    private static String firstLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        for (String line : message.split("\\R")) {
            if (!line.isBlank()) return line.trim();
        }
        return e.getClass().getName();
    }

    /** A JDBC URL may carry the password as a parameter; it never reaches a log. */
    static String redact(String text) {
        return text.replaceAll("(?i)(password=)[^&;\\s)']*", "$1***");
    }
}
