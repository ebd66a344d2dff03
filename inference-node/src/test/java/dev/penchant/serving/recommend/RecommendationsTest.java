package dev.penchant.serving.recommend;

import dev.penchant.serving.TestFixtures;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.models.ModelHolder;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node end to end against its real PostgreSQL and really trained sequence models (sasrec, else dnn): no model, first
 * promotion, seen/unavailable/category filters, fresh events, anonymous sessions, validation,
 * similar items, a cold item, a hot swap under load and a corrupt artifact. Ordered: each step builds
 * on the registry state the previous one left.
 */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RecommendationsTest {
    static final String KEY = "test-key";
    static final String MODEL = "seq-test";
    private static boolean dataInserted;

    @Inject
    Pool pool;
    @Inject
    ModelHolder holder;
    @Inject
    ItemCatalog catalog;

    private void ensureData() {
        if (dataInserted) return;
        TestFixtures.insertPlatformData(pool);
        assertTrue(catalog.refreshItems());
        assertTrue(catalog.refreshTrending());
        dataInserted = true;
    }

    private static Response get(String path) {
        return given().header("X-API-Key", KEY).when().get(path);
    }

    private static Map<String, Object> recommend(String user, String query) {
        Response r = get("/v1/recommendations/" + user + query);
        assertEquals(200, r.statusCode(), r.asString());
        return r.jsonPath().getMap("");
    }

    /** Attention models name, per item, up to three of the user's own past items with their weights. */
    @SuppressWarnings("unchecked")
    private static void assertBecauseFromHistory(Map<String, Object> body, Set<String> history) {
        for (Map<String, Object> item : (List<Map<String, Object>>) body.get("items")) {
            List<Map<String, Object>> because = (List<Map<String, Object>>) item.get("because");
            assertTrue(because != null && !because.isEmpty() && because.size() <= 3, "because of " + item);
            // one entry per past item: repeated items are merged
            assertEquals(because.size(), because.stream().map(b -> b.get("itemId")).distinct().count(), because.toString());
            double previous = 1.0, sum = 0;
            for (Map<String, Object> b : because) {
                assertTrue(history.contains((String) b.get("itemId")), "because names a past item: " + b);
                double w = ((Number) b.get("weight")).doubleValue();
                assertTrue(w > 0 && w <= previous, "weights positive, strongest first: " + because);
                previous = w;
                sum += w;
            }
            assertTrue(sum <= 1.0 + 1e-6, "attention weights are a distribution: " + because);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> itemIds(Map<String, Object> body) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> i : (List<Map<String, Object>>) body.get("items")) out.add((String) i.get("itemId"));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Integer version(Map<String, Object> body) {
        Map<String, Object> m = (Map<String, Object>) body.get("model");
        return m == null ? null : (Integer) m.get("version");
    }

    private static void await(String what, long millis, BooleanSupplier cond) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    void withoutModelAnswersTrendingWithFallback() {
        ensureData();
        assertFalse(holder.hasModel());
        Map<String, Object> body = recommend("u1", "?k=5");
        assertEquals(true, body.get("fallback"));
        assertEquals("no-model", body.get("fallbackReason"));
        assertNull(body.get("model"));
        List<String> ids = itemIds(body);
        assertEquals(5, ids.size());
        Set<String> seen = new HashSet<>(TestFixtures.eventsOf(pool, "u1"));
        for (String id : ids) assertFalse(seen.contains(id), id + " was seen");
        // most popular first, exactly the trending order minus seen items
        List<String> expected = catalog.trending().items().stream().map(ItemCatalog.Trend::itemId)
                .filter(i -> !seen.contains(i)).limit(5).toList();
        assertEquals(expected, ids);
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    @Order(2)
    void promotedModelIsLoadedAndExcludesSeenItems() throws Exception {
        ensureData();
        TestFixtures.registerAndPromote(pool, MODEL, TestFixtures.trainedArtifact(1));
        await("model v1", 60_000, () -> version(recommend("u3", "")) != null);
        for (String user : List.of("u3", "u4", "u10")) {
            Map<String, Object> body = recommend(user, "?k=10");
            assertEquals(false, body.get("fallback"));
            assertEquals(1, version(body));
            List<String> ids = itemIds(body);
            assertEquals(10, ids.size());
            Set<String> seen = new HashSet<>(TestFixtures.eventsOf(pool, user));
            for (String id : ids) assertFalse(seen.contains(id), user + ": " + id + " was seen");
            if (TestFixtures.modelType().equals("sasrec")) assertBecauseFromHistory(body, seen);
            Map<String, Object> again = new java.util.HashMap<>(recommend(user, "?k=10"));
            assertNotEquals(body.get("recommendationId"), again.get("recommendationId"), "a fresh recommendation id per answer");
            Map<String, Object> first = new java.util.HashMap<>(body);
            first.remove("recommendationId");
            again.remove("recommendationId");
            assertEquals(first, again, "the same request without new events, the same answer");
        }
        Map<String, Object> stranger = recommend("stranger", "?k=4");
        assertEquals(true, stranger.get("fallback"));
        assertEquals("cold-start", stranger.get("fallbackReason"));
        assertEquals(4, itemIds(stranger).size());
        // excludeSeen=false lets history items back in: a chain model ranks the user's own chain first
        List<String> withSeen = itemIds(recommend("u3", "?k=10&excludeSeen=false"));
        Set<String> seen = new HashSet<>(TestFixtures.eventsOf(pool, "u3"));
        assertTrue(withSeen.stream().anyMatch(seen::contains), "seen items return with excludeSeen=false");
    }

    @Test
    @Order(3)
    void newEventChangesTheNextAnswer() {
        // u5 walks chain 5 (and has seen all of it); its newest events now walk the start of chain 2
        String user = "u5";
        List<String> before = itemIds(recommend(user, "?k=10"));
        List<String> ids = new ArrayList<>(), users = new ArrayList<>(), items = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        for (int p = 0; p < 3; p++) {
            ids.add("new-" + user + "-" + p);
            users.add(user);
            items.add(TestFixtures.item(2 * TestFixtures.CHAIN_LENGTH + p));
            times.add(now.minusSeconds(60 - p));
        }
        TestFixtures.insertEvents(pool, ids, users, items, times);
        List<String> after = itemIds(recommend(user, "?k=10"));
        assertNotEquals(before, after);
        for (String i : items) assertFalse(after.contains(i), "new events count as seen: " + i);
        long chain2 = after.stream().filter(i -> TestFixtures.chainOf(Integer.parseInt(i.substring(1))) == 2).count();
        long chain2Before = before.stream().filter(i -> TestFixtures.chainOf(Integer.parseInt(i.substring(1))) == 2).count();
        assertTrue(chain2 > chain2Before && after.contains("i23"),
                "the new history pulls in its chain and its next item i23: " + before + " -> " + after);
    }

    @Test
    @Order(4)
    void categoryAndAvailabilityFilters() {
        Map<String, Object> body = recommend("u7", "?k=5&category=cat3");
        List<String> ids = itemIds(body);
        assertFalse(ids.isEmpty());
        for (String id : ids) assertEquals(3, TestFixtures.chainOf(Integer.parseInt(id.substring(1))), id);

        List<String> top = itemIds(recommend("u7", "?k=3"));
        pool.preparedQuery("update items set available = false where item_id = $1").execute(Tuple.of(top.get(0)))
                .await().indefinitely();
        try {
            assertTrue(catalog.refreshItems());
            assertFalse(itemIds(recommend("u7", "?k=3")).contains(top.get(0)));
            assertTrue(itemIds(recommend("u7", "?k=3&excludeUnavailable=false")).contains(top.get(0)));
        } finally {
            pool.preparedQuery("update items set available = true where item_id = $1").execute(Tuple.of(top.get(0)))
                    .await().indefinitely();
            catalog.refreshItems();
        }
    }

    @Test
    @Order(5)
    void anonymousSessionScoresRecentItems() {
        Response r = given().header("X-API-Key", KEY).contentType("application/json")
                .body("{\"recentItems\":[\"i40\",\"i41\",\"i42\"],\"k\":5}").when().post("/v1/recommendations");
        assertEquals(200, r.statusCode(), r.asString());
        Map<String, Object> body = r.jsonPath().getMap("");
        assertNull(body.get("userId"));
        assertEquals(false, body.get("fallback"));
        List<String> ids = itemIds(body);
        assertEquals(5, ids.size());
        assertFalse(ids.contains("i40") || ids.contains("i41") || ids.contains("i42"));
        assertTrue(ids.stream().anyMatch(i -> TestFixtures.chainOf(Integer.parseInt(i.substring(1))) == 4), ids.toString());
    }

    @Test
    @Order(6)
    void invalidInputIsProblemJsonNamingTheField() {
        for (String q : List.of("?k=0", "?k=101", "?k=ten")) {
            get("/v1/recommendations/u1" + q).then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", is("k"));
        }
        get("/v1/recommendations/u1?excludeSeen=maybe").then().statusCode(400).body("errors[0].field", is("excludeSeen"));
        given().header("X-API-Key", KEY).contentType("application/json").body("{\"k\":3}")
                .when().post("/v1/recommendations").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", is("recentItems"));
        get("/v1/items/nope/similar").then().statusCode(404).contentType("application/problem+json");
        given().when().get("/v1/recommendations/u1").then().statusCode(401);
    }

    @Test
    @Order(7)
    void similarItemsFromEmbeddings() {
        Response r = get("/v1/items/i12/similar?k=5");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("embedding", r.jsonPath().getString("method"));
        List<String> ids = r.jsonPath().getList("items.itemId");
        assertEquals(5, ids.size());
        assertFalse(ids.contains("i12"));
    }

    @Test
    @Order(8)
    void brandNewItemIsRecommendedFromContent() {
        // unknown to the model; its text matches chain 1 ("dragon"), which u1 walks
        pool.query("insert into items (item_id, title, description, categories) values "
                        + "('fresh-dragon', 'The dragon saga returns', 'More dragon and dragons', '{cat1}')")
                .execute().await().indefinitely();
        assertTrue(catalog.refreshItems());
        Map<String, Object> body = recommend("u1", "?k=10");
        assertTrue(itemIds(body).contains("fresh-dragon"), itemIds(body).toString());
        assertEquals(10, itemIds(body).size());
        assertFalse(itemIds(recommend("u2", "?k=10")).contains("fresh-dragon"), "not for a user of another chain");
        Response r = get("/v1/items/fresh-dragon/similar?k=3");
        assertEquals(200, r.statusCode(), r.asString());
        assertEquals("content", r.jsonPath().getString("method"));
        for (String id : r.jsonPath().<String>getList("items.itemId"))
            assertEquals(1, TestFixtures.chainOf(Integer.parseInt(id.substring(1))), id);
    }

    @Test
    @Order(9)
    void promotionSwitchesVersionsWithoutFailedRequests() throws Exception {
        byte[] v2 = TestFixtures.trainedArtifact(2);
        LoadedModel v1 = holder.acquire(null);
        v1.release();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger(), failed = new AtomicInteger();
        Set<Integer> versions = ConcurrentHashMap.newKeySet();
        List<String> errors = new ArrayList<>();
        Thread client = new Thread(() -> {
            while (!stop.get()) {
                Response r = get("/v1/recommendations/u" + (ok.get() % 50) + "?k=10");
                if (r.statusCode() == 200 && r.jsonPath().getBoolean("fallback") == false) {
                    ok.incrementAndGet();
                    versions.add(r.jsonPath().getInt("model.version"));
                } else {
                    failed.incrementAndGet();
                    synchronized (errors) {
                        errors.add(r.statusCode() + " " + r.asString());
                    }
                }
            }
        });
        client.start();
        try {
            await("requests before the swap", 20_000, () -> ok.get() > 20);
            TestFixtures.registerAndPromote(pool, MODEL, v2);
            await("v2 answers", 60_000, () -> versions.contains(2));
            int at = ok.get();
            await("more v2 answers", 20_000, () -> ok.get() > at + 20);
        } finally {
            stop.set(true);
            client.join(10_000);
        }
        assertEquals(0, failed.get(), errors.toString());
        assertEquals(Set.of(1, 2), versions);
        await("old session closed after draining", 10_000, v1::isClosed);
        assertEquals(2, holder.loaded().iterator().next().identity().version());
    }

    @Test
    @Order(10)
    void corruptArtifactIsSkippedAndLastGoodModelServes() throws Exception {
        long before = holder.refreshCount();
        long id = TestFixtures.registerAndPromote(pool, MODEL, "definitely not a zip".getBytes(StandardCharsets.UTF_8));
        await("corrupt artifact rejected", 30_000, () -> holder.failedIds().contains(id));
        assertTrue(holder.refreshCount() > before);
        Map<String, Object> body = recommend("u3", "?k=10");
        assertEquals(false, body.get("fallback"));
        assertEquals(2, version(body));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    @Order(11)
    void databaseTroubleFallsBackToLastGoodModelAndCachedTrending() {
        // the history read fails for real (the table is gone for a moment); caches and the model stay
        pool.query("alter table events rename to events_away").execute().await().indefinitely();
        try {
            Map<String, Object> known = recommend("u3", "?k=10");
            assertEquals(true, known.get("fallback"));
            assertEquals("history-unavailable", known.get("fallbackReason"));
            // a model with user embeddings still answers for a known user; a history-only model cannot
            if (TestFixtures.modelType().equals("dnn")) assertEquals(2, version(known));
            else assertNull(known.get("model"));
            assertEquals(10, itemIds(known).size());
            Map<String, Object> stranger = recommend("stranger", "?k=5");
            assertEquals(true, stranger.get("fallback"));
            assertEquals(5, itemIds(stranger).size(), "cached trending list");
            assertFalse(catalog.refreshTrending(), "refresh fails but keeps the cached list");
            assertEquals(5, itemIds(recommend("stranger", "?k=5")).size());
            given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        } finally {
            pool.query("alter table events_away rename to events").execute().await().indefinitely();
        }
        assertEquals(false, recommend("u3", "?k=10").get("fallback"));
    }
}
