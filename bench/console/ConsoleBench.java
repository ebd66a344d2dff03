import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Render time of every console page: platform-api, a training worker and the console (packaged,
 * prod profile) on an embedded PostgreSQL; ML-100K's ratings imported through POST /v1/events; a DNN
 * and a popularity job trained, the DNN promoted; then each page requested `requests` times after
 * `warmup`, one at a time, as a logged-in browser would (session cookie), and the p50 / p95 printed.
 * The time is the request's round trip on localhost: the console's own work plus its calls to
 * platform-api, which is what "server render time" is for these pages.
 */
public class ConsoleBench {
    static final String KEY = "console-bench-admin-key-0123456789abcdef";
    static final String PASSWORD = "console-bench-password";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    static final List<Process> PROCS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (String a : args) o.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        Path data = Path.of(o.getOrDefault("data", "../shared/data/ml-100k"));
        int requests = Integer.parseInt(o.getOrDefault("requests", "200"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "50"));
        long t0 = System.nanoTime();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> PROCS.forEach(Process::destroy)));
            Map<String, String> env = new LinkedHashMap<>();
            env.put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
            env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + pg.getPort() + "/postgres");
            env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
            int apiPort = freePort(), uiPort = freePort();
            String api = "http://127.0.0.1:" + apiPort, ui = "http://127.0.0.1:" + uiPort;
            start("platform-api", apiPort, env, Map.of("PENCHANT_AUTH_BOOTSTRAP_KEYS", KEY, "PENCHANT_CONSOLE_ADMIN_PASSWORD", PASSWORD,
                    // required in prod (pseudonymises deleted users); random per run as an installation's would be
                    "PENCHANT_PRIVACY_HASH_KEY", java.util.UUID.randomUUID().toString()));
            ready(api);
            start("training-worker", freePort(), env, Map.of("PENCHANT_WORKER_POLL_INTERVAL", "PT0.5S"));
            start("admin-ui", uiPort, Map.of(), Map.of("PENCHANT_CONSOLE_API_URL", api, "PENCHANT_CONSOLE_COOKIE_SECURE", "false"));
            ready(ui);

            long loaded = load(api, data.resolve("ml-100k.inter"));
            System.out.printf("loaded %,d ML-100K ratings through POST /v1/events%n", loaded);
            long dnn = submit(api, "{\"modelType\":\"dnn\",\"hyperparameters\":{\"epochs\":\"1\",\"baselines\":\"popularity\"}}");
            long pop = submit(api, "{\"modelType\":\"popularity\"}");
            long model = awaitModel(api, dnn, Duration.ofSeconds(240));
            awaitModel(api, pop, Duration.ofSeconds(60));
            call("POST", api + "/v1/models/" + model + "/promote?force=true", null, KEY);
            System.out.printf("trained and promoted model %d (jobs %d, %d); set-up %.0f s%n", model, dnn, pop, (System.nanoTime() - t0) / 1e9);

            long exposures = experiment(api, pg);
            String privacy = field(call("POST", api + "/v1/privacy/requests", "{\"kind\":\"export\",\"userId\":\"7\"}", KEY), "id");
            System.out.printf("experiment bench-ab running with %,d exposures; privacy request %s filed%n", exposures, privacy);

            String cookie = login(ui);
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("overview", "/admin");
            pages.put("jobs", "/admin/jobs");
            pages.put("job (finished, curves)", "/admin/jobs/" + dnn);
            pages.put("launch form (dnn)", "/admin/jobs/new?type=dnn");
            pages.put("compare runs", "/admin/jobs/compare?id=" + dnn + "&id=" + pop);
            pages.put("models", "/admin/models");
            pages.put("model (metrics, lineage)", "/admin/models/" + model);
            pages.put("promote confirmation", "/admin/models/" + model + "/promote");
            pages.put("data and access", "/admin/access");
            pages.put("audit log", "/admin/access/audit");
            pages.put("experiments", "/admin/experiments");
            pages.put("experiment (results, stats engine)", "/admin/experiments/bench-ab");
            pages.put("new experiment form", "/admin/experiments/new");
            pages.put("privacy requests", "/admin/privacy");
            pages.put("privacy request", "/admin/privacy/" + privacy);
            System.out.printf("%n%d requests per page after %d warm-up, sequential, cpus %d%n", requests, warmup,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("| page | p50 ms | p95 ms | max ms | bytes |");
            System.out.println("|---|---:|---:|---:|---:|");
            for (Map.Entry<String, String> p : pages.entrySet()) {
                int bytes = 0;
                for (int i = 0; i < warmup; i++) page(ui + p.getValue(), cookie);
                double[] ms = new double[requests];
                for (int i = 0; i < requests; i++) {
                    long s = System.nanoTime();
                    bytes = page(ui + p.getValue(), cookie);
                    ms[i] = (System.nanoTime() - s) / 1e6;
                }
                Arrays.sort(ms);
                System.out.printf("| %s | %.1f | %.1f | %.1f | %,d |%n", p.getKey(), ms[requests / 2],
                        ms[(int) Math.ceil(requests * 0.95) - 1], ms[requests - 1], bytes);
            }
        } finally {
            PROCS.forEach(Process::destroy);
        }
    }

    static void start(String node, int port, Map<String, String> base, Map<String, String> extra) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-Dorg.bytedeco.javacpp.cachedir=" + Path.of(System.getProperty("user.home"), ".cache", "penchant-javacpp"),
                "-jar", node + "/target/quarkus-app/quarkus-run.jar");
        pb.environment().putAll(base);
        pb.environment().putAll(extra);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        Path log = Path.of("target", "console-bench-" + node + ".log");
        Files.createDirectories(log.getParent());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        PROCS.add(pb.start());
    }

    static void ready(String url) throws Exception {
        for (int i = 0; i < 720; i++) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (java.io.IOException e) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(url + " not ready");
    }

    /** The ratings as rating events, newest moved to now (as `penchant import --shift-to-now` does). */
    static long load(String api, Path inter) throws Exception {
        List<String[]> rows = new ArrayList<>();
        long max = 0;
        try (BufferedReader r = Files.newBufferedReader(inter)) {
            r.readLine();
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.split("\t");
                rows.add(f);
                max = Math.max(max, (long) Double.parseDouble(f[3]));
            }
        }
        long shift = System.currentTimeMillis() / 1000 - 60 - max;
        long n = 0;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            String[] f = rows.get(i);
            long ts = (long) Double.parseDouble(f[3]) + shift;
            b.append(b.isEmpty() ? "[" : ",").append("{\"eventId\":\"ml-").append(i).append("\",\"userId\":\"").append(f[0])
                    .append("\",\"itemId\":\"").append(f[1]).append("\",\"type\":\"rating\",\"value\":").append(f[2])
                    .append(",\"timestamp\":\"").append(java.time.Instant.ofEpochSecond(ts)).append("\"}");
            if ((i + 1) % 5000 == 0 || i == rows.size() - 1) {
                call("POST", api + "/v1/events", b.append("]").toString(), KEY);
                b.setLength(0);
                n = i + 1;
            }
        }
        return n;
    }

    /**
     * A running 50/50 experiment with what inference nodes would have logged: 10 exposures per ML-100K
     * user, the user's variant by id parity, and attributed clicks on ~10% (control) / ~12% (treatment).
     */
    static long experiment(String api, EmbeddedPostgres pg) throws Exception {
        call("POST", api + "/v1/experiments", "{\"key\":\"bench-ab\",\"surface\":\"user\",\"primaryMetric\":\"ctr\","
                + "\"guardrails\":[\"conversion\"],\"variants\":[{\"name\":\"control\",\"baseline\":\"current\",\"weight\":0.5},"
                + "{\"name\":\"treatment\",\"baseline\":\"popularity\",\"weight\":0.5}]}", KEY);
        call("POST", api + "/v1/experiments/bench-ab/start", null, KEY);
        List<String[]> clicked = new ArrayList<>();
        long n;
        try (var c = pg.getPostgresDatabase().getConnection(); var st = c.createStatement()) {
            n = st.executeUpdate("""
                    insert into exposures (recommendation_id, shown_at, user_id, surface, experiment_id, variant_id, items)
                    select gen_random_uuid(), now(), u::text, 'user', e.id, v.id, '{1,2,3}'
                      from experiments e
                      join experiment_variants v on v.experiment_id = e.id
                      cross join generate_series(1, 943) u
                      cross join generate_series(1, 10) k
                     where e.key = 'bench-ab' and v.position = u % 2""");
            try (var rs = st.executeQuery("""
                    select x.recommendation_id, x.user_id from exposures x join experiment_variants v on v.id = x.variant_id
                     where random() < case when v.position = 0 then 0.10 else 0.12 end""")) {
                while (rs.next()) clicked.add(new String[]{rs.getString(1), rs.getString(2)});
            }
        }
        Thread.sleep(1100);
        String at = java.time.Instant.now().toString();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < clicked.size(); i++) {
            b.append(b.isEmpty() ? "[" : ",").append("{\"eventId\":\"click-").append(i).append("\",\"userId\":\"").append(clicked.get(i)[1])
                    .append("\",\"itemId\":\"1\",\"type\":\"click\",\"recommendationId\":\"").append(clicked.get(i)[0])
                    .append("\",\"timestamp\":\"").append(at).append("\"}");
            if ((i + 1) % 1000 == 0 || i == clicked.size() - 1) {
                call("POST", api + "/v1/events", b.append("]").toString(), KEY);
                b.setLength(0);
            }
        }
        return n;
    }

    static long submit(String api, String body) throws Exception {
        return Long.parseLong(field(call("POST", api + "/v1/training-jobs", body, KEY), "id"));
    }

    static long awaitModel(String api, long job, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            String j = call("GET", api + "/v1/training-jobs/" + job, null, KEY);
            String status = field(j, "status");
            if (status.equals("failed") || status.equals("cancelled")) throw new IllegalStateException("job " + job + ": " + j);
            if (status.equals("succeeded")) {
                String m = field(j, "modelId");
                return m == null || m.equals("null") ? -1 : Long.parseLong(m);
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("job " + job + " did not finish in " + timeout);
    }

    static String login(String ui) throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create(ui + "/admin/login")).build(), HttpResponse.BodyHandlers.ofString());
        String csrf = cookie(page, "penchant_csrf");
        String form = "username=admin&password=" + URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8) + "&next=/admin&_csrf=" + csrf;
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ui + "/admin/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "penchant_csrf=" + csrf)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 303) throw new IllegalStateException("login: " + r.statusCode() + " " + r.body());
        return "penchant_session=" + cookie(r, "penchant_session") + "; penchant_csrf=" + csrf;
    }

    static String cookie(HttpResponse<?> r, String name) {
        for (String c : r.headers().allValues("set-cookie")) if (c.startsWith(name + "=")) return c.substring(name.length() + 1, c.indexOf(';'));
        throw new IllegalStateException("no cookie " + name);
    }

    static int page(String url, String cookie) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie)
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(url + ": " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
        return r.body().length;
    }

    static String call(String method, String url, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("X-API-Key", key).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
