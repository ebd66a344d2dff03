package dev.penchant.api.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kill -9 of the packaged platform-api in the middle of a stream of batches: after a restart and a
 * resend of every unacknowledged batch, every acknowledged event is stored exactly once, and
 * event_keys and events agree row for row (the two inserts commit together or not at all).
 */
class IngestDurabilityIT {
    static final int BATCHES = 120;
    static final int BATCH_SIZE = 500;
    static final int CLIENTS = 3;
    static final int KILL_AFTER_ACKS = 25;
    static final String KEY = "it-durability-key-0123456789abcdefghij"; // prod profile: at least 32 characters

    EmbeddedPostgres pg;
    Process app;
    int port;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() throws IOException {
        if (app != null) {
            app.destroyForcibly();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void acknowledgedEventsSurviveKillMinus9ExactlyOnce() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        port = freePort();
        app = startApp(1);

        Set<Integer> acked = ConcurrentHashMap.newKeySet();
        Set<Integer> unacked = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        Process first = app;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread t = new Thread(() -> {
                int b;
                while ((b = next.getAndIncrement()) < BATCHES && !(killed.get() && !first.isAlive())) {
                    if (post(b)) {
                        acked.add(b);
                        if (acked.size() == KILL_AFTER_ACKS && killed.compareAndSet(false, true)) {
                            first.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flush
                        }
                    } else {
                        unacked.add(b);
                    }
                }
                if (b < BATCHES) {
                    unacked.add(b);
                }
            });
            clients.add(t);
            t.start();
        }
        for (Thread t : clients) {
            t.join();
        }
        first.waitFor();
        assertTrue(killed.get(), "the app was killed mid-stream");
        int ackedBeforeKill = acked.size();
        int failedInFlight = unacked.size();
        // batches never handed out are unacknowledged too
        for (int b = next.get(); b < BATCHES; b++) {
            unacked.add(b);
        }
        System.err.printf("durability: %d batches acked before kill -9, %d failed or in flight, %d to (re)send%n",
                ackedBeforeKill, failedInFlight, unacked.size());

        app = startApp(2);
        for (int b : new ArrayList<>(unacked)) {
            assertTrue(post(b), "batch " + b + " accepted after restart");
            acked.add(b);
        }
        assertEquals(BATCHES, acked.size());

        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            assertEquals((long) BATCHES * BATCH_SIZE, scalar(s, "select count(*) from events"));
            assertEquals((long) BATCHES * BATCH_SIZE, scalar(s, "select count(distinct event_id) from events"));
            assertEquals((long) BATCHES * BATCH_SIZE, scalar(s, "select count(*) from event_keys"));
            assertEquals(0L, scalar(s, "select count(*) from event_keys k full join events e using (event_id) "
                    + "where k.event_id is null or e.event_id is null"));
            // each acknowledged event individually
            try (PreparedStatement p = c.prepareStatement("select count(*) from events where event_id = any(?)")) {
                List<String> ids = new ArrayList<>();
                for (int b : acked) {
                    for (int i = 0; i < BATCH_SIZE; i++) {
                        ids.add(id(b, i));
                    }
                }
                p.setArray(1, c.createArrayOf("text", ids.toArray()));
                try (ResultSet r = p.executeQuery()) {
                    r.next();
                    assertEquals(ids.size(), r.getLong(1));
                }
            }
        }
    }

    static String id(int batch, int i) {
        return "dur-" + batch + "-" + i;
    }

    /** True when the app acknowledged the batch (200); false on any failure. */
    boolean post(int batch) {
        StringBuilder body = new StringBuilder(BATCH_SIZE * 120).append('[');
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        for (int i = 0; i < BATCH_SIZE; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"eventId\":\"").append(id(batch, i))
                    .append("\",\"userId\":\"u").append(i % 97)
                    .append("\",\"itemId\":\"i").append((batch * 31 + i) % 1000)
                    .append("\",\"type\":\"click\",\"timestamp\":\"")
                    // spread over several months, so partitions are created while the stream runs
                    .append(base.plus(Duration.ofDays((batch % 6) * 31L)).plusSeconds(i)).append("\"}");
        }
        body.append(']');
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/events"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json").header("X-API-Key", KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        try {
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                System.err.println("batch " + batch + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Process startApp(int run) throws Exception {
        Map<String, String> env = new java.util.HashMap<>(dev.penchant.support.it.PackagedApp.database(pg.getPort(), "postgres"));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("PENCHANT_AUTH_BOOTSTRAP_KEYS", KEY);
        env.put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "durability-test-password");
        return dev.penchant.support.it.PackagedApp.start("durability-app-" + run, env).process;
    }

    static long scalar(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
