package dev.penchant.serving.experiments;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.split.Splitter;
import dev.penchant.experiments.assignment.Assignment;
import dev.penchant.schema.Channels;
import dev.penchant.serving.TestFixtures;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.exposure.ExposureLog;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.models.ModelHolder;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 50/50 experiment of two really trained models on the user surface, through real HTTP and the real
 * PostgreSQL: every answer routes to the variant Assignment computes and says so, exposures rows name
 * the variant, model and items shown, and swapping a variant's model (to a served baseline) under
 * concurrent requests fails none and closes the old model after its last request. Runs after
 * RecommendationsTest (which starts from an empty registry) and stops its experiment at the end.
 */
@QuarkusTest
@Order(Integer.MAX_VALUE - 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExperimentServingTest {
    static final String KEY = "test-key";
    static final String EXPERIMENT = "exp-serve-ab";
    static final double[] WEIGHTS = {0.5, 0.5};
    static long modelA, modelB, experimentId, controlId, treatmentId;
    static String salt;

    @Inject
    Pool pool;
    @Inject
    ModelHolder holder;
    @Inject
    ItemCatalog catalog;
    @Inject
    ExposureLog exposures;

    private static Response get(String path) {
        return given().header("X-API-Key", KEY).when().get(path);
    }

    private static void await(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    private void ensureData() {
        long items = pool.query("select count(*) from items").execute().await().indefinitely().iterator().next().getLong(0);
        if (items == 0) TestFixtures.insertPlatformData(pool);
        assertTrue(catalog.refreshItems());
        assertTrue(catalog.refreshTrending());
    }

    private void notifyExperiments() {
        pool.preparedQuery("select pg_notify($1, $2)").execute(Tuple.of(Channels.EXPERIMENTS_CHANGED, EXPERIMENT)).await().indefinitely();
    }

    private boolean loaded(long id) {
        LoadedModel m = holder.acquireById(id);
        if (m == null) return false;
        m.release();
        return true;
    }

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void answersRouteByAssignmentAndExposuresNameTheVariant() throws Exception {
        ensureData();
        modelA = TestFixtures.register(pool, "exp-a", TestFixtures.modelType(), TestFixtures.trainedArtifact(11));
        modelB = TestFixtures.register(pool, "exp-b", TestFixtures.modelType(), TestFixtures.trainedArtifact(12));
        salt = UUID.randomUUID().toString().replace("-", "");
        experimentId = pool.preparedQuery("""
                        insert into experiments (key, hypothesis, surface, salt, primary_metric, status, started_at)
                        values ($1, 'b beats a', 'user', $2, 'ctr', 'running', now()) returning id""")
                .execute(Tuple.of(EXPERIMENT, salt)).await().indefinitely().iterator().next().getLong(0);
        controlId = variant(0, "control", modelA);
        treatmentId = variant(1, "treatment", modelB);
        notifyExperiments();
        await("experiment routed", 60_000, () -> holder.experiments().containsKey(ModelHolder.USER) && loaded(modelA) && loaded(modelB));

        Map<String, Map<String, Object>> answers = new HashMap<>();
        int[] perVariant = new int[2];
        for (int u = 0; u < TestFixtures.USERS; u++) {
            String user = "u" + u;
            Response r = get("/v1/recommendations/" + user + "?k=5");
            assertEquals(200, r.statusCode(), r.asString());
            Map<String, Object> body = r.jsonPath().getMap("");
            int expected = Assignment.assign(salt, user, WEIGHTS);
            perVariant[expected]++;
            Map<String, Object> exp = (Map<String, Object>) body.get("experiment");
            assertEquals(Map.of("key", EXPERIMENT, "variant", expected == 0 ? "control" : "treatment"), exp, user);
            assertEquals(false, body.get("fallback"), user + ": " + body);
            assertEquals(expected == 0 ? "exp-a" : "exp-b", ((Map<String, Object>) body.get("model")).get("name"), user);
            answers.put(UUID.fromString((String) body.get("recommendationId")).toString(), body);
        }
        assertEquals(TestFixtures.USERS, answers.size(), "one fresh recommendation id per answer");
        assertTrue(perVariant[0] > 60 && perVariant[1] > 60, Arrays.toString(perVariant));
        // a fallback answer is assigned, labelled and logged too
        Response r = get("/v1/recommendations/nobody-knows-me?k=5");
        Map<String, Object> stranger = r.jsonPath().getMap("");
        assertEquals("cold-start", stranger.get("fallbackReason"));
        assertNotNull(stranger.get("experiment"));
        answers.put((String) stranger.get("recommendationId"), stranger);

        exposures.flush();
        await("exposures written", 20_000, () -> count("select count(*) from exposures where experiment_id = $1") == answers.size());
        for (Row row : pool.preparedQuery("""
                        select recommendation_id, user_id, surface, variant_id, model_id, fallback_reason, items
                          from exposures where experiment_id = $1""")
                .execute(Tuple.of(experimentId)).await().indefinitely()) {
            Map<String, Object> body = answers.get(row.getUUID(0).toString());
            assertNotNull(body, "an exposure per answer: " + row.getUUID(0));
            String user = row.getString(1);
            assertEquals(body.get("userId"), user);
            assertEquals("user", row.getString(2));
            boolean control = ((Map<String, Object>) body.get("experiment")).get("variant").equals("control");
            assertEquals(control ? controlId : treatmentId, row.getLong(3), user);
            if (body.get("model") == null) {
                assertNull(row.getLong(4));
                assertEquals(body.get("fallbackReason"), row.getString(5));
            } else {
                assertEquals(control ? modelA : modelB, row.getLong(4), user);
                assertNull(row.getString(5));
            }
            List<String> shown = ((List<Map<String, Object>>) body.get("items")).stream().map(i -> (String) i.get("itemId")).toList();
            assertArrayEquals(shown.toArray(new String[0]), row.getArrayOfStrings(6), "items in shown order: " + user);
        }
    }

    private long variant(int position, String name, long model) {
        return pool.preparedQuery("""
                        insert into experiment_variants (experiment_id, position, name, weight, model_id)
                        values ($1, $2, $3, 0.5, $4) returning id""")
                .execute(Tuple.of(experimentId, position, name, model)).await().indefinitely().iterator().next().getLong(0);
    }

    private long count(String sql) {
        return pool.preparedQuery(sql).execute(Tuple.of(experimentId)).await().indefinitely().iterator().next().getLong(0);
    }

    @Test
    @Order(2)
    void swappingAVariantToAServedBaselineUnderLoadFailsNoRequest() throws Exception {
        long transition = TestFixtures.register(pool, "exp-transition", "transition", TestFixtures.baselineArtifact("transition"));
        LoadedModel oldB = holder.acquireById(modelB);
        assertNotNull(oldB);
        oldB.release();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        Set<String> models = ConcurrentHashMap.newKeySet();
        List<String> errors = new ArrayList<>();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    // u5 has extra events from RecommendationsTest; every other user has a model answer
                    int u = ThreadLocalRandom.current().nextInt(TestFixtures.USERS);
                    if (u == 5) continue;
                    Response r = get("/v1/recommendations/u" + u + "?k=10");
                    if (r.statusCode() == 200 && !r.jsonPath().getBoolean("fallback") && r.jsonPath().getString("recommendationId") != null) {
                        ok.incrementAndGet();
                        models.add(r.jsonPath().getString("model.name"));
                    } else {
                        failed.incrementAndGet();
                        synchronized (errors) {
                            errors.add(r.statusCode() + " " + r.asString());
                        }
                    }
                }
            });
            t.start();
            clients.add(t);
        }
        try {
            await("requests before the swap", 30_000, () -> ok.get() > 30);
            // the treatment now serves the transition baseline ('transition' = the newest model of that type)
            pool.preparedQuery("update experiment_variants set model_id = null, baseline = 'transition' where id = $1")
                    .execute(Tuple.of(treatmentId)).await().indefinitely();
            notifyExperiments();
            await("baseline answers", 60_000, () -> models.contains("exp-transition"));
            int at = ok.get();
            await("more answers after the swap", 30_000, () -> ok.get() > at + 30);
        } finally {
            stop.set(true);
            for (Thread t : clients) t.join(10_000);
        }
        assertEquals(0, failed.get(), errors.toString());
        assertTrue(models.containsAll(Set.of("exp-a", "exp-b", "exp-transition")), models.toString());
        await("old treatment model closed after its last request", 10_000, oldB::isClosed);

        // the served baseline scores exactly as the offline one on the same history (its last item)
        Dataset d = TestFixtures.dataset();
        Hyperparameters hp = Hyperparameters.empty();
        try (Recommender offline = ModelCatalog.create("transition", hp)) {
            offline.fit(new TrainingContext(d, Splitter.leaveOneOut(d.interactions(), d.numItems()), hp, 1, ProgressListener.NONE, null));
            int checked = 0;
            for (int u = 0; u < TestFixtures.USERS && checked < 10; u++) {
                if (u == 5 || Assignment.assign(salt, "u" + u, WEIGHTS) != 1) continue;
                int[] seq = d.interactions().items()[u];
                float[] scores = offline.scoreAll(new int[]{u}, new int[][]{{seq[seq.length - 1]}})[0];
                Response r = get("/v1/recommendations/u" + u + "?k=10&excludeSeen=false");
                assertEquals("exp-transition", r.jsonPath().getString("model.name"));
                List<String> ids = r.jsonPath().getList("items.itemId");
                List<Float> got = r.jsonPath().getList("items.score", Float.class);
                for (int j = 0; j < ids.size(); j++) {
                    int item = d.items().indexOf(ids.get(j));
                    if (item < 0) continue; // a content-matched slot for an item the model never saw (RecommendationsTest adds one)
                    assertEquals(scores[item], got.get(j), 1e-3, "u" + u + " " + ids.get(j));
                }
                float best = 0;
                for (float s : scores) best = Math.max(best, s);
                assertEquals(best, got.get(0), 1e-3, "the top item is the offline top");
                checked++;
            }
            assertEquals(10, checked);
        }
        assertTrue(loaded(transition));
    }

    @Test
    @Order(3)
    void stoppingTheExperimentReturnsToTheSurfaceModel() throws Exception {
        pool.preparedQuery("update experiments set status = 'stopped', stopped_at = now() where id = $1")
                .execute(Tuple.of(experimentId)).await().indefinitely();
        notifyExperiments();
        await("experiment gone from the serving set", 30_000, () -> holder.experiments().isEmpty());
        Map<String, Object> body = get("/v1/recommendations/u3?k=5").jsonPath().getMap("");
        assertNull(body.get("experiment"));
        assertNotNull(body.get("recommendationId"));
        await("variant models closed", 30_000, () -> !loaded(modelA));
    }
}
