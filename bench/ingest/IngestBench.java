import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Ingest benchmark: the platform API's POST /v1/events against PostgreSQL's own COPY of the same
 * rows into the same (truncated) tables. Run through bench/ingest/run.sh, which supplies the
 * classpath of the packaged platform-api.
 *
 * Options (key=value): events=200000 batch=1000 clients=4 warmup=20000 rounds=3 jdbc=<url of an existing
 * server's fresh database; default: an embedded PostgreSQL> app-opts=<extra JVM options for the app>
 *
 * privacy=N (bench/ingest/run.sh privacy=3): instead of the COPY comparison, N rounds of one privacy
 * deletion (a user with victim-events=10000 events) while the clients keep ingesting: the deletion's time
 * and the ingest rate during it against the baseline-s seconds before it.
 */
public class IngestBench {
    static final String KEY = "bench-key-0123456789abcdefghijklmnopqr"; // prod profile: 32+ characters

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            o.put(a.substring(0, eq), a.substring(eq + 1));
        }
        int total = Integer.parseInt(o.getOrDefault("events", "200000"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "1000"));
        int clients = Integer.parseInt(o.getOrDefault("clients", "4"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "20000"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        Path appJar = Path.of(o.getOrDefault("app", "platform-api/target/quarkus-app/quarkus-run.jar"));

        EmbeddedPostgres embedded = null;
        String jdbc = o.get("jdbc");
        String user = o.getOrDefault("user", "postgres");
        if (jdbc == null) {
            embedded = EmbeddedPostgres.builder().start();
            jdbc = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres";
        }
        String reactive = jdbc.replaceFirst("^jdbc:", "");
        int port = freePort();
        Process app = null;
        try (Connection db = DriverManager.getConnection(jdbc, user, "")) {
            app = startApp(appJar, jdbc, reactive, user, port, o.getOrDefault("app-opts", ""));
            try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(
                    "select version(), current_setting('fsync'), current_setting('synchronous_commit'), current_setting('shared_buffers')")) {
                r.next();
                System.out.printf("database: %s%n  fsync=%s synchronous_commit=%s shared_buffers=%s%n",
                        r.getString(1), r.getString(2), r.getString(3), r.getString(4));
            }
            System.out.printf("cpus: %d; %,d events, batch %,d, %d clients%n",
                    Runtime.getRuntime().availableProcessors(), total, batch, clients);
            Instant base = Instant.parse("2025-01-01T00:00:00Z");
            exec(db, "select ensure_event_partitions(array['2025-01-15','2025-02-15','2025-03-15']::timestamptz[])");

            // warm the app's JIT on other ids, then start from empty tables
            List<byte[]> warm = bodies("warm", warmup, batch, base);
            post(port, warm, clients);
            exec(db, "truncate events, event_keys");

            if (o.containsKey("privacy")) {
                privacyRounds(db, port, clients, batch, Integer.parseInt(o.get("privacy")),
                        Integer.parseInt(o.getOrDefault("victim-events", "10000")),
                        Integer.parseInt(o.getOrDefault("baseline-s", "10")), base);
                return;
            }
            List<byte[]> bodies = bodies("ev", total, batch, base);
            String rows = copyRows("ev", total, base);
            String keys = copyKeys("ev", total, base);
            CopyManager copy = db.unwrap(PGConnection.class).getCopyAPI();
            // rounds alternate API and COPY, so drifting load on a shared machine hits both alike
            List<Double> api = new ArrayList<>(), copyEvents = new ArrayList<>(), copyBoth = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                exec(db, "truncate events, event_keys");
                exec(db, "checkpoint");
                java.time.Duration cpu0 = app.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
                long t0 = System.nanoTime();
                long acceptedCount = post(port, bodies, clients);
                double apiSecs = (System.nanoTime() - t0) / 1e9;
                double appCpu = (app.info().totalCpuDuration().orElse(java.time.Duration.ZERO).minus(cpu0)).toMillis() / 1000.0;
                long stored = scalar(db, "select count(*) from events");
                if (acceptedCount != total || stored != total) {
                    throw new IllegalStateException("API stored " + stored + ", accepted " + acceptedCount + ", expected " + total);
                }

                exec(db, "truncate events, event_keys");
                exec(db, "checkpoint");
                long c0 = System.nanoTime();
                copy.copyIn("copy events (event_id, user_id, item_id, type, value, occurred_at, context) from stdin", new StringReader(rows));
                double copySecs = (System.nanoTime() - c0) / 1e9;
                check(db, "events", total);

                exec(db, "truncate events, event_keys");
                exec(db, "checkpoint");
                long k0 = System.nanoTime();
                db.setAutoCommit(false);
                copy.copyIn("copy event_keys (event_id, user_id, occurred_at) from stdin", new StringReader(keys));
                copy.copyIn("copy events (event_id, user_id, item_id, type, value, occurred_at, context) from stdin", new StringReader(rows));
                db.commit();
                db.setAutoCommit(true);
                double copy2Secs = (System.nanoTime() - k0) / 1e9;
                check(db, "event_keys", total);

                api.add(total / apiSecs);
                copyEvents.add(total / copySecs);
                copyBoth.add(total / copy2Secs);
                System.out.printf("round %d: API %,8.0f/s (app CPU %.1f s = %.1f us/event) | COPY events %,8.0f/s | COPY event_keys+events %,8.0f/s | API/COPY events %.2f, API/COPY both %.2f%n",
                        round, total / apiSecs, appCpu, appCpu * 1e6 / total, total / copySecs, total / copy2Secs,
                        copySecs / apiSecs, copy2Secs / apiSecs);
            }
            double a = median(api), c1 = median(copyEvents), c2 = median(copyBoth);
            System.out.printf("median of %d rounds:%n", rounds);
            System.out.printf("  API  POST /v1/events  : %,9.0f events/s%n", a);
            System.out.printf("  COPY events           : %,9.0f events/s%n", c1);
            System.out.printf("  COPY event_keys+events: %,9.0f events/s%n", c2);
            System.out.printf("  ratio API / COPY events           : %.2f%n", a / c1);
            System.out.printf("  ratio API / COPY event_keys+events: %.2f%n", a / c2);
        } finally {
            if (app != null) {
                app.destroy();
                app.waitFor();
            }
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** Deletions of 10,000-event users while ingest runs: deletion time, ingest rate before and during. */
    static void privacyRounds(Connection db, int port, int clients, int batch, int rounds, int victimEvents,
                              int baselineSecs, Instant base) throws Exception {
        for (int v = 0; v < rounds; v++) {
            List<byte[]> victim = new ArrayList<>();
            for (int start = 0; start < victimEvents; start += batch) {
                StringBuilder b = new StringBuilder(batch * 140).append('[');
                for (int i = start; i < Math.min(victimEvents, start + batch); i++) {
                    b.append(i == start ? "" : ",").append("{\"eventId\":\"victim").append(v).append('-').append(i)
                            .append("\",\"userId\":\"victim-").append(v).append("\",\"itemId\":\"i").append(i % 20000)
                            .append("\",\"type\":\"view\",\"timestamp\":\"").append(ts(base, i)).append("\"}");
                }
                victim.add(b.append(']').toString().getBytes(StandardCharsets.UTF_8));
            }
            post(port, victim, clients);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI events = URI.create("http://127.0.0.1:" + port + "/v1/events");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<long[]> done = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                long n = 0;
                while (!stop.get()) {
                    StringBuilder b = new StringBuilder(batch * 140).append('[');
                    for (int i = 0; i < batch; i++, n++) {
                        b.append(i == 0 ? "" : ",").append("{\"eventId\":\"live-").append(client).append('-').append(n)
                                .append("\",\"userId\":\"u").append(n % 5000).append("\",\"itemId\":\"i").append((n * 7919) % 20000)
                                .append("\",\"type\":\"rating\",\"value\":").append(1 + n % 5)
                                .append(",\"timestamp\":\"").append(ts(base, (int) (n % 100000))).append("\"}");
                    }
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(events).header("Content-Type", "application/json")
                                .header("X-API-Key", KEY).POST(HttpRequest.BodyPublishers.ofString(b.append(']').toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        done.add(new long[]{System.nanoTime(), batch});
                    } catch (Exception e) {
                        System.out.println("ingest client failed: " + e);
                        return;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        Thread.sleep(3000); // ingest at steady state first
        List<Double> times = new ArrayList<>(), drops = new ArrayList<>();
        for (int v = 0; v < rounds; v++) {
            long t0 = System.nanoTime();
            Thread.sleep(baselineSecs * 1000L);
            long t1 = System.nanoTime();
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/privacy/requests"))
                    .header("Content-Type", "application/json").header("X-API-Key", KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"delete\",\"userId\":\"victim-" + v + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 202) throw new IllegalStateException("HTTP " + created.statusCode() + ": " + created.body());
            String id = created.body().replaceAll("^\\{\"id\":(\\d+).*", "$1");
            String status = "";
            while (!status.contains("\"status\":\"completed\"")) {
                if (status.contains("\"status\":\"failed\"")) throw new IllegalStateException(status);
                Thread.sleep(50);
                status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/privacy/requests/" + id))
                        .header("X-API-Key", KEY).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            long t2 = System.nanoTime();
            double before = rate(done, t0, t1), during = rate(done, t1, t2);
            long left = scalar(db, "select count(*) from events where user_id = 'victim-" + v + "'");
            double secs = (t2 - t1) / 1e9;
            times.add(secs);
            drops.add(1 - during / before);
            System.out.printf("deletion %d: %,d events deleted in %.2f s (residue %d); ingest %,.0f events/s in the %d s before, %,.0f events/s during (%+.0f%%)%n",
                    v + 1, victimEvents, secs, left, before, baselineSecs, during, 100 * (during / before - 1));
        }
        stop.set(true);
        for (Thread t : threads) t.join();
        System.out.printf("median of %d: deletion %.2f s, ingest rate drop %.0f%%%n", rounds, median(times), 100 * median(drops));
    }

    /** Events acknowledged per second between two nanoTimes (batches counted by their completion time). */
    static double rate(List<long[]> done, long from, long to) {
        long n = 0;
        synchronized (done) {
            for (long[] d : done) if (d[0] >= from && d[0] < to) n += d[1];
        }
        return n / ((to - from) / 1e9);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        java.util.Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static String id(String prefix, int i) {
        return prefix + "-" + i;
    }

    static Instant ts(Instant base, int i) {
        return base.plusSeconds(i * 37L % (60L * 86400));
    }

    static List<byte[]> bodies(String prefix, int total, int batch, Instant base) {
        List<byte[]> out = new ArrayList<>();
        for (int start = 0; start < total; start += batch) {
            StringBuilder b = new StringBuilder(batch * 140).append('[');
            for (int i = start; i < Math.min(total, start + batch); i++) {
                b.append(i == start ? "" : ",").append("{\"eventId\":\"").append(id(prefix, i))
                        .append("\",\"userId\":\"u").append(i % 5000)
                        .append("\",\"itemId\":\"i").append((i * 7919) % 20000)
                        .append("\",\"type\":\"rating\",\"value\":").append(1 + i % 5)
                        .append(",\"timestamp\":\"").append(ts(base, i)).append("\"}");
            }
            out.add(b.append(']').toString().getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static String copyRows(String prefix, int total, Instant base) {
        StringBuilder b = new StringBuilder(total * 80);
        for (int i = 0; i < total; i++) {
            b.append(id(prefix, i)).append("\tu").append(i % 5000).append("\ti").append((i * 7919) % 20000)
                    .append("\trating\t").append(1 + i % 5).append('\t').append(ts(base, i)).append("\t\\N\n");
        }
        return b.toString();
    }

    static String copyKeys(String prefix, int total, Instant base) {
        StringBuilder b = new StringBuilder(total * 50);
        for (int i = 0; i < total; i++) {
            b.append(id(prefix, i)).append("\tu").append(i % 5000).append('\t').append(ts(base, i)).append('\n');
        }
        return b.toString();
    }

    /** Sends all bodies from n client threads; returns the sum of "accepted". */
    static long post(int port, List<byte[]> bodies, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        URI uri = URI.create("http://127.0.0.1:" + port + "/v1/events");
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                int k;
                while ((k = next.getAndIncrement()) < bodies.size()) {
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
                                .header("Content-Type", "application/json").header("X-API-Key", KEY)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(k))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + r.statusCode() + ": " + r.body());
                        }
                        String s = r.body();
                        int a = s.indexOf("\"accepted\":") + 11;
                        accepted.addAndGet(Long.parseLong(s.substring(a, s.indexOf(',', a)).trim()));
                    } catch (Exception e) {
                        errors.add(e);
                        return;
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.get(0));
        }
        return accepted.get();
    }

    static Process startApp(Path jar, String jdbc, String reactive, String user, int port, String opts) throws Exception {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing; build platform-api first");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (!opts.isBlank()) {
            cmd.addAll(List.of(opts.trim().split("\\s+")));
        }
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("QUARKUS_DATASOURCE_JDBC_URL", jdbc);
        pb.environment().put("QUARKUS_DATASOURCE_REACTIVE_URL", reactive);
        pb.environment().put("QUARKUS_DATASOURCE_USERNAME", user);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("PENCHANT_AUTH_BOOTSTRAP_KEYS", KEY);
        pb.environment().put("PENCHANT_CONSOLE_ADMIN_PASSWORD", "bench-console-password"); // the prod profile needs one
        pb.environment().put("PENCHANT_PRIVACY_HASH_KEY", "bench-privacy-hash-key-0123456789"); // and a privacy hash key
        File log = File.createTempFile("ingest-bench-app", ".log");
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < 720; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("app died; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    System.out.println("app log: " + log);
                    return p;
                }
            } catch (IOException e) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("app not ready; see " + log);
    }

    static void exec(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    static long scalar(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    static void check(Connection db, String table, long expected) throws Exception {
        long n = scalar(db, "select count(*) from " + table);
        if (n != expected) {
            throw new IllegalStateException(table + " holds " + n + ", expected " + expected);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
