import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.model.Exportable;
import dev.penchant.tf.ExportedModel;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Splitter;
import dev.penchant.core.artifact.ModelArchive;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Serving benchmark. Loads ML-100K into the node's database (items + events), trains the sequence
 * model (sasrec when the core has it, else dnn), registers and promotes it like the worker, waits until
 * the node serves it, then: HTTP load with C concurrent clients against GET /v1/recommendations/{user}
 * (p50/p99 latency, req/s), the node's RSS before and after a long soak, and the in-process scoring
 * rate of the same exported model with C threads, no HTTP, and the ratio. CPU per request (node
 * process) and per in-process scoring are printed too: on a small shared machine they say more than
 * rates, which follow the neighbours' load.
 * Usage: ServeBench <ml-100k dir> <jdbc url> <node url> <api key> <node pid> [clients=16] [seconds=30] [soak=120]
 */
public final class ServeBench {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("in-process")) {
            inProcessChild(Path.of(args[1]), Path.of(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
            return;
        }
        Path data = Path.of(args[0]);
        String jdbc = args[1];
        String node = args[2];
        String key = args[3];
        long pid = Long.parseLong(args[4]);
        int clients = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        int seconds = args.length > 6 ? Integer.parseInt(args[6]) : 30;
        int soak = args.length > 7 ? Integer.parseInt(args[7]) : 120;

        DataSource source = DataFormats.open(data, "movielens-atomic", Map.of());
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            long t0 = System.nanoTime();
            int events = load(c, source);
            System.out.printf("loaded %d events into %s in %.1f s%n", events, jdbc, (System.nanoTime() - t0) / 1e9);
        }

        dev.penchant.core.preprocess.PreparedDataset prepared = Preprocessor.build(source);
        Dataset ds = prepared.dataset();
        String type = ModelCatalog.known().contains("sasrec") ? "sasrec" : "dnn";
        if ("experiment".equals(System.getProperty("bench.mode"))) {
            experimentMode(prepared, type, jdbc, node, key, clients, seconds);
            return;
        }
        Hyperparameters hp = new Hyperparameters(Map.of("epochs", System.getProperty("bench.epochs", "10")));
        Path export = Files.createTempDirectory("serve-bench").resolve("model");
        long t1 = System.nanoTime();
        try (Recommender model = ModelCatalog.create(type, hp)) {
            model.fit(new TrainingContext(ds, Splitter.leaveOneOut(ds.interactions(), ds.numItems()), hp, 42,
                    ProgressListener.NONE, null));
            ((Exportable) model).export(export, Map.of(), prepared.history());
        }
        System.out.printf("trained %s on %d users x %d items (%d interactions) in %.1f s%n", type, ds.numUsers(),
                ds.numItems(), ds.interactions().size(), (System.nanoTime() - t1) / 1e9);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelArchive.zip(export, zip);
        long modelId;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            modelId = registerAndPromote(c, type, type, zip.toByteArray());
        }
        System.out.printf("registered and promoted model id %d (%d KiB artifact)%n", modelId, zip.size() / 1024);

        List<String> users = ds.users().ids();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        long waitUntil = System.currentTimeMillis() + 120_000;
        while (true) {
            String body = http.send(request(node, key, users.get(0)), HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"fallback\":false")) break;
            if (System.currentTimeMillis() > waitUntil) throw new IllegalStateException("node never served the model: " + body);
            Thread.sleep(500);
        }
        System.out.println("node serves the model; sample: " + http.send(request(node, key, users.get(1)),
                HttpResponse.BodyHandlers.ofString()).body().substring(0, 160) + "...");

        // long warm-up first (JIT, pools, TF), then a soak whose RSS shows growth, then the measured
        // window and the in-process rate back to back, so both see about the same machine load
        httpLoad(http, node, key, users, clients, Math.max(20, seconds), null);
        long rss0 = rss(pid);
        double[] s1 = soak > 0 ? httpLoad(http, node, key, users, clients, soak, null) : null;
        long rss1 = rss(pid);

        long cpu0 = cpuMillis(pid), pg0 = postgresCpuMillis();
        double[] r = httpLoad(http, node, key, users, clients, seconds, null);
        double nodeCpuPerReq = (cpuMillis(pid) - cpu0) / (r[0] * seconds);
        double pgCpuPerReq = (postgresCpuMillis() - pg0) / (r[0] * seconds);
        System.out.printf("HTTP  %d clients, %d s: %.0f req/s, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, errors %d;"
                        + " node CPU %.2f ms/request%n", clients, seconds, r[0], r[1], r[2], r[3], r[4], (long) r[5],
                nodeCpuPerReq);
        String cpus = System.getProperty("bench.nodeCpus", "");
        double[][] measured = cpus.isEmpty()
                ? new double[][]{inProcess(export, ds, clients, seconds), inProcessBatched(export, ds, Math.max(5, seconds / 3))}
                : inProcessPinned(cpus, export, data, clients, seconds);
        double[] in = measured[0], batched = measured[1];
        System.out.printf("in-process (same exported model, %d threads, one user per run%s): %.0f scorings/s, CPU %.2f ms/scoring%n",
                clients, cpus.isEmpty() ? "" : ", on the node's CPUs " + cpus, in[0], in[1]);
        System.out.printf("in-process batched (one thread, 16 users per run): %.0f scorings/s, CPU %.2f ms/scoring%n",
                batched[0], batched[1]);
        System.out.printf("ratio HTTP / in-process: %.2f  (target >= 0.70)%n", r[0] / in[0]);
        // on one small machine the clients and PostgreSQL share the cores with the node: the CPU split
        // says how much of the gap is the node's own overhead
        System.out.printf("CPU per request: node %.2f ms, PostgreSQL %.2f ms (history read); in-process %.2f ms per scoring;"
                + " node CPU ratio in-process / node %.2f%n", nodeCpuPerReq, pgCpuPerReq, in[1], in[1] / nodeCpuPerReq);

        if (soak > 0) {
            double[] s2 = httpLoad(http, node, key, users, clients, soak, null);
            long rss2 = rss(pid);
            System.out.printf("soak 1 (%d s): %.0f req/s, p99 %.2f ms, errors %d; soak 2: %.0f req/s, p99 %.2f ms, errors %d%n",
                    soak, s1[0], s1[3], (long) s1[5], s2[0], s2[3], (long) s2[5]);
            System.out.printf("node RSS after warm-up %d MiB, after soak 1 %d MiB, after measuring + soak 2 %d MiB%n",
                    rss0 / 1024, rss1 / 1024, rss2 / 1024);
        }
        ModelArchive.deleteTree(export.getParent());
    }

    /**
     * Experiment mode (BENCH_MODE=experiment): two models (one training registered twice, or with
     * bench.distinct=true seeds 42 and 43), the first promoted; then alternating windows without an experiment and with a running 50/50 experiment of
     * the two (rows inserted as the control plane writes them, NOTIFY experiments_changed), so both see
     * about the same machine load. Prints the throughput and p99 ratios and the exposures the node
     * dropped (its Prometheus counter) and wrote.
     */
    static void experimentMode(dev.penchant.core.preprocess.PreparedDataset prepared, String type, String jdbc, String node,
                               String key, int clients, int seconds) throws Exception {
        Dataset ds = prepared.dataset();
        // a short window keeps training and loading inside a few minutes; the ratio compares like with like
        Hyperparameters hp = new Hyperparameters(Map.of("epochs", System.getProperty("bench.epochs", "1"),
                "window", System.getProperty("bench.window", "50")));
        // one training, registered twice: two registry entries, two loaded sessions with their own batchers
        // and scoring state, which is what serving two models costs (bench.distinct=true trains both)
        boolean distinct = Boolean.getBoolean("bench.distinct");
        long[] ids = new long[2];
        byte[] artifact = null;
        for (int i = 0; i < 2; i++) {
            long t1 = System.nanoTime();
            // a repeated run reuses the trained artifact (same data, type, epochs, window, seed)
            Path cached = Path.of("bench/serve/target", "experiment-" + type + "-e" + hp.given().get("epochs") + "-w"
                    + hp.given().get("window") + "-s" + (42 + i) + ".zip");
            boolean trained = false;
            if (artifact == null || distinct) artifact = Files.exists(cached) ? Files.readAllBytes(cached) : null;
            if (artifact == null) {
                trained = true;
                Path export = Files.createTempDirectory("serve-bench").resolve("model");
                try (Recommender model = ModelCatalog.create(type, hp)) {
                    model.fit(new TrainingContext(ds, Splitter.leaveOneOut(ds.interactions(), ds.numItems()), hp, 42 + i,
                            ProgressListener.NONE, null));
                    ((Exportable) model).export(export, Map.of(), prepared.history());
                }
                ByteArrayOutputStream zip = new ByteArrayOutputStream();
                ModelArchive.zip(export, zip);
                ModelArchive.deleteTree(export.getParent());
                artifact = zip.toByteArray();
                Files.createDirectories(cached.getParent());
                Files.write(cached, artifact);
            }
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
                ids[i] = i == 0 ? registerAndPromote(c, "bench-a", type, artifact) : register(c, "bench-b", type, artifact);
            }
            System.out.printf("%s %s in %.1f s (model id %d)%n", trained ? "trained " + type
                            : i == 0 || distinct ? "reused the " + type + " artifact of an earlier run as" : "registered the same artifact as",
                    i == 0 ? "bench-a (promoted)" : "bench-b", (System.nanoTime() - t1) / 1e9, ids[i]);
        }
        long experiment;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            // bench.sameModel=true: both variants on the first model, which isolates what assignment, routing and
            // the exposure rows cost from what a second loaded model costs
            experiment = insertExperiment(c, ids[0], Boolean.getBoolean("bench.sameModel") ? ids[0] : ids[1]);
        }
        List<String> users = ds.users().ids();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        awaitBody(http, node, key, users.get(0), b -> b.contains("\"fallback\":false"), "the promoted model");
        httpLoad(http, node, key, users, clients, seconds, null); // warm-up: JIT, pools, TF
        int rounds = Integer.parseInt(System.getProperty("bench.rounds", "3"));
        double[][] base = new double[rounds][], exp = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            // ABBA order: a machine that speeds up (JIT) or slows down (neighbours) favours neither side
            for (boolean running : r % 2 == 0 ? new boolean[]{false, true} : new boolean[]{true, false}) {
                setExperiment(jdbc, experiment, running);
                awaitBody(http, node, key, users.get(0), b -> b.contains("\"experiment\"") == running,
                        running ? "the experiment" : "no experiment");
                double[] m = httpLoad(http, node, key, users, clients, seconds, null);
                if (running) exp[r] = m;
                else base[r] = m;
            }
            System.out.printf("round %d: no experiment %.0f req/s, p99 %.2f ms, errors %d | 50/50 experiment %.0f req/s, p99 %.2f ms, errors %d%n",
                    r + 1, base[r][0], base[r][3], (long) base[r][5], exp[r][0], exp[r][3], (long) exp[r][5]);
        }
        // medians over the rounds: one noisy window on a shared machine does not decide
        double baseRps = median(base, 0), expRps = median(exp, 0), baseP99 = median(base, 3), expP99 = median(exp, 3);
        Thread.sleep(2500); // the exposure writer's last batch
        String metrics = http.send(HttpRequest.newBuilder(URI.create(node + "/q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long dropped = (long) metric(metrics, "penchant_exposures_dropped_total");
        long written = (long) metric(metrics, "penchant_exposures_written_total");
        long rows;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             ResultSet rs = c.createStatement().executeQuery("select count(*) from exposures where experiment_id = " + experiment)) {
            rs.next();
            rows = rs.getLong(1);
        }
        System.out.printf("experiment mode, %d clients, %d x %d s per side (medians): no experiment %.0f req/s p99 %.2f ms;"
                        + " 50/50 two-model experiment %.0f req/s p99 %.2f ms%n", clients, rounds, seconds, baseRps, baseP99, expRps, expP99);
        System.out.printf("throughput ratio experiment / none: %.3f (target >= 0.9); p99 ratio: %.3f (target <= 1.2);"
                        + " exposures written %d (%d rows of the experiment), dropped %d (target 0)%n",
                expRps / baseRps, expP99 / baseP99, written, rows, dropped);
    }

    static double median(double[][] runs, int field) {
        double[] v = Arrays.stream(runs).mapToDouble(r -> r[field]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Sum of a Prometheus counter over its label sets. */
    static double metric(String text, String name) {
        double sum = 0;
        for (String line : text.lines().toList()) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return sum;
    }

    static void awaitBody(HttpClient http, String node, String key, String user, java.util.function.Predicate<String> ok,
                          String what) throws Exception {
        long until = System.currentTimeMillis() + 120_000;
        while (true) {
            String body = http.send(request(node, key, user), HttpResponse.BodyHandlers.ofString()).body();
            if (ok.test(body)) return;
            if (System.currentTimeMillis() > until) throw new IllegalStateException("node never served " + what + ": " + body);
            Thread.sleep(200);
        }
    }

    /** A 50/50 experiment of the two models on the user surface, stopped until setExperiment starts it. */
    static long insertExperiment(Connection c, long a, long b) throws Exception {
        c.setAutoCommit(true);
        long id;
        try (PreparedStatement ps = c.prepareStatement("""
                insert into experiments (key, hypothesis, surface, salt, primary_metric, status)
                values ('bench-ab', 'bench', 'user', md5(random()::text), 'ctr', 'stopped') returning id""");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into experiment_variants (experiment_id, position, name, weight, model_id) values (?, ?, ?, 0.5, ?)""")) {
            for (int i = 0; i < 2; i++) {
                ps.setLong(1, id);
                ps.setInt(2, i);
                ps.setString(3, i == 0 ? "control" : "treatment");
                ps.setLong(4, i == 0 ? a : b);
                ps.executeUpdate();
            }
        }
        return id;
    }

    static void setExperiment(String jdbc, long id, boolean running) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement ps = c.prepareStatement("update experiments set status = ?, started_at = coalesce(started_at, now()) where id = ?");
             PreparedStatement n = c.prepareStatement("select pg_notify('experiments_changed', 'bench-ab')")) {
            ps.setString(1, running ? "running" : "stopped");
            ps.setLong(2, id);
            ps.executeUpdate();
            n.executeQuery().close();
        }
    }

    /** Registers a model version without promoting it (an experiment variant's model), in its own transaction. */
    static long register(Connection c, String name, String type, byte[] content) throws Exception {
        c.setAutoCommit(true);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        long artifact;
        try (PreparedStatement ps = c.prepareStatement(
                "insert into model_artifacts (sha256, size_bytes, content) values (?, ?, ?) returning id")) {
            ps.setString(1, sha);
            ps.setLong(2, content.length);
            ps.setBytes(3, content);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                artifact = rs.getLong(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into models (name, version, model_type, artifact_id)
                select ?, coalesce(max(version), 0) + 1, ?, ? from models where name = ? returning id""")) {
            ps.setString(1, name);
            ps.setString(2, type);
            ps.setLong(3, artifact);
            ps.setString(4, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static HttpRequest request(String node, String key, String user) {
        return HttpRequest.newBuilder(URI.create(node + "/v1/recommendations/" + user + "?k=10"))
                .header("X-API-Key", key).timeout(Duration.ofSeconds(10)).GET().build();
    }

    /** {req/s, p50 ms, p90 ms, p99 ms, max ms, errors}. */
    static double[] httpLoad(HttpClient http, String node, String key, List<String> users, int clients, int seconds,
                             Map<String, Object> out) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long[][] lat = new long[clients][];
        int[] counts = new int[clients];
        AtomicLong errors = new AtomicLong();
        Thread[] threads = new Thread[clients];
        long start = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            int id = t;
            threads[t] = new Thread(() -> {
                long[] l = new long[1 << 16];
                int n = 0;
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                while (System.nanoTime() < end) {
                    String u = users.get(rnd.nextInt(users.size()));
                    long s = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(request(node, key, u), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() != 200 || !r.body().contains("\"fallback\":false")) errors.incrementAndGet();
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (n == l.length) l = Arrays.copyOf(l, n * 2);
                    l[n++] = System.nanoTime() - s;
                }
                lat[id] = l;
                counts[id] = n;
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        double elapsed = (System.nanoTime() - start) / 1e9;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int p = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(lat[t], 0, all, p, counts[t]);
            p += counts[t];
        }
        Arrays.sort(all);
        return new double[]{total / elapsed, pct(all, 0.5), pct(all, 0.9), pct(all, 0.99),
                all.length == 0 ? 0 : all[all.length - 1] / 1e6, errors.get()};
    }

    static double pct(long[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /**
     * With the node pinned to some CPUs (bench.nodeCpus), in-process scoring runs in a child JVM pinned
     * to the same CPUs, so both sides of the ratio get the same cores.
     */
    static double[][] inProcessPinned(String cpus, Path export, Path data, int threads, int seconds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder("taskset", "-c", cpus, java, "-Xmx2g",
                "-Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir", ""),
                "-cp", System.getProperty("java.class.path"), ServeBench.class.getName(), "in-process",
                export.toString(), data.toString(), String.valueOf(threads), String.valueOf(seconds))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start(); // its log joins the bench's stderr.txt
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        if (p.waitFor() != 0 || lines.size() < 2) throw new IllegalStateException("in-process child failed: " + lines);
        double[][] out = new double[2][];
        for (int i = 0; i < 2; i++) out[i] = Stream.of(lines.get(lines.size() - 2 + i).split(" ")).mapToDouble(Double::parseDouble).toArray();
        return out;
    }

    /** Child JVM of {@link #inProcessPinned}: prints "scorings/s cpu-ms" for one user per run, then batched. */
    static void inProcessChild(Path export, Path data, int threads, int seconds) throws Exception {
        Dataset ds = Preprocessor.build(DataFormats.open(data, "movielens-atomic", Map.of())).dataset();
        double[] in = inProcess(export, ds, threads, seconds);
        double[] batched = inProcessBatched(export, ds, Math.max(5, seconds / 3));
        System.out.println(in[0] + " " + in[1]);
        System.out.println(batched[0] + " " + batched[1]);
    }

    /** The same exported model scored one user per run from `threads` threads, as the node's requests arrive. */
    /** {scorings/s, process CPU ms per scoring}. */
    static double[] inProcess(Path export, Dataset ds, int threads, int seconds) throws InterruptedException {
        try (ExportedModel m = ExportedModel.open(export)) {
            int[][] seqs = ds.interactions().items();
            for (int i = 0; i < 200; i++) m.scoreAll(new int[]{i % seqs.length}, new int[][]{seqs[i % seqs.length]});
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long cpu0 = selfCpuMillis();
            AtomicLong done = new AtomicLong();
            Thread[] ts = new Thread[threads];
            long start = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                ts[t] = new Thread(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    long n = 0;
                    while (System.nanoTime() < end) {
                        int u = rnd.nextInt(seqs.length);
                        m.scoreAll(new int[]{u}, new int[][]{seqs[u]});
                        n++;
                    }
                    done.addAndGet(n);
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            return new double[]{done.get() / ((System.nanoTime() - start) / 1e9),
                    (selfCpuMillis() - cpu0) / (double) done.get()};
        }
    }

    static double[] inProcessBatched(Path export, Dataset ds, int seconds) {
        try (ExportedModel m = ExportedModel.open(export)) {
            int[][] seqs = ds.interactions().items();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            long start = System.nanoTime();
            long cpu0 = selfCpuMillis();
            long n = 0;
            while (System.nanoTime() < end) {
                int[] us = new int[16];
                int[][] hs = new int[16][];
                for (int i = 0; i < 16; i++) {
                    us[i] = rnd.nextInt(seqs.length);
                    hs[i] = seqs[us[i]];
                }
                m.scoreAll(us, hs);
                n += 16;
            }
            return new double[]{n / ((System.nanoTime() - start) / 1e9), (selfCpuMillis() - cpu0) / (double) n};
        }
    }

    /** utime + stime of a process in ms (/proc/pid/stat, 100 ticks per second). */
    static long cpuMillis(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
    }

    /** CPU of every PostgreSQL server process on this machine (the node's history reads), in ms. */
    static long postgresCpuMillis() {
        long sum = 0;
        for (ProcessHandle p : ProcessHandle.allProcesses().toList()) {
            try {
                String comm = Files.readString(Path.of("/proc/" + p.pid() + "/comm")).trim();
                if (comm.equals("postgres")) sum += cpuMillis(p.pid());
            } catch (Exception e) {
                // the process ended or is not readable
            }
        }
        return sum;
    }

    static long selfCpuMillis() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
    }

    static long rss(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        return -1;
    }

    static int load(Connection c, DataSource source) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("""
                insert into items (item_id, title, description, categories) values (?, ?, ?, ?)
                on conflict (item_id) do nothing""");
             Stream<RawItem> items = source.items()) {
            for (RawItem i : (Iterable<RawItem>) items::iterator) {
                ps.setString(1, i.itemId());
                ps.setString(2, i.title());
                ps.setString(3, i.description());
                ps.setArray(4, c.createArrayOf("text", i.categories() == null ? new String[0] : i.categories().toArray()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<RawEvent> all;
        try (Stream<RawEvent> ev = source.events()) {
            all = ev.toList();
        }
        int n = 0;
        for (int from = 0; from < all.size(); from += 10_000) {
            List<RawEvent> part = all.subList(from, Math.min(all.size(), from + 10_000));
            String[] ids = new String[part.size()], us = new String[part.size()], is = new String[part.size()];
            Double[] vals = new Double[part.size()];
            Timestamp[] ts = new Timestamp[part.size()];
            for (int k = 0; k < part.size(); k++) {
                RawEvent e = part.get(k);
                ids[k] = "ml-" + e.userId() + "-" + e.itemId();
                us[k] = e.userId();
                is[k] = e.itemId();
                vals[k] = e.value();
                ts[k] = Timestamp.from(e.timestamp() == null ? Instant.EPOCH : e.timestamp());
            }
            try (PreparedStatement p = c.prepareStatement("select ensure_event_partitions(?::timestamptz[])")) {
                p.setArray(1, c.createArrayOf("timestamptz", ts));
                p.executeQuery().close();
            }
            try (PreparedStatement p = c.prepareStatement("""
                    insert into events (event_id, user_id, item_id, type, value, occurred_at)
                    select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::timestamptz[])
                    on conflict do nothing""")) {
                String[] types = new String[part.size()];
                Arrays.fill(types, "rating");
                p.setArray(1, c.createArrayOf("text", ids));
                p.setArray(2, c.createArrayOf("text", us));
                p.setArray(3, c.createArrayOf("text", is));
                p.setArray(4, c.createArrayOf("text", types));
                p.setArray(5, c.createArrayOf("float8", vals));
                p.setArray(6, c.createArrayOf("timestamptz", ts));
                n += p.executeUpdate();
            }
        }
        c.commit();
        try (Statement s = c.createStatement()) {
            s.execute("analyze events");
        }
        return n;
    }

    /** Same rows and statements as the worker's JobCompletion + ModelRegistry.promote. */
    static long registerAndPromote(Connection c, String name, String type, byte[] content) throws Exception {
        long id = register(c, name, type, content);
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "update models set status = 'archived' where name = ? and status = 'promoted' and id <> ?")) {
            ps.setString(1, name);
            ps.setLong(2, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("update models set status = 'promoted', promoted_at = now() where id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("select pg_notify('model_promoted', ?)")) {
            ps.setString(1, Long.toString(id));
            ps.executeQuery().close();
        }
        c.commit();
        return id;
    }
}
