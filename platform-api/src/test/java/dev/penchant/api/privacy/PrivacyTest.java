package dev.penchant.api.privacy;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.count;
import static dev.penchant.api.Api.unique;
import static dev.penchant.api.Api.withRole;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.queue.ClaimedJob;
import dev.penchant.training.queue.DatasetFilter;
import dev.penchant.training.queue.JobCompletion;
import dev.penchant.training.queue.JobQueue;
import dev.penchant.training.registry.ModelRegistry;
import dev.penchant.training.store.TransactionStep;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Deletion and export through the API on the real database, the workflow running in this node: a user
 * with 10,000 events, a profile, an audit row and two served models is forgotten everywhere and the
 * verification proves it; a re-import brings nothing back; export; idempotency; roles.
 */
@QuarkusTest
class PrivacyTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Pool pool;
    @Inject
    JobQueue queue;
    @Inject
    ModelRegistry registry;
    @Inject
    ArtifactStore artifacts;
    @Inject
    io.agroal.api.AgroalDataSource db;
    @Inject
    PrivacyArtifacts privacyArtifacts;
    @Inject
    PrivacyHash hash;

    static List<Map<String, Object>> events(String user, String prefix, int n) {
        List<Map<String, Object>> out = new ArrayList<>(n);
        Instant start = Instant.now().minus(Duration.ofDays(80));
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("eventId", prefix + "-" + i);
            e.put("userId", user);
            e.put("itemId", "item-" + (i % 50));
            e.put("type", "view");
            e.put("timestamp", start.plusSeconds(i * 600L).toString());
            e.put("context", Map.of("page", "home", "referrer", user));
            out.add(e);
        }
        return out;
    }

    /** A registered model (as the worker registers one) whose artifact's model.json lists these users. */
    long model(String type, List<String> users, boolean userInput) throws Exception {
        Path zip = Files.createTempFile("privacy-test", ".zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("model.json"));
            z.write(JSON.writeValueAsBytes(Map.of("format", "penchant-tf/1", "model", type, "users", users,
                    "items", List.of("item-1", "item-2"), "inputs", Map.of("user", userInput, "history", true))));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("saved_model.pb"));
            z.write(new byte[]{1, 2, 3});
            z.closeEntry();
        }
        long job = queue.submit(DatasetFilter.ALL, type, Map.of(), 1);
        pool.preparedQuery("update training_jobs set status = 'cancelled' where status = 'queued' and id <> $1")
                .execute(Tuple.of(job)).await().indefinitely();
        ClaimedJob claimed = queue.claim("privacy-test-worker").orElseThrow();
        long id = new JobCompletion(db, artifacts, registry).complete(claimed, new JobCompletion.Result(Map.of(), Map.of(),
                Map.of(), Map.of()), zip, Map.of()).orElseThrow();
        Files.delete(zip);
        registry.promote(id, TransactionStep.NONE).orElseThrow();
        return id;
    }

    static JsonPath awaitStatus(long id, String status, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        JsonPath r;
        do {
            r = api().get("/v1/privacy/requests/" + id).then().statusCode(200).extract().jsonPath();
            if (status.equals(r.getString("status"))) return r;
            if ("failed".equals(r.getString("status"))) throw new AssertionError("request failed: " + r.prettify());
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("not " + status + " within " + max + ": " + r.prettify());
    }

    @Test
    void deletionReachesEveryCopyAndAReimportBringsNothingBack() throws Exception {
        String user = unique("forget-me");
        String other = unique("keep-me");
        api().body(Map.of("attributes", Map.of("country", "NL", "email", user + "@example.org")))
                .put("/v1/users/" + user).then().statusCode(201);
        List<Map<String, Object>> batch = events(user, user, 10_000);
        // five posts of 2,000: one of 10,000 can pass the test client's 30 s timeout on a loaded machine
        for (int i = 0; i < 10_000; i += 2000) {
            api().body(batch.subList(i, i + 2000)).post("/v1/events").then().statusCode(200).body("accepted", equalTo(2000));
        }
        api().body(events(other, other, 5)).post("/v1/events").then().statusCode(200).body("accepted", equalTo(5));
        pool.preparedQuery("insert into audit_log (actor, action, subject, user_id, details) values ('test', 'test.touched', $1, $1, $2::text::jsonb)")
                .execute(Tuple.of(user, JSON.writeValueAsString(Map.of("who", Map.of("id", user))))).await().indefinitely();
        long perUser = model("neumf", List.of(other, user, "someone"), true);
        long historyOnly = model("sasrec", List.of(user, other), false);

        long t0 = System.nanoTime();
        JsonPath created = api().body(Map.of("kind", "delete", "userId", user)).post("/v1/privacy/requests")
                .then().statusCode(202).extract().jsonPath();
        long id = created.getLong("id");
        assertTrue(List.of("received", "in_progress", "completed").contains(created.getString("status")));
        Duration toDeadline = Duration.between(Instant.now(), Instant.parse(created.getString("deadline")));
        assertTrue(toDeadline.toDays() >= 27 && toDeadline.toDays() <= 31, "one month: " + toDeadline);
        // the same user again while open: the same request
        assertEquals(id, api().body(Map.of("kind", "delete", "userId", user)).post("/v1/privacy/requests")
                .then().statusCode(202).extract().jsonPath().getLong("id"));

        JsonPath done = awaitStatus(id, "completed", Duration.ofSeconds(60));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.err.printf("privacy deletion of 10,000 events completed in %d ms; steps %s%n", ms, done.getMap("counts"));
        assertTrue(ms < 60_000, "under a minute: " + ms);
        assertEquals(10_000, done.getInt("counts.events.events"));
        assertEquals(10_000, done.getInt("counts.events.eventKeys"));
        assertEquals(1, done.getInt("counts.profile.users"));
        assertEquals(true, done.getBoolean("verification.clean"));
        Map<String, Integer> residue = done.getMap("verification.residue");
        assertTrue(residue.containsKey("events.user_id") && residue.containsKey("audit_log.subject"), residue.toString());
        residue.forEach((k, v) -> assertEquals(0, v, k));
        assertEquals(0, done.getInt("verification.artifactsWithUser"));
        // the same independently: nothing references the user; the audit row kept its action under the keyed hash
        for (String sql : List.of("select count(*) from events where user_id = $1", "select count(*) from event_keys where user_id = $1",
                "select count(*) from users where user_id = $1", "select count(*) from privacy_requests where user_id = $1",
                "select count(*) from audit_log where user_id = $1 or subject = $1 or details::text like '%' || $1 || '%'")) {
            assertEquals(0, count(pool, sql, user), sql);
        }
        String subject = hash.subject(user);
        assertEquals(subject, done.getString("subjectHash"));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'test.touched' and user_id = $1 and subject = $1", subject));
        assertEquals(2, count(pool, "select count(*) from audit_log where action like 'privacy-request.%' and user_id = $1", subject));
        assertEquals(5, count(pool, "select count(*) from events where user_id = $1", other), "others keep their data");

        // models: neither artifact lists the user any more; others keep their index; the per-user model is withdrawn and retrained
        assertTrue(privacyArtifacts.containing(user).isEmpty());
        assertEquals(1, privacyArtifacts.containing(other).stream().filter(h -> h.modelIds().contains(perUser)).count());
        assertEquals("archived", registry.find(perUser).orElseThrow().status());
        assertEquals("promoted", registry.find(historyOnly).orElseThrow().status());
        assertEquals(1, count(pool, """
                select count(*) from privacy_model_marks k join training_jobs j on j.id = k.retrain_job_id
                 where k.request_id = $1 and k.model_id = $2 and k.action = 'withdrawn' and j.model_type = 'neumf'
                   and j.status = 'queued' and j.submitted_by = 'privacy-retrain'""", id, perUser));
        assertEquals(1, count(pool, """
                select count(*) from privacy_model_marks where request_id = $1 and model_id = $2 and action = 'rewritten'
                   and retrain_job_id is null and retrain_due_at > now() + interval '6 days'""", id, historyOnly));

        // re-running the import: dropped as the suppressed user's; the same ids under another user: tombstoned
        for (int i = 0; i < 10_000; i += 2000) {
            api().body(batch.subList(i, i + 2000)).post("/v1/events").then().statusCode(200)
                    .body("accepted", equalTo(0)).body("suppressed", equalTo(2000));
        }
        List<Map<String, Object>> reused = events(unique("someone-else"), user, 100);
        api().body(reused).post("/v1/events").then().statusCode(200).body("accepted", equalTo(0)).body("duplicates", equalTo(100));
        assertEquals(0, count(pool, "select count(*) from events where user_id = $1", user));
        // nor is the profile stored again
        api().body(Map.of("attributes", Map.of("country", "NL"))).put("/v1/users/" + user).then().statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("userId"));
        // a new request for the same user is a new request (the first one is finished)
        long again = api().body(Map.of("kind", "delete", "userId", user)).post("/v1/privacy/requests")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        assertFalse(again == id);
        awaitStatus(again, "completed", Duration.ofSeconds(60));
    }

    @Test
    void exportHoldsProfileEventsAndModelsAndTheRowKeepsOnlyTheHash() throws Exception {
        String user = unique("export-me");
        api().body(Map.of("attributes", Map.of("country", "DE"))).put("/v1/users/" + user).then().statusCode(201);
        api().body(events(user, user, 3)).post("/v1/events").then().statusCode(200).body("accepted", equalTo(3));
        long m = model("dnn", List.of(user), true);
        long id = api().body(Map.of("kind", "export", "userId", user)).post("/v1/privacy/requests")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        awaitStatus(id, "completed", Duration.ofSeconds(30));
        JsonPath doc = api().get("/v1/privacy/requests/" + id + "/export").then().statusCode(200).extract().jsonPath();
        assertEquals(user, doc.getString("userId"));
        assertEquals("DE", doc.getString("profile.attributes.country"));
        assertEquals(3, doc.getList("events").size());
        assertEquals(user + "-0", doc.getString("events[0].eventId"));
        assertEquals("home", doc.getString("events[0].context.page"));
        assertTrue(doc.getList("modelsTrainedOnTheirData.modelId", Long.class).contains(m), doc.prettify());
        assertEquals(0, count(pool, "select count(*) from privacy_requests where user_id = $1", user));

        // a deletion afterwards removes the export document too
        long del = api().body(Map.of("kind", "delete", "userId", user)).post("/v1/privacy/requests")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        awaitStatus(del, "completed", Duration.ofSeconds(60));
        api().get("/v1/privacy/requests/" + id + "/export").then().statusCode(404);
        api().get("/v1/privacy/requests/" + del + "/export").then().statusCode(409);
    }

    @Test
    void rolesValidationPagingAndTheOverdueFilter() throws Exception {
        for (String role : List.of("ingest", "serve", "analyst")) {
            withRole(role).body(Map.of("kind", "delete", "userId", "x")).post("/v1/privacy/requests").then().statusCode(403);
            withRole(role).get("/v1/privacy/requests").then().statusCode(403);
        }
        String user = unique("by-privacy-role");
        long id = withRole("privacy").body(Map.of("kind", "export", "userId", user)).post("/v1/privacy/requests")
                .then().statusCode(202).extract().jsonPath().getLong("id");
        withRole("privacy").get("/v1/privacy/requests/" + id).then().statusCode(200).body("kind", equalTo("export"));
        api().body(Map.of("kind", "forget", "userId", "x")).post("/v1/privacy/requests").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("kind"));
        api().body(Map.of("kind", "delete")).post("/v1/privacy/requests").then().statusCode(400).body("errors[0].field", equalTo("userId"));
        api().get("/v1/privacy/requests?status=done").then().statusCode(400).body("errors[0].field", equalTo("status"));
        api().get("/v1/privacy/requests/999999999").then().statusCode(404);

        // a failed request (as the workflow leaves one) is flagged by the filter and the metric
        long failed = count(pool, """
                insert into privacy_requests (subject_hash, kind, status, deadline, error)
                values ($1, 'delete', 'failed', now() - interval '1 day', 'test') returning id""", unique("h"));
        awaitStatus(id, "completed", Duration.ofSeconds(30));
        List<Long> flagged = api().get("/v1/privacy/requests?overdue=true&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items.id", Long.class);
        assertTrue(flagged.contains(failed) && !flagged.contains(id), flagged.toString());
        List<Long> completed = api().get("/v1/privacy/requests?status=completed&limit=1").then().statusCode(200)
                .extract().jsonPath().getList("items.id", Long.class);
        assertEquals(1, completed.size());
        String next = api().get("/v1/privacy/requests?status=completed&limit=1").then().extract().jsonPath().getString("next");
        if (next != null) {
            List<Long> page2 = api().get("/v1/privacy/requests?status=completed&limit=1&cursor=" + next).then().statusCode(200)
                    .extract().jsonPath().getList("items.id", Long.class);
            assertTrue(page2.get(0) < completed.get(0) || !page2.get(0).equals(completed.get(0)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        String metrics;
        do {
            metrics = io.restassured.RestAssured.get("/q/metrics").then().extract().asString();
            if (metrics.matches("(?s).*penchant_privacy_requests_failed(\\{[^}]*\\})? [1-9].*")) break;
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        assertTrue(metrics.matches("(?s).*penchant_privacy_requests_failed(\\{[^}]*\\})? [1-9].*"), "failed metric");
        assertNotNull(metrics);
        pool.preparedQuery("delete from privacy_requests where id = $1").execute(Tuple.of(failed)).await().indefinitely();
    }
}
