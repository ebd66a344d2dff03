package dev.penchant.api.it;

import dev.penchant.support.it.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged app in the prod profile (what `java -jar quarkus-run.jar` runs): no embedded database,
 * no short configured keys, a console password required, and a random admin key per installation.
 */
class ProdProfileIT {
    EmbeddedPostgres pg;

    @BeforeEach
    void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        pg.close();
    }

    Map<String, String> freshDatabase(String name) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return new HashMap<>(PackagedApp.database(pg.getPort(), name));
    }

    @Test
    void withoutADatasourceUrlTheNodeRefusesToStartAndNamesTheSetting() throws Exception {
        assertNotEquals(0, PackagedApp.runToExit("prod-no-url", Map.of(), Duration.ofSeconds(90)));
        String out = Files.readString(java.nio.file.Path.of("target", "prod-no-url.log"));
        assertTrue(out.contains("quarkus.datasource.jdbc.url") && out.contains("QUARKUS_DATASOURCE_JDBC_URL"), out);
        assertTrue(!out.contains("embedded PostgreSQL ready") && !out.contains("Listening on"), out);
    }

    @Test
    void aShortConfiguredKeyOrAMissingConsolePasswordFailsTheStart() throws Exception {
        Map<String, String> env = freshDatabase("prod_short_key");
        env.put("PENCHANT_AUTH_BOOTSTRAP_KEYS", "demo-key");
        env.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "a-long-enough-password");
        assertNotEquals(0, PackagedApp.runToExit("prod-short-key", env, Duration.ofSeconds(90)));
        assertTrue(Files.readString(java.nio.file.Path.of("target", "prod-short-key.log")).contains("penchant.auth.bootstrap-keys"));

        Map<String, String> noPassword = freshDatabase("prod_no_password");
        assertNotEquals(0, PackagedApp.runToExit("prod-no-password", noPassword, Duration.ofSeconds(90)));
        assertTrue(Files.readString(java.nio.file.Path.of("target", "prod-no-password.log")).contains("penchant.console.admin-password"));

        Map<String, String> noHashKey = freshDatabase("prod_no_hash_key");
        noHashKey.remove("PENCHANT_PRIVACY_HASH_KEY");
        noHashKey.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "a-long-enough-password");
        assertNotEquals(0, PackagedApp.runToExit("prod-no-hash-key", noHashKey, Duration.ofSeconds(90)));
        assertTrue(Files.readString(java.nio.file.Path.of("target", "prod-no-hash-key.log")).contains("penchant.privacy.hash-key"));

        Map<String, String> shortPassword = freshDatabase("prod_short_password");
        shortPassword.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "short");
        assertNotEquals(0, PackagedApp.runToExit("prod-short-password", shortPassword, Duration.ofSeconds(90)));
        assertTrue(Files.readString(java.nio.file.Path.of("target", "prod-short-password.log")).contains("at least 12 characters"));
    }

    @Test
    void aFreshInstallationGeneratesItsAdminKeyAndNoWellKnownKeyWorks() throws Exception {
        Map<String, String> env = freshDatabase("prod_fresh");
        env.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "a-long-enough-password");
        try (PackagedApp app = PackagedApp.start("prod-fresh", env)) {
            Matcher m = Pattern.compile("store it now: (pk_[A-Za-z0-9_-]+)").matcher(app.output());
            assertTrue(m.find(), app.output());
            String key = m.group(1);
            assertEquals(200, app.get("/v1/admin/api-keys", key).statusCode());
            for (String wellKnown : new String[]{"demo-key", "dev-key", "test-key"}) {
                assertEquals(401, app.get("/v1/auth/session", wellKnown).statusCode(), wellKnown);
            }
            String login = app.send("POST", "/v1/auth/sessions", null,
                    "{\"username\": \"admin\", \"password\": \"a-long-enough-password\"}").body();
            assertTrue(login.contains("\"token\":\"ps_"), login);
        }
        // a restart finds the admin key and generates none
        try (PackagedApp again = PackagedApp.start("prod-fresh-again", env)) {
            assertTrue(!again.output().contains("store it now"), again.output());
        }
    }
}
