package dev.penchant.api.experiments;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.count;
import static dev.penchant.api.Api.unique;
import static dev.penchant.api.Api.withRole;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.experiments.stats.AnalysisRequest;
import dev.penchant.experiments.stats.ExperimentAnalysis;
import dev.penchant.experiments.stats.MetricType;
import dev.penchant.experiments.stats.StatsJson;
import dev.penchant.experiments.stats.VariantData;
import dev.penchant.support.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Experiments through HTTP on the real database: validation problems naming fields, the state machine,
 * one running experiment per surface, restart with a new salt, promote-winner, roles, and results with
 * exactly the counts of a known set of exposures and attributed events, equal to the engine on
 * hand-computed aggregates.
 */
@QuarkusTest
class ExperimentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The actor the audit log names for the test profile's bootstrap key. */
    private static final String ADMIN = "key:bootstrap-" + dev.penchant.support.identity.Secrets.hash("test-key").substring(0, 12);

    @Inject
    Pool pool;
    @Inject
    io.agroal.api.AgroalDataSource db;

    long model(String type) {
        return pool.preparedQuery("insert into models (name, version, model_type) values ($1, 1, $2) returning id")
                .execute(Tuple.of(unique("exp-" + type), type)).await().indefinitely().iterator().next().getLong(0);
    }

    Map<String, Object> body(String key, String surface, long control, long treatment) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("key", key);
        b.put("hypothesis", "sasrec beats popularity on clicks");
        b.put("surface", surface);
        b.put("variants", List.of(Map.of("name", "control", "modelId", control, "weight", 0.5),
                Map.of("name", "treatment", "modelId", treatment, "weight", 0.5)));
        b.put("primaryMetric", "ctr");
        b.put("guardrails", List.of("conversion", "mean_value"));
        return b;
    }

    /** Other tests (and earlier runs of this one) may leave an experiment running on the surface. */
    void freeSurface(String surface) {
        pool.preparedQuery("update experiments set status = 'stopped', stopped_at = now() where surface = $1 and status = 'running'")
                .execute(Tuple.of(surface)).await().indefinitely();
    }

    String key() {
        return unique("exp").toLowerCase();
    }

    @Test
    void invalidExperimentsAreProblemsNamingEveryField() {
        long m = model("popularity");
        String archived = Long.toString(model("dnn"));
        pool.preparedQuery("update models set status = 'archived' where id = $1").execute(Tuple.of(Long.parseLong(archived)))
                .await().indefinitely();
        String bad = """
                {"key": "Bad Key!", "surface": "homepage", "colour": "red", "primaryMetric": "revenue",
                 "guardrails": ["ctr", "ctr"], "attributionWindow": "P90D",
                 "audience": {"kind": "percentage", "percentage": 140},
                 "variants": [{"name": "control", "modelId": %d, "weight": 0.6},
                              {"name": "control", "baseline": "magic", "weight": 0.6},
                              {"name": "t2", "modelId": 987654321, "baseline": "popularity", "weight": 0.1},
                              {"name": "t3", "modelId": 987654321, "weight": 0},
                              {"name": "t4", "modelId": %s, "weight": 0}]}""".formatted(m, archived);
        api().body(bad).post("/v1/experiments").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("key", "surface", "colour", "primaryMetric", "guardrails[1]",
                        "attributionWindow", "audience.percentage", "variants[1].name", "variants[1].baseline",
                        "variants[2].modelId", "variants"))
                .body("errors.find { it.field == 'variants' }.message", containsString("sum to 1"));
        // the database's checks come after the shape's: a missing and an archived model, by field
        Map<String, Object> b = body(key(), "user", m, 987654321L);
        api().body(b).post("/v1/experiments").then().statusCode(400).body("errors[0].field", equalTo("variants[1].modelId"))
                .body("errors[0].message", containsString("no model"));
        b = body(key(), "user", m, Long.parseLong(archived));
        api().body(b).post("/v1/experiments").then().statusCode(400).body("errors[0].field", equalTo("variants[1].modelId"))
                .body("errors[0].message", containsString("archived"));
        b = body(key(), "user", m, m);
        b.put("variants", List.of(Map.of("name", "only", "modelId", m, "weight", 1.0)));
        api().body(b).post("/v1/experiments").then().statusCode(400).body("errors[0].field", equalTo("variants"))
                .body("errors[0].message", containsString("2 to"));
        // 0.1 + 0.2 + 0.7 is not exactly 1 in doubles; within 1e-9 it is
        b = body(key(), "user", m, m);
        b.put("variants", List.of(Map.of("name", "a", "modelId", m, "weight", 0.1), Map.of("name", "b", "baseline", "current", "weight", 0.2),
                Map.of("name", "c", "baseline", "popularity", "weight", 0.7)));
        b.remove("guardrails");
        api().body(b).post("/v1/experiments").then().statusCode(201).body("attributionWindow", equalTo("PT24H"))
                .body("audience.kind", equalTo("all")).body("guardrails.size()", equalTo(0)).body("status", equalTo("draft"))
                .body("variants.name", equalTo(List.of("a", "b", "c"))).body("salt", nullValue());
        api().body(b).post("/v1/experiments").then().statusCode(409).contentType("application/problem+json");
        api().body("[1]").post("/v1/experiments").then().statusCode(400);
        api().get("/v1/experiments/no-such-experiment").then().statusCode(404).contentType("application/problem+json");
        api().get("/v1/experiments?status=bogus").then().statusCode(400).body("errors[0].field", equalTo("status"));
    }

    @Test
    void theStateMachineOneRunningPerSurfaceAndPromoteWinnerInOneAuditedStep() {
        freeSurface("user");
        long a = model("popularity"), b = model("itemknn");
        String k = key(), other = key();
        api().body(body(k, "user", a, b)).post("/v1/experiments").then().statusCode(201)
                .header("Location", containsString("/v1/experiments/" + k));
        Map<String, Object> edited = body(k, "user", a, b);
        edited.put("hypothesis", "edited");
        edited.put("attributionWindow", "PT2H");
        api().body(edited).put("/v1/experiments/" + k).then().statusCode(200).body("hypothesis", equalTo("edited"))
                .body("attributionWindow", equalTo("PT2H"));
        api().post("/v1/experiments/" + k + "/stop").then().statusCode(409);
        api().body(Map.of("variant", "treatment")).post("/v1/experiments/" + k + "/promote-winner").then().statusCode(409);
        api().post("/v1/experiments/" + k + "/start").then().statusCode(200).body("status", equalTo("running"))
                .body("startedAt", org.hamcrest.Matchers.notNullValue());
        api().post("/v1/experiments/" + k + "/start").then().statusCode(409);

        api().body(body(other, "user", a, b)).post("/v1/experiments").then().statusCode(201);
        api().post("/v1/experiments/" + other + "/start").then().statusCode(409).body("detail", containsString(k));
        api().get("/v1/experiments?status=running").then().statusCode(200).body("key", hasItem(k));

        api().body(Map.of("variant", "nobody")).post("/v1/experiments/" + k + "/promote-winner").then().statusCode(400)
                .body("errors[0].field", equalTo("variant"));
        api().body(Map.of("variant", "treatment")).post("/v1/experiments/" + k + "/promote-winner").then().statusCode(200)
                .body("status", equalTo("concluded")).body("winner", equalTo("treatment"))
                .body("stoppedAt", org.hamcrest.Matchers.notNullValue());
        assertEquals(b, count(pool, "select model_id from serving_models where surface = 'user'"));
        api().get("/v1/models/" + b).then().body("status", equalTo("promoted"));
        api().get("/v1/serving").then().statusCode(200).body("find { it.surface == 'user' }.model.id", equalTo((int) b));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'experiment.winner-promoted' and subject = $1"
                + " and actor = $2 and details->>'modelId' = $3", k, ADMIN, Long.toString(b)));
        for (String action : List.of("experiment.created", "experiment.updated", "experiment.started")) {
            assertEquals(1, count(pool, "select count(*) from audit_log where action = $1 and subject = $2", action, k), action);
        }
        // concluded is final; the surface is free again
        api().post("/v1/experiments/" + k + "/start").then().statusCode(409);
        api().body(body(k, "user", a, b)).put("/v1/experiments/" + k).then().statusCode(409);
        api().post("/v1/experiments/" + other + "/start").then().statusCode(200);
        api().post("/v1/experiments/" + other + "/stop").then().statusCode(200).body("status", equalTo("stopped"));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'experiment.stopped' and subject = $1", other));
        api().post("/v1/experiments/" + other + "/start").then().statusCode(409);
        // a baseline other than 'current' has no model to promote
        String base = key();
        Map<String, Object> withBaseline = body(base, "similar", a, b);
        withBaseline.put("variants", List.of(Map.of("name", "control", "baseline", "current", "weight", 0.5),
                Map.of("name", "pop", "baseline", "popularity", "weight", 0.5)));
        freeSurface("similar");
        api().body(withBaseline).post("/v1/experiments").then().statusCode(201);
        api().post("/v1/experiments/" + base + "/start").then().statusCode(200);
        api().body(Map.of("variant", "pop")).post("/v1/experiments/" + base + "/promote-winner").then().statusCode(409);
        api().body(Map.of("variant", "control")).post("/v1/experiments/" + base + "/promote-winner").then().statusCode(200)
                .body("status", equalTo("concluded"));
    }

    @Test
    void weightsOfARunningExperimentChangeOnlyWithARestartThatDrawsANewSalt() {
        freeSurface("session");
        long a = model("popularity"), b = model("itemknn");
        String k = key();
        Map<String, Object> spec = body(k, "session", a, b);
        api().body(spec).post("/v1/experiments").then().statusCode(201);
        String draftSalt = salt(k);
        assertTrue(draftSalt.matches("[0-9a-f]{32}"), draftSalt);
        api().post("/v1/experiments/" + k + "/start").then().statusCode(200);
        Instant started = Instant.parse(api().get("/v1/experiments/" + k).then().extract().path("startedAt"));

        // coverage and hypothesis change without moving anyone
        spec.put("audience", Map.of("kind", "percentage", "percentage", 20));
        api().body(spec).put("/v1/experiments/" + k).then().statusCode(200).body("audience.percentage", equalTo(20));
        assertEquals(draftSalt, salt(k));

        Map<String, Object> reweighted = new LinkedHashMap<>(spec);
        reweighted.put("variants", List.of(Map.of("name", "control", "modelId", a, "weight", 0.8),
                Map.of("name", "treatment", "modelId", b, "weight", 0.2)));
        api().body(reweighted).put("/v1/experiments/" + k).then().statusCode(409)
                .body("type", equalTo("https://penchant.dev/problems/restart-required"));
        assertEquals(draftSalt, salt(k));
        api().body(reweighted).put("/v1/experiments/" + k + "?restart=true").then().statusCode(200)
                .body("variants.weight", equalTo(List.of(0.8f, 0.2f))).body("status", equalTo("running"));
        String restarted = salt(k);
        assertNotEquals(draftSalt, restarted);
        assertTrue(restarted.matches("[0-9a-f]{32}"), restarted);
        assertTrue(!Instant.parse(api().get("/v1/experiments/" + k).then().extract().path("startedAt")).isBefore(started));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'experiment.restarted' and subject = $1", k));

        Map<String, Object> renamed = new LinkedHashMap<>(spec);
        renamed.put("variants", List.of(Map.of("name", "control", "modelId", a, "weight", 0.5),
                Map.of("name", "other", "modelId", b, "weight", 0.5)));
        api().body(renamed).put("/v1/experiments/" + k + "?restart=true").then().statusCode(409)
                .body("detail", containsString("variants"));
        api().body(body(k, "user", a, b)).put("/v1/experiments/" + k + "?restart=true").then().statusCode(409)
                .body("detail", containsString("surface"));
        api().body(spec).put("/v1/experiments/" + k + "?restart=maybe").then().statusCode(400).body("errors[0].field", equalTo("restart"));
        api().post("/v1/experiments/" + k + "/stop").then().statusCode(200);
    }

    @Test
    void everyChangeIsAnnouncedOnExperimentsChangedWithTheKey() throws Exception {
        freeSurface("similar");
        long a = model("popularity"), b = model("itemknn");
        String k = key();
        try (java.sql.Connection listener = db.getConnection()) {
            try (java.sql.Statement st = listener.createStatement()) {
                st.execute("listen " + dev.penchant.schema.Channels.EXPERIMENTS_CHANGED);
            }
            api().body(body(k, "similar", a, b)).post("/v1/experiments").then().statusCode(201);
            api().post("/v1/experiments/" + k + "/start").then().statusCode(200);
            api().post("/v1/experiments/" + k + "/start").then().statusCode(409); // no change, no notification
            api().post("/v1/experiments/" + k + "/stop").then().statusCode(200);
            List<String> heard = new ArrayList<>();
            long end = System.currentTimeMillis() + 5000;
            while (heard.size() < 3 && System.currentTimeMillis() < end) {
                org.postgresql.PGNotification[] ns = listener.unwrap(org.postgresql.PGConnection.class).getNotifications(500);
                if (ns != null) for (org.postgresql.PGNotification n : ns) heard.add(n.getParameter());
            }
            assertEquals(List.of(k, k, k), heard);
        }
    }

    String salt(String key) {
        return pool.preparedQuery("select salt from experiments where key = $1").execute(Tuple.of(key)).await().indefinitely()
                .iterator().next().getString(0);
    }

    @Test
    void analystsReadOnlyAndIngestOrServeKeysAreRefused() {
        long a = model("popularity"), b = model("itemknn");
        String k = key();
        api().body(body(k, "user", a, b)).post("/v1/experiments").then().statusCode(201);
        withRole(Roles.ANALYST).get("/v1/experiments/" + k).then().statusCode(200);
        withRole(Roles.ANALYST).get("/v1/experiments").then().statusCode(200);
        withRole(Roles.ANALYST).get("/v1/experiments/" + k + "/results").then().statusCode(200);
        withRole(Roles.ANALYST).get("/v1/serving").then().statusCode(200);
        withRole(Roles.ANALYST).body(body(key(), "user", a, b)).post("/v1/experiments").then().statusCode(403);
        withRole(Roles.ANALYST).body(body(k, "user", a, b)).put("/v1/experiments/" + k).then().statusCode(403);
        withRole(Roles.ANALYST).post("/v1/experiments/" + k + "/start").then().statusCode(403);
        withRole(Roles.ANALYST).body(Map.of("variant", "control")).post("/v1/experiments/" + k + "/promote-winner").then().statusCode(403);
        for (String role : List.of(Roles.INGEST, Roles.SERVE)) {
            withRole(role).get("/v1/experiments/" + k).then().statusCode(403);
            withRole(role).get("/v1/experiments/" + k + "/results").then().statusCode(403);
            withRole(role).post("/v1/experiments/" + k + "/stop").then().statusCode(403);
        }
        io.restassured.RestAssured.given().get("/v1/experiments").then().statusCode(401);
        assertEquals("draft", api().get("/v1/experiments/" + k).then().extract().path("status"));
    }

    @Test
    void eventsCarryARecommendationIdThatIsValidatedAndStored() {
        UUID rec = UUID.randomUUID();
        String user = unique("u");
        api().body(List.of(Map.of("eventId", unique("e"), "userId", user, "itemId", "i1", "type", "click", "recommendationId", rec.toString()),
                        Map.of("eventId", unique("e"), "userId", user, "itemId", "i2", "type", "view")))
                .post("/v1/events").then().statusCode(200).body("accepted", equalTo(2));
        assertEquals(1, count(pool, "select count(*) from events where user_id = $1 and recommendation_id = $2", user, rec));
        assertEquals(1, count(pool, "select count(*) from events where user_id = $1 and recommendation_id is null", user));
        api().body(List.of(Map.of("eventId", unique("e"), "userId", user, "itemId", "i1", "type", "click"),
                        Map.of("eventId", unique("e"), "userId", user, "itemId", "i1", "type", "click", "recommendationId", "not-a-uuid"),
                        Map.of("eventId", unique("e"), "userId", user, "itemId", "i1", "type", "click", "recommendationId", 12)))
                .post("/v1/events").then().statusCode(400)
                .body("errors.field", equalTo(List.of("recommendationId", "recommendationId")))
                .body("errors.index", equalTo(List.of(1, 2)));
    }

    /**
     * Known exposures and events, 3 users per arm, window 1 hour. Per user (exposures n, attributed
     * clicks c, converted, attributed purchase value v):
     * control:   uA1 n=2 c=3 yes v=10; uA2 n=1 c=0; uA3 n=1 c=0 (a late click, a click by another user,
     *            a click without recommendation id: none attributed)
     * treatment: uB1 n=1 c=1 yes v=5; uB2 n=2 c=2 yes v=27; uB3 n=1 c=0 (a click before the exposure)
     * plus exposures that do not count: before the start, anonymous, another experiment's.
     */
    @Test
    void resultsCountExactlyTheAttributedOutcomesAndEqualTheEngineOnHandComputedAggregates() throws Exception {
        freeSurface("user");
        long a = model("popularity"), b = model("itemknn");
        String k = key();
        Map<String, Object> spec = body(k, "user", a, b);
        spec.put("attributionWindow", "PT1H");
        api().body(spec).post("/v1/experiments").then().statusCode(201);
        api().post("/v1/experiments/" + k + "/start").then().statusCode(200);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
        pool.preparedQuery("update experiments set started_at = $1 where key = $2")
                .execute(Tuple.of(java.time.OffsetDateTime.ofInstant(t0.minusSeconds(60), java.time.ZoneOffset.UTC), k))
                .await().indefinitely();
        String p = unique("r");
        String uA1 = p + "-a1", uA2 = p + "-a2", uA3 = p + "-a3", uB1 = p + "-b1", uB2 = p + "-b2", uB3 = p + "-b3";
        UUID r1 = Exposures.insert(pool, k, "control", uA1, t0, "i1", "i2");
        UUID r2 = Exposures.insert(pool, k, "control", uA1, t0.plusSeconds(600), "i3");
        Exposures.insert(pool, k, "control", uA2, t0, "i1");
        UUID r4 = Exposures.insert(pool, k, "control", uA3, t0, "i1");
        UUID r5 = Exposures.insert(pool, k, "treatment", uB1, t0, "i1");
        UUID r6 = Exposures.insert(pool, k, "treatment", uB2, t0, "i1");
        UUID r7 = Exposures.insert(pool, k, "treatment", uB2, t0.plusSeconds(1200), "i2");
        UUID r8 = Exposures.insert(pool, k, "treatment", uB3, t0.plusSeconds(1800), "i1");
        UUID early = Exposures.insert(pool, k, "treatment", uB3, t0.minusSeconds(3600), "i1"); // before the start
        Exposures.insert(pool, k, "control", null, t0, "i1"); // anonymous
        pool.preparedQuery("insert into exposures (recommendation_id, shown_at, user_id, surface) values ($1, $2, $3, 'user')")
                .execute(Tuple.of(UUID.randomUUID(), java.time.OffsetDateTime.ofInstant(t0, java.time.ZoneOffset.UTC), uA2))
                .await().indefinitely(); // outside any experiment

        List<Map<String, Object>> events = new ArrayList<>();
        event(events, uA1, "click", null, r1, t0.plusSeconds(60));
        event(events, uA1, "click", null, r1, t0.plusSeconds(120));
        event(events, uA1, "click", null, r2, t0.plusSeconds(700));
        event(events, uA1, "purchase", 10.0, r2, t0.plusSeconds(900));
        event(events, uA1, "view", 30.0, r1, t0.plusSeconds(90)); // attributed, but neither click nor purchase
        event(events, uA3, "click", null, r4, t0.plusSeconds(7200)); // after the window
        event(events, uA2, "click", null, r4, t0.plusSeconds(60)); // another user's recommendation
        event(events, uA3, "click", null, null, t0.plusSeconds(60)); // no recommendation id
        event(events, uB1, "click", null, r5, t0.plusSeconds(30));
        event(events, uB1, "purchase", 5.0, r5, t0.plusSeconds(40));
        event(events, uB2, "click", null, r6, t0.plusSeconds(30));
        event(events, uB2, "purchase", 7.0, r6, t0.plusSeconds(300));
        event(events, uB2, "click", null, r7, t0.plusSeconds(1300));
        event(events, uB2, "purchase", 20.0, r7, t0.plusSeconds(1400));
        event(events, uB3, "click", null, r8, t0.plusSeconds(1700)); // before its exposure
        event(events, uB3, "click", null, early, t0.minusSeconds(3500)); // the pre-start exposure's
        api().body(events).post("/v1/events").then().statusCode(200).body("accepted", equalTo(events.size()));

        String body = api().get("/v1/experiments/" + k + "/results").then().statusCode(200).extract().asString();
        JsonNode got = JSON.readTree(body);
        assertEquals(k, got.at("/experiment/key").asText());
        assertEquals("[{\"name\":\"control\",\"users\":3,\"exposures\":4,\"clicks\":3,\"conversions\":1,\"value\":10.0},"
                        + "{\"name\":\"treatment\",\"users\":3,\"exposures\":4,\"clicks\":3,\"conversions\":2,\"value\":32.0}]",
                got.get("variants").toString());

        // the same figures from the engine on aggregates computed by hand (see the javadoc)
        JsonNode ctr = normal(StatsJson.write(ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.RATIO, List.of(
                VariantData.ratio("control", 0.5, 3, 3, 9, 4, 6, 6),
                VariantData.ratio("treatment", 0.5, 3, 3, 5, 4, 6, 5))))));
        JsonNode conversion = normal(StatsJson.write(ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.PROPORTION, List.of(
                VariantData.proportion("control", 0.5, 3, 1), VariantData.proportion("treatment", 0.5, 3, 2))))));
        JsonNode value = normal(StatsJson.write(ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.MEAN, List.of(
                VariantData.mean("control", 0.5, 3, 10, 100), VariantData.mean("treatment", 0.5, 3, 32, 754))))));
        assertEquals(ctr, got.at("/metrics/ctr"));
        assertEquals(conversion, got.at("/metrics/conversion"));
        assertEquals(value, got.at("/metrics/mean_value"));
        assertEquals(List.of("ctr", "conversion", "mean_value"), iterate(got.get("metrics").fieldNames()));
        assertTrue(got.at("/metrics/ctr/variants/1/relative/lift").isNumber(), body);

        // the daily series is cumulative: its last day holds everything, and is the primary metric's analysis
        JsonNode daily = got.get("daily");
        assertTrue(daily.size() >= 1 && daily.size() <= 2, daily.toString());
        JsonNode last = daily.get(daily.size() - 1);
        assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(), last.get("day").asText());
        assertEquals(got.get("variants"), last.get("variants"));
        assertEquals(ctr, last.get("result"));

        // a restart counts from then on: nothing yet
        Map<String, Object> reweighted = new LinkedHashMap<>(spec);
        reweighted.put("variants", List.of(Map.of("name", "control", "modelId", a, "weight", 0.6),
                Map.of("name", "treatment", "modelId", b, "weight", 0.4)));
        api().body(reweighted).put("/v1/experiments/" + k + "?restart=true").then().statusCode(200);
        api().get("/v1/experiments/" + k + "/results").then().statusCode(200)
                .body("variants.users", equalTo(List.of(0, 0)))
                .body("metrics.ctr.variants[1].relative.lift", nullValue());
        api().post("/v1/experiments/" + k + "/stop").then().statusCode(200);
    }

    /** 10,000 users x 5 exposures, 15,000 attributed clicks: exact counts, and how long the answer takes. */
    @Test
    void resultsAggregateTensOfThousandsOfExposuresInSql() {
        freeSurface("session");
        long a = model("popularity"), b = model("itemknn");
        String k = key();
        api().body(body(k, "session", a, b)).post("/v1/experiments").then().statusCode(201);
        api().post("/v1/experiments/" + k + "/start").then().statusCode(200);
        long exp = Exposures.experimentId(pool, k);
        long v0 = Exposures.variantId(pool, k, "control"), v1 = Exposures.variantId(pool, k, "treatment");
        String p = unique("bulk");
        pool.preparedQuery("update experiments set started_at = now() - interval '2 hours' where id = $1").execute(Tuple.of(exp))
                .await().indefinitely();
        pool.preparedQuery("""
                insert into exposures (recommendation_id, shown_at, user_id, surface, experiment_id, variant_id, items)
                select md5($1 || ':' || u || ':' || k)::uuid, now() - interval '1 hour' + k * interval '1 minute', $1 || '-' || u,
                       'session', $2, case when u % 2 = 0 then $3 else $4 end, array['i1', 'i2']
                  from generate_series(0, 9999) u, generate_series(0, 4) k""")
                .execute(Tuple.of(p, exp, v0, v1)).await().indefinitely();
        pool.query("select ensure_event_partitions(array[now() - interval '1 hour', now()])").execute().await().indefinitely();
        // a click on the first exposure of every user, and on the second of control's (even) users
        pool.preparedQuery("""
                insert into events (event_id, user_id, item_id, type, occurred_at, recommendation_id)
                select $1 || '-c-' || u || '-' || k, $1 || '-' || u, 'i1', 'click',
                       now() - interval '1 hour' + k * interval '1 minute' + interval '10 seconds', md5($1 || ':' || u || ':' || k)::uuid
                  from generate_series(0, 9999) u, generate_series(0, 1) k where k = 0 or u % 2 = 0""")
                .execute(Tuple.of(p)).await().indefinitely();
        long t = System.nanoTime();
        api().get("/v1/experiments/" + k + "/results").then().statusCode(200)
                .body("variants.users", equalTo(List.of(5000, 5000)))
                .body("variants.exposures", equalTo(List.of(25000, 25000)))
                .body("variants.clicks", equalTo(List.of(10000, 5000)))
                .body("metrics.ctr.variants.mean", equalTo(List.of(0.4f, 0.2f)))
                .body("metrics.ctr.srm.mismatch", equalTo(false));
        System.out.printf("experiment results over 50,000 exposures and 15,000 attributed clicks: %d ms%n",
                (System.nanoTime() - t) / 1_000_000);
        api().post("/v1/experiments/" + k + "/stop").then().statusCode(200);
    }

    private static void event(List<Map<String, Object>> out, String user, String type, Double value, UUID rec, Instant at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", unique("ev"));
        e.put("userId", user);
        e.put("itemId", "i1");
        e.put("type", type);
        if (value != null) e.put("value", value);
        if (rec != null) e.put("recommendationId", rec.toString());
        e.put("timestamp", at.toString());
        out.add(e);
    }

    /** Through text, so number node types match what the response parses into. */
    private static JsonNode normal(JsonNode n) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(n));
    }

    private static List<String> iterate(java.util.Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
