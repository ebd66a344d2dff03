package dev.penchant.support.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * With no datasource URL configured, supplies the URLs of an embedded PostgreSQL, so a node runs on
 * a machine with only a JDK. The server starts lazily, on the first read of a URL, so builds that
 * only list property names start nothing. Any configured URL (application.properties, env, -D)
 * turns this off, as does penchant.embedded-db.enabled=false.
 *
 * <p>The embedded server is for local runs and tests: in the prod profile (what {@code java -jar
 * quarkus-run.jar} runs) a node without a URL refuses to start and says which setting to give.
 */
public class EmbeddedDatabaseConfigSourceFactory implements ConfigSourceFactory {
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String NO_DATABASE_IN_PROD = "No database configured: set quarkus.datasource.jdbc.url and "
            + "quarkus.datasource.reactive.url (env QUARKUS_DATASOURCE_JDBC_URL, QUARKUS_DATASOURCE_REACTIVE_URL) and "
            + "quarkus.datasource.username; the embedded PostgreSQL runs only outside the prod profile "
            + "(for a local try: QUARKUS_PROFILE=dev, or ./penchant up)";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, JDBC_URL) || isSet(context, REACTIVE_URL)) return List.of();
        if (context.getProfiles().contains("prod") && !buildingInProd()) {
            throw new IllegalStateException(NO_DATABASE_IN_PROD);
        }
        ConfigValue enabled = context.getValue("penchant.embedded-db.enabled");
        if (enabled != null && enabled.getValue() != null && !Boolean.parseBoolean(enabled.getValue())) {
            return List.of();
        }
        int port = intValue(context, "penchant.embedded-db.port", 0);
        ConfigValue dir = context.getValue("penchant.embedded-db.data-dir");
        Path dataDir = dir == null || dir.getValue() == null || dir.getValue().isBlank() ? null : Path.of(dir.getValue());
        return List.of(new LazySource(port, dataDir));
    }

    /** The build runs in the prod profile too (augmentation, the Maven plugin's code generation). */
    private static boolean buildingInProd() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().startsWith("io.quarkus.deployment.") || f.getClassName().startsWith("io.quarkus.maven.")));
    }

    private static boolean isSet(ConfigSourceContext context, String key) {
        ConfigValue v = context.getValue(key);
        return v != null && v.getValue() != null && !v.getValue().isBlank();
    }

    private static int intValue(ConfigSourceContext context, String key, int fallback) {
        ConfigValue v = context.getValue(key);
        return v == null || v.getValue() == null ? fallback : Integer.parseInt(v.getValue().trim());
    }

    /** Below application.properties (250) and env (300): anything configured wins. */
    private static final class LazySource implements ConfigSource {
        private final int port;
        private final Path dataDir;

        LazySource(int port, Path dataDir) {
            this.port = port;
            this.dataDir = dataDir;
        }

        @Override
        public Set<String> getPropertyNames() {
            return Set.of(JDBC_URL, REACTIVE_URL, USERNAME);
        }

        @Override
        public Map<String, String> getProperties() {
            // listing properties must not start a server; only real reads do
            return Map.of();
        }

        @Override
        public String getValue(String name) {
            // The build (augmentation) reads runtime config too; a server started then would only
            // leak. Runtime reads never come from deployment code.
            if (readByBuild()) return null;
            return switch (name) {
                case JDBC_URL -> EmbeddedDatabase.start(port, dataDir).jdbcUrl();
                case REACTIVE_URL -> EmbeddedDatabase.start(port, dataDir).reactiveUrl();
                case USERNAME -> EmbeddedDatabase.USER;
                default -> null;
            };
        }

        private static boolean readByBuild() {
            return StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getClassName().equals("io.quarkus.deployment.QuarkusAugmentor")));
        }

        @Override
        public int getOrdinal() {
            return 120;
        }

        @Override
        public String getName() {
            return "penchant-embedded-postgresql";
        }
    }
}
