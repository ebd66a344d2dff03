package dev.penchant.api.it;

import dev.penchant.support.it.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A key revoked on one platform-api is refused by other nodes on the same database within 5 s: one
 * that listens (NOTIFY api_keys_changed: at once), and one that does not (the cache TTL backstop).
 * Each node is the packaged app in a JVM of its own.
 */
class SecondNodeRevocationIT {
    static final String ADMIN_KEY = "it-admin-key-0123456789abcdefghijklmnop";

    EmbeddedPostgres pg;
    PackagedApp first, listening, deaf;

    @AfterEach
    void stop() throws Exception {
        for (PackagedApp a : new PackagedApp[]{first, listening, deaf}) if (a != null) a.close();
        if (pg != null) pg.close();
    }

    @Test
    void aRevokedKeyIsRefusedByEveryOtherNodeWithinFiveSeconds() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        Map<String, String> env = new HashMap<>(PackagedApp.database(pg.getPort(), "postgres"));
        env.put("PENCHANT_AUTH_BOOTSTRAP_KEYS", ADMIN_KEY);
        env.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "it-console-password");
        first = PackagedApp.start("revocation-first", env);
        listening = PackagedApp.start("revocation-listening", env);
        Map<String, String> deafEnv = new HashMap<>(env);
        deafEnv.put("PENCHANT_AUTH_LISTEN", "false");
        deaf = PackagedApp.start("revocation-deaf", deafEnv);

        HttpResponse<String> created = first.send("POST", "/v1/admin/api-keys", ADMIN_KEY,
                "{\"name\": \"client-app\", \"roles\": [\"ingest\"]}");
        assertEquals(201, created.statusCode(), created.body());
        String key = created.body().replaceAll(".*\"key\":\"([^\"]+)\".*", "$1");
        // both other nodes know the key and have it cached as valid when it is revoked
        assertEquals(200, listening.get("/v1/auth/session", key).statusCode());
        assertEquals(200, deaf.get("/v1/auth/session", key).statusCode());

        assertEquals(204, first.send("DELETE", "/v1/admin/api-keys/client-app", ADMIN_KEY, null).statusCode());
        long revokedAt = System.nanoTime();
        long listeningMs = -1, deafMs = -1;
        while ((listeningMs < 0 || deafMs < 0) && System.nanoTime() - revokedAt < 8_000_000_000L) {
            long now = (System.nanoTime() - revokedAt) / 1_000_000;
            if (listeningMs < 0 && listening.get("/v1/auth/session", key).statusCode() == 401) listeningMs = now;
            if (deafMs < 0 && deaf.get("/v1/auth/session", key).statusCode() == 401) deafMs = now;
            Thread.sleep(20);
        }
        System.err.printf("revoked key refused by the listening node after %d ms, by the non-listening node after %d ms%n",
                listeningMs, deafMs);
        assertTrue(listeningMs >= 0 && listeningMs < 5_000, "listening node: " + listeningMs + " ms");
        assertTrue(deafMs >= 0 && deafMs < 5_000, "node without LISTEN: " + deafMs + " ms");
        assertEquals(401, first.get("/v1/auth/session", key).statusCode());
    }
}
