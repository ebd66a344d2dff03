package dev.penchant.serving.recommend;

import dev.penchant.core.artifact.ModelArchive;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.train.TrainingRun;
import dev.penchant.serving.TestFixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The inference node's scores over HTTP equal the offline model's scores for the same events: ML-100K
 * (a generated rating set when it is not on this machine) plus 'view' events in the same seconds as
 * ratings, stored in PostgreSQL as ingest stores them; models trained through the one training
 * sequence with an event-type filter (ratings only) and an implicit threshold (4); for a sample of
 * users the top items and scores of a request equal the trained model's on the preprocessing's own
 * sequence of that user, and two identical requests give identical lists. Runs after the other test
 * classes (it promotes its own models into the shared node).
 */
@QuarkusTest
@Order(Integer.MAX_VALUE)
class ServingEqualsOfflineTest {
    static final String KEY = "test-key";
    static final int SAMPLE = 40;
    static final int K = 20;

    @Inject
    Pool pool;
    @Inject
    RecommendationService recommendations;
    @Inject
    HistoryReader history;
    @Inject
    dev.penchant.serving.config.ServingConfig config;

    /** ML-100K where the core's tests find it, else a generated set of ratings with many same-second ties. */
    static List<RawEvent> ratings() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("mvnw"))) p = p.getParent();
        List<Path> candidates = new ArrayList<>();
        if (p != null && p.getParent() != null) candidates.add(p.getParent().resolve("shared/data/ml-100k"));
        candidates.add(Path.of("/work/shared/data/ml-100k"));
        for (Path dir : candidates) {
            if (Files.exists(dir.resolve("ml-100k.inter"))) {
                try (Stream<RawEvent> s = DataFormats.open(dir, "movielens-atomic", Map.of()).events()) {
                    return s.toList();
                }
            }
        }
        Random rng = new Random(5);
        List<RawEvent> out = new ArrayList<>();
        for (int u = 1; u <= 300; u++) {
            long t = 880_000_000L + rng.nextInt(1_000_000);
            int n = 20 + rng.nextInt(60);
            int item = rng.nextInt(400);
            for (int k = 0; k < n; k++) {
                t += rng.nextInt(4) == 0 ? 0 : rng.nextInt(5000);
                item = rng.nextInt(3) == 0 ? rng.nextInt(400) : (item + 1 + rng.nextInt(3)) % 400;
                out.add(new RawEvent(String.valueOf(u), String.valueOf(item + 1), "rating", (double) (1 + rng.nextInt(5)),
                        Instant.ofEpochSecond(t)));
            }
        }
        return out;
    }

    /** The ratings, plus for the sampled users 'view' events (dropped by the type filter) in the seconds of their ratings. */
    static List<RawEvent> events(List<RawEvent> ratings, List<String> sample) {
        Random rng = new Random(11);
        List<RawEvent> out = new ArrayList<>(ratings.size() + 5000);
        for (RawEvent e : ratings) {
            if (sample.contains(e.userId()) && rng.nextInt(3) == 0)
                out.add(new RawEvent(e.userId(), String.valueOf(1 + rng.nextInt(1000)), "view", null, e.timestamp()));
            out.add(e);
        }
        return out;
    }

    private static List<String> sample(List<RawEvent> ratings) {
        List<String> users = ratings.stream().map(RawEvent::userId).distinct().sorted().toList();
        List<String> shuffled = new ArrayList<>(users);
        java.util.Collections.shuffle(shuffled, new Random(3));
        return List.copyOf(shuffled.subList(0, Math.min(SAMPLE, shuffled.size())));
    }

    /** As the ingest statement stores a batch: partitions first, rows in the order sent. */
    private void store(List<RawEvent> events, List<String> sample) {
        List<RawEvent> mine = events.stream().filter(e -> sample.contains(e.userId())).toList();
        for (int from = 0; from < mine.size(); from += 5000) {
            List<RawEvent> part = mine.subList(from, Math.min(mine.size(), from + 5000));
            int n = part.size();
            String[] ids = new String[n], users = new String[n], items = new String[n], types = new String[n];
            Double[] values = new Double[n];
            OffsetDateTime[] times = new OffsetDateTime[n];
            for (int i = 0; i < n; i++) {
                RawEvent e = part.get(i);
                ids[i] = "offline-" + (from + i);
                users[i] = "ml-" + e.userId();
                items[i] = e.itemId();
                types[i] = e.type();
                values[i] = e.value();
                times[i] = OffsetDateTime.ofInstant(e.timestamp(), ZoneOffset.UTC);
            }
            pool.preparedQuery("select ensure_event_partitions($1::timestamptz[])").execute(Tuple.of(times)).await().indefinitely();
            pool.preparedQuery("""
                            insert into events (event_id, user_id, item_id, type, value, occurred_at)
                            select id, u, i, t, v, ts
                              from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::timestamptz[])
                                   with ordinality as x(id, u, i, t, v, ts, ord)
                             order by ord
                            on conflict do nothing""")
                    .execute(Tuple.of(ids, users, items, types, values, times)).await().indefinitely();
        }
    }

    /** A DataSource over the same events (the user ids prefixed as stored). */
    private static DataSource source(List<RawEvent> events) {
        return new DataSource() {
            @Override
            public String name() {
                return "offline-check";
            }

            @Override
            public Stream<RawEvent> events() {
                return events.stream().map(e -> new RawEvent("ml-" + e.userId(), e.itemId(), e.type(), e.value(), e.timestamp()));
            }
        };
    }

    /** One model through the one training sequence; the offline top items (and scores) of the sample from the live model. */
    private Map<String, List<Object[]>> trainExportPromote(String model, Map<String, String> hp, DataSource source,
                                                            Dataset ds, List<String> sample) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(hp);
        settings.put("data.eventTypes", "rating");
        settings.put("data.implicitThreshold", "4");
        Path dir = Files.createTempDirectory("penchant-offline");
        Map<String, List<Object[]>> offline = new LinkedHashMap<>();
        try {
            TrainingRun.run(source, new TrainingRun.Settings(model, "loo", 42, List.of(), settings), ProgressListener.NONE,
                    stage -> { }, (trained, results, history) -> {
                        for (String id : sample) {
                            int u = ds.users().indexOf("ml-" + id);
                            if (u < 0) continue;
                            float[] s = trained.scoreAll(new int[]{u}, new int[][]{ds.interactions().items()[u]})[0];
                            offline.put("ml-" + id, top(s, ds));
                        }
                        ((Exportable) trained).export(dir.resolve("model"), Map.of(), history);
                    });
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelArchive.zip(dir.resolve("model"), zip);
            TestFixtures.registerAndPromote(pool, "offline-" + model, zip.toByteArray());
        } finally {
            ModelArchive.deleteTree(dir);
        }
        return offline;
    }

    private static List<Object[]> top(float[] s, Dataset ds) {
        Integer[] idx = new Integer[s.length];
        for (int i = 0; i < s.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
        List<Object[]> out = new ArrayList<>();
        for (int j = 0; j < K; j++) out.add(new Object[]{ds.items().idOf(idx[j]), (double) s[idx[j]]});
        return out;
    }

    private static Response get(String path) {
        return given().header("X-API-Key", KEY).when().get(path);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Response r) {
        assertEquals(200, r.statusCode(), r.asString());
        return (List<Map<String, Object>>) r.jsonPath().getMap("").get("items");
    }

    private void awaitModel(String name, String user) throws InterruptedException {
        long end = System.currentTimeMillis() + 90_000;
        while (true) {
            Response r = get("/v1/recommendations/" + user + "?k=1");
            Object m = r.jsonPath().get("model.name");
            if (name.equals(m)) return;
            if (System.currentTimeMillis() > end) throw new AssertionError("model " + name + " not served: " + r.asString());
            Thread.sleep(200);
        }
    }

    @Test
    void httpScoresEqualOfflineScoresForTheSameEvents() throws Exception {
        List<RawEvent> ratings = ratings();
        List<String> sample = sample(ratings);
        List<RawEvent> events = events(ratings, sample);
        store(events, sample);
        DataSource source = source(events);
        Dataset ds = new Preprocessor(PreprocessOptions.fromMap(Map.of("eventTypes", "rating", "implicitThreshold", "4")))
                .run(source).dataset();

        Map<String, Map<String, String>> models = new LinkedHashMap<>();
        models.put("sasrec", Map.of("dim", "16", "window", "30", "blocks", "1", "epochs", "2", "batch_size", "128", "threads", "2"));
        models.put("dnn", Map.of("dim", "16", "window", "20", "hidden", "32", "negatives", "64", "epochs", "2", "threads", "2"));
        for (Map.Entry<String, Map<String, String>> m : models.entrySet()) {
            Map<String, List<Object[]>> offline = trainExportPromote(m.getKey(), m.getValue(), source, ds, sample);
            awaitModel("offline-" + m.getKey(), offline.keySet().iterator().next());
            assertTrue(offline.size() >= SAMPLE / 2, "sampled users kept by the preprocessing: " + offline.size());
            for (Map.Entry<String, List<Object[]>> u : offline.entrySet()) {
                List<Map<String, Object>> served = items(get("/v1/recommendations/" + u.getKey() + "?k=" + K + "&excludeSeen=false"));
                assertEquals(K, served.size());
                for (int j = 0; j < K; j++) {
                    Object[] want = u.getValue().get(j);
                    assertEquals(want[0], served.get(j).get("itemId"), m.getKey() + " " + u.getKey() + " rank " + j);
                    double got = ((Number) served.get(j).get("score")).doubleValue();
                    double expected = (Double) want[1];
                    assertEquals(expected, got, 1e-4 + 1e-5 * Math.abs(expected), m.getKey() + " " + u.getKey() + " score at rank " + j);
                }
                // identical requests without new events: identical lists (seen items excluded, the default)
                List<Map<String, Object>> first = items(get("/v1/recommendations/" + u.getKey() + "?k=" + K));
                assertEquals(first, items(get("/v1/recommendations/" + u.getKey() + "?k=" + K)), u.getKey());
            }
            System.out.printf(Locale.ROOT, "%s: %d users, HTTP top-%d and scores equal the offline model's%n", m.getKey(), offline.size(), K);
        }
        costOfExcludeSeen(sample);
    }

    /**
     * Not an assertion: what excludeSeen over the whole history costs per request here, measured on the
     * service (no HTTP client in the figure), the two settings alternating, printed for the report.
     */
    private void costOfExcludeSeen(List<String> sample) {
        // as autovacuum leaves a table that is not written to: the visibility map set, so the reads are index-only
        pool.query("vacuum analyze events").execute().await().indefinitely();
        int maxEvents = config.history().maxEvents();
        long longHistories = sample.stream().filter(u -> TestFixtures.eventsOf(pool, "ml-" + u).size() > maxEvents).count();
        // what the extra query costs a user whose history is longer than one read (timed on the longest users here)
        List<String> longest = sample.stream().sorted((a, b) -> Integer.compare(TestFixtures.eventsOf(pool, "ml-" + b).size(),
                TestFixtures.eventsOf(pool, "ml-" + a).size())).limit(5).toList();
        long seenNanos = 0;
        for (int round = 0; round < 10; round++)
            for (String u : longest) {
                long t0 = System.nanoTime();
                history.seenItems("ml-" + u).await().indefinitely();
                if (round >= 2) seenNanos += System.nanoTime() - t0;
            }
        System.out.printf(Locale.ROOT, "the distinct-items query, for the %d longest histories here (%d events): %.3f ms%n",
                longest.size(), TestFixtures.eventsOf(pool, "ml-" + longest.get(0)).size(), seenNanos / 1e6 / (8 * longest.size()));
        long[] nanos = new long[2];
        int requests = 0;
        for (int round = 0; round < 12; round++) {
            for (int k = 0; k < 2; k++) {
                boolean exclude = (round + k) % 2 == 0;
                long t0 = System.nanoTime();
                for (String u : sample) recommendations.forUser("ml-" + u, new Dtos.Query(10, null, exclude, true)).await().indefinitely();
                if (round >= 2) nanos[exclude ? 0 : 1] += System.nanoTime() - t0;
            }
            if (round >= 2) requests += sample.size();
        }
        System.out.printf(Locale.ROOT, "excludeSeen cost: %.3f ms per request with, %.3f ms without (%d of %d users with more than %d events, %d requests each)%n",
                nanos[0] / 1e6 / requests, nanos[1] / 1e6 / requests, longHistories, sample.size(), maxEvents, requests);
    }
}
