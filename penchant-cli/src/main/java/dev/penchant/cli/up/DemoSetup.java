package dev.penchant.cli.up;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.cli.demo.DemoData;
import dev.penchant.cli.importer.DatasetImporter;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What {@code ./penchant up} does once the nodes answer: load a data set (ML-100K when given, else
 * the generated demo shop), both with timestamps moved up to now; train one small model through the
 * control plane (submit a job, wait, promote); wait until the inference node answers with it. Every
 * failure is one line on stderr and exit status 1.
 * <pre>
 * demo --api URL --inference URL --api-key KEY --state DIR [--data DIR --format FMT --dataset NAME]
 *      [--model dnn] [--no-train] [--train-timeout 900]
 * </pre>
 */
public final class DemoSetup {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, String> args;
    private final String key;

    private DemoSetup(Map<String, String> args) {
        this.args = args;
        this.key = args.get("api-key");
    }

    /** A failed step: what to print. */
    static final class Failed extends RuntimeException {
        Failed(String message) {
            super(message, null, false, false);
        }
    }

    public static void main(String[] argv) {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String k = argv[i];
            if (k.equals("--no-train")) {
                a.put("no-train", "true");
            } else if (k.startsWith("--") && i + 1 < argv.length) {
                a.put(k.substring(2), argv[++i]);
            } else {
                System.err.println("demo: bad argument " + k);
                System.exit(2);
            }
        }
        for (String required : new String[]{"api", "inference", "api-key", "state"}) {
            if (!a.containsKey(required)) {
                System.err.println("demo: --" + required + " is required");
                System.exit(2);
            }
        }
        try {
            new DemoSetup(a).run();
        } catch (Failed e) {
            System.err.println("\npenchant up: " + e.getMessage());
            System.exit(1);
        } catch (RuntimeException | IOException e) {
            System.err.println("\npenchant up: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.exit(130);
        }
    }

    void run() throws IOException, InterruptedException {
        DataSource source;
        String dataset;
        if (args.containsKey("data")) {
            source = DataFormats.open(Path.of(args.get("data")), args.getOrDefault("format", "movielens-atomic"), Map.of());
            dataset = args.getOrDefault("dataset", Path.of(args.get("data")).getFileName().toString());
        } else {
            Path dir = Path.of(args.get("state"), "demo");
            if (!Files.exists(dir.resolve("demo.inter"))) {
                DemoData.Summary s = DemoData.write(dir, new DemoData.Options(500, 300, 30, 1, Instant.now()));
                System.err.println("generated the demo shop: " + s);
            }
            source = DataFormats.open(dir, "movielens-atomic", Map.of());
            dataset = "demo";
        }
        DatasetImporter.Summary imported;
        try {
            imported = new DatasetImporter(new DatasetImporter.Options(URI.create(args.get("api")), key, dataset, 1000, 4,
                    System.err, true)).run(source);
        } catch (IllegalStateException e) {
            throw new Failed(e.getMessage());
        }
        System.out.printf(Locale.ROOT, "loaded %s: %,d users, %,d items, %,d events (%,d new), newest now (timestamps moved up)%n",
                dataset, imported.users(), imported.items(), imported.events(), imported.accepted());
        if (args.containsKey("no-train")) return;
        train(firstUser(source));
    }

    private static String firstUser(DataSource source) {
        try (Stream<RawEvent> s = source.events()) {
            return s.map(RawEvent::userId).findFirst().orElse("1");
        }
    }

    private void train(String user) throws IOException, InterruptedException {
        String model = args.getOrDefault("model", "dnn");
        long t0 = System.nanoTime();
        JsonNode job = call("POST", args.get("api") + "/v1/training-jobs",
                "{\"modelType\": \"" + model + "\", \"hyperparameters\": {\"epochs\": 8, \"patience\": 2}}", 201);
        long id = job.path("id").asLong();
        Duration timeout = Duration.ofSeconds(Long.parseLong(args.getOrDefault("train-timeout", "900")));
        String status = "queued";
        while (!status.equals("succeeded")) {
            if (System.nanoTime() - t0 > timeout.toNanos()) {
                throw new Failed("training job " + id + " did not finish within " + timeout.toSeconds() + " s (status " + status
                        + "); see the training-worker's log");
            }
            Thread.sleep(2000);
            job = call("GET", args.get("api") + "/v1/training-jobs/" + id, null, 200);
            status = job.path("status").asText();
            if (status.equals("failed") || status.equals("cancelled")) {
                throw new Failed("training job " + id + " " + status + ": " + job.path("error").asText(""));
            }
            JsonNode p = job.path("progress");
            System.err.printf(Locale.ROOT, "\rtraining %s: %s, epoch %s, %.0f s   ", model, p.path("stage").asText(status),
                    p.path("epoch").asText("-"), (System.nanoTime() - t0) / 1e9);
        }
        long modelId = job.path("modelId").asLong();
        JsonNode promoted = call("POST", args.get("api") + "/v1/models/" + modelId + "/promote", "", 200);
        System.err.println();
        System.out.printf(Locale.ROOT, "trained and promoted %s v%d in %.0f s (%s)%n", promoted.path("name").asText(),
                promoted.path("version").asInt(), (System.nanoTime() - t0) / 1e9, figures(job));
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            JsonNode r = call("GET", args.get("inference") + "/v1/recommendations/" + user, null, 200);
            if (!r.path("fallback").asBoolean(true)) {
                System.out.println("the inference node serves it: recommendations for " + user + " are personalised");
                return;
            }
            if (System.nanoTime() > deadline) throw new Failed("the inference node did not pick up model " + modelId + " within 90 s");
            Thread.sleep(1000);
        }
    }

    /** The promotion guard's figures from the job's report: the model's and popularity's test NDCG@10. */
    private static String figures(JsonNode job) {
        String model = job.path("modelType").asText();
        Double mine = null, popularity = null;
        for (JsonNode r : job.path("report").path("results")) {
            if (!r.path("protocol").asText().equals("full") || !r.path("split").asText().equals("test")) continue;
            double v = r.path("metrics").path("NDCG@10").asDouble(Double.NaN);
            if (r.path("model").asText().equals(model)) mine = v;
            if (r.path("model").asText().equals("popularity")) popularity = v;
        }
        return mine == null || popularity == null ? "no test figures"
                : String.format(Locale.ROOT, "full-catalogue NDCG@10 on the test split %.3f vs popularity %.3f", mine, popularity);
    }

    private JsonNode call(String method, String url, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).header("X-API-Key", key);
        if (body != null) b.header("Content-Type", "application/json");
        HttpResponse<String> r = http.send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            String detail;
            try {
                detail = JSON.readTree(r.body()).path("detail").asText(r.body());
            } catch (IOException e) {
                detail = r.body();
            }
            throw new Failed(method + " " + URI.create(url).getPath() + " answered " + r.statusCode() + ": " + detail);
        }
        return r.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }
}
