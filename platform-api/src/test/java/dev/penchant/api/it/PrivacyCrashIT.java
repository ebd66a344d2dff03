package dev.penchant.api.it;

import dev.penchant.support.it.PackagedApp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A deletion survives kill -9 of the node running it, at every step: each packaged platform-api holds
 * the request after one step (penchant.privacy.pause-after-step, test only) and is killed there; the next
 * node claims the request when the lease expires, resumes after the recorded step and is killed after the
 * following one; the last finishes. Zero residue at the end.
 */
class PrivacyCrashIT {
    static final String ADMIN_KEY = "it-admin-key-privacy-0123456789abcdef";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> STEPS = List.of("suppress", "events", "profile", "exposures", "audit", "models", "caches", "verify");

    EmbeddedPostgres pg;
    PackagedApp app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) app.close();
        if (pg != null) pg.close();
    }

    Map<String, String> env(String pauseAfter) {
        Map<String, String> env = new HashMap<>(PackagedApp.database(pg.getPort(), "postgres"));
        env.put("PENCHANT_AUTH_BOOTSTRAP_KEYS", ADMIN_KEY);
        env.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "it-console-password");
        env.put("PENCHANT_PRIVACY_LEASE", "PT2S");
        env.put("PENCHANT_PRIVACY_POLL_INTERVAL", "PT0.2S");
        env.put("PENCHANT_PRIVACY_BATCH_SIZE", "500");
        if (pauseAfter != null) env.put("PENCHANT_PRIVACY_PAUSE_AFTER_STEP", pauseAfter);
        return env;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> request(long id) throws Exception {
        HttpResponse<String> r = app.get("/v1/privacy/requests/" + id, ADMIN_KEY);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readValue(r.body(), Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aDeletionKilledAfterEveryStepResumesOnTheNextNodeWithZeroResidue() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        String user = "crash-user";
        app = PackagedApp.start("privacy-crash-0", env(STEPS.get(0)));
        assertEquals(201, app.send("PUT", "/v1/users/" + user, ADMIN_KEY, "{\"attributes\": {\"country\": \"FR\"}}").statusCode());
        List<Map<String, Object>> events = new ArrayList<>();
        Instant t = Instant.now().minusSeconds(86_400L * 40);
        for (int i = 0; i < 3000; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("eventId", user + "-" + i);
            e.put("userId", i % 3 == 0 ? "bystander" : user);
            e.put("itemId", "item-" + (i % 40));
            e.put("type", "click");
            e.put("timestamp", t.plusSeconds(i * 600L).toString());
            events.add(e);
        }
        HttpResponse<String> ingest = app.send("POST", "/v1/events", ADMIN_KEY, JSON.writeValueAsString(events));
        assertEquals(200, ingest.statusCode(), ingest.body());
        HttpResponse<String> created = app.send("POST", "/v1/privacy/requests", ADMIN_KEY,
                "{\"kind\": \"delete\", \"userId\": \"" + user + "\"}");
        assertEquals(202, created.statusCode(), created.body());
        long id = ((Number) JSON.readValue(created.body(), Map.class).get("id")).longValue();

        for (int i = 0; i < STEPS.size(); i++) {
            String step = STEPS.get(i);
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!step.equals(request(id).get("step"))) {
                assertTrue(System.nanoTime() < deadline, "not paused after " + step + ": " + request(id) + "\n" + app.output());
                assertTrue(!"failed".equals(request(id).get("status")), request(id).toString());
                Thread.sleep(100);
            }
            app.kill9();
            System.err.println("privacy crash test: killed the node holding request " + id + " after " + step);
            app = PackagedApp.start("privacy-crash-" + (i + 1), env(i + 1 < STEPS.size() ? STEPS.get(i + 1) : null));
        }
        long deadline = System.nanoTime() + 60_000_000_000L;
        Map<String, Object> r = request(id);
        while (!"completed".equals(r.get("status"))) {
            assertTrue(System.nanoTime() < deadline && !"failed".equals(r.get("status")), r.toString());
            Thread.sleep(100);
            r = request(id);
        }
        Map<String, Object> v = (Map<String, Object>) r.get("verification");
        assertEquals(true, v.get("clean"), v.toString());
        Map<String, Object> counts = (Map<String, Object>) r.get("counts");
        assertEquals(2000, ((Number) ((Map<String, Object>) counts.get("events")).get("events")).intValue(), counts.toString());
        assertTrue(((Number) r.get("attempts")).intValue() >= STEPS.size() + 1, "claimed by every node: " + r);

        try (Connection c = pg.getPostgresDatabase().getConnection()) {
            for (String sql : List.of("select count(*) from events where user_id = ?", "select count(*) from event_keys where user_id = ?",
                    "select count(*) from users where user_id = ?", "select count(*) from privacy_requests where user_id = ?",
                    "select count(*) from audit_log where user_id = ? or subject = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int p = 1; p <= ps.getParameterMetaData().getParameterCount(); p++) ps.setString(p, user);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertEquals(0, rs.getLong(1), sql);
                    }
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("select count(*) from events where user_id = 'bystander'")) {
                rs.next();
                assertEquals(1000, rs.getLong(1));
            }
            try (ResultSet rs = c.createStatement().executeQuery("select count(*) from privacy_event_tombstones")) {
                rs.next();
                assertEquals(2000, rs.getLong(1));
            }
        }
    }
}
