package dev.penchant.api.events;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.count;
import static dev.penchant.api.Api.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class EventsIngestTest {
    @Inject
    Pool pool;

    static Map<String, Object> event(String id, String user, String item, String type, Object value, String ts) {
        Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("eventId", id);
        e.put("userId", user);
        e.put("itemId", item);
        e.put("type", type);
        if (value != null) {
            e.put("value", value);
        }
        if (ts != null) {
            e.put("timestamp", ts);
        }
        return e;
    }

    @Test
    void singleEventIsStoredWithDefaultTimestampAndContext() {
        String user = unique("u");
        Map<String, Object> e = event(unique("e"), user, "i1", "click", null, null);
        e.put("context", Map.of("page", "home", "pos", 3));
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        api().body(e).post("/v1/events").then().statusCode(200)
                .body("accepted", equalTo(1)).body("duplicates", equalTo(0));
        JsonPath got = api().get("/v1/users/" + user + "/events").then().statusCode(200).extract().jsonPath();
        assertEquals(1, got.getList("items").size());
        assertEquals("click", got.getString("items[0].type"));
        assertEquals("home", got.getString("items[0].context.page"));
        Instant ts = Instant.parse(got.getString("items[0].timestamp"));
        assertEquals(true, !ts.isBefore(before.minusSeconds(1)) && !ts.isAfter(Instant.now()), "defaults to receive time");
    }

    @Test
    void batchReadsBackNewestFirstAcrossMonths() {
        String user = unique("u");
        List<Map<String, Object>> batch = List.of(
                event(unique("e"), user, "i1", "rating", 4, "1997-12-04T15:55:49Z"),
                event(unique("e"), user, "i2", "view", 12.5, "2024-02-29T23:59:59.123+02:00"),
                event(unique("e"), user, "i3", "purchase", 2, "2001-01-01T00:00:00Z"));
        api().body(batch).post("/v1/events").then().statusCode(200).body("accepted", equalTo(3));
        api().get("/v1/users/" + user + "/events").then().statusCode(200)
                .body("items.itemId", contains("i2", "i3", "i1"))
                .body("items[0].timestamp", equalTo("2024-02-29T21:59:59.123Z"))
                .body("items[2].value", equalTo(4.0f))
                .body("next", nullValue());
    }

    @Test
    void retryOfTheSameBatchStoresNothingTwice() {
        String user = unique("u");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(event(user + ":" + i, user, "i" + i, "like", null, "2023-05-0" + (1 + i % 9) + "T10:00:00Z"));
        }
        batch.add(batch.get(7)); // a duplicate inside the batch counts once
        api().body(batch).post("/v1/events").then().statusCode(200)
                .body("accepted", equalTo(50)).body("duplicates", equalTo(1));
        api().body(batch).post("/v1/events").then().statusCode(200)
                .body("accepted", equalTo(0)).body("duplicates", equalTo(51));
        assertEquals(50, count(pool, "select count(*) from events where user_id = $1", user));
        assertEquals(50, count(pool, "select count(*) from event_keys where user_id = $1", user));
    }

    @Test
    void aRetriedEventWithoutTimestampIsStillADuplicate() {
        // its occurred_at defaults to the receive time, which differs on the retry
        String user = unique("u");
        Map<String, Object> e = event(unique("e"), user, "i1", "share", null, null);
        api().body(e).post("/v1/events").then().body("accepted", equalTo(1));
        api().body(e).post("/v1/events").then().body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        assertEquals(1, count(pool, "select count(*) from events where user_id = $1", user));
    }

    /** Follows the cursor through a user's events, adding their ids to out; returns the number of pages. */
    private static int allPages(String user, int limit, List<String> out) {
        String cursor = null;
        int pages = 0;
        do {
            var req = api().queryParam("limit", limit);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get("/v1/users/" + user + "/events").then().statusCode(200).extract().jsonPath();
            out.addAll(page.getList("items.eventId"));
            cursor = page.getString("next");
            pages++;
        } while (cursor != null);
        return pages;
    }

    /**
     * A batch without timestamps gets one receive time for all its events; the ingest sequence keeps the
     * order it was sent in (the event ids here sort the other way), newest-sent first, across pages too.
     */
    @Test
    void batchWithoutTimestampsReadsBackInTheOrderItWasSent() {
        String user = unique("u");
        List<Map<String, Object>> batch = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String id = String.format("%s-%02d", user, 99 - i * 7 % 50); // not in id order
            batch.add(event(id, user, "i" + i, "view", null, null));
            sent.add(id);
        }
        api().body(batch).post("/v1/events").then().statusCode(200).body("accepted", equalTo(12));
        assertEquals(1, count(pool, "select count(distinct occurred_at) from events where user_id = $1", user));
        List<String> read = new ArrayList<>();
        allPages(user, 5, read);
        List<String> newestFirst = new ArrayList<>(sent);
        java.util.Collections.reverse(newestFirst);
        assertEquals(newestFirst, read);
    }

    @Test
    void userEventsPaginateWithCursor() {
        String user = unique("u");
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            // pairs share a timestamp, so the cursor's tie-break (the ingest sequence) matters
            batch.add(event(String.format("%s-%02d", user, i), user, "i" + i, "click", null,
                    Instant.parse("2022-03-01T00:00:00Z").plusSeconds(i / 2).toString()));
        }
        api().body(batch).post("/v1/events").then().statusCode(200).body("accepted", equalTo(25));
        List<String> seen = new ArrayList<>();
        int pages = allPages(user, 10, seen);
        List<String> expected = new ArrayList<>();
        for (int i = 24; i >= 0; i--) {
            expected.add(String.format("%s-%02d", user, i));
        }
        assertEquals(expected, seen);
        assertEquals(3, pages);
    }

    @Test
    void badBatchIsRejectedWholeListingEveryBadFieldWithIndex() {
        String user = unique("u");
        Map<String, Object> unknownField = event(unique("e"), user, "i", "click", null, null);
        unknownField.put("colour", "red");
        Map<String, Object> wrongType = event(unique("e"), user, "i", "rating", "five", null);
        Map<String, Object> future = event(unique("e"), user, "i", "view", null, Instant.now().plusSeconds(3600).toString());
        Map<String, Object> unknownType = event(unique("e"), user, "i", "teleport", null, null);
        Map<String, Object> missingId = event(null, user, "i", "click", null, null);
        missingId.remove("eventId");
        Map<String, Object> badRating = event(unique("e"), user, "i", "rating", 6, null);
        Map<String, Object> good = event(unique("e"), user, "i", "click", null, null);
        api().body(List.of(good, unknownField, wrongType, future, unknownType, missingId, badRating))
                .post("/v1/events").then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.size()", equalTo(6))
                .body("errors.find { it.index == 1 }.field", equalTo("colour"))
                .body("errors.find { it.index == 2 }.field", equalTo("value"))
                .body("errors.find { it.index == 2 }.message", equalTo("must be a number"))
                .body("errors.find { it.index == 3 }.field", equalTo("timestamp"))
                .body("errors.find { it.index == 3 }.message", containsString("future"))
                .body("errors.find { it.index == 4 }.field", equalTo("type"))
                .body("errors.find { it.index == 5 }.field", equalTo("eventId"))
                .body("errors.find { it.index == 6 }.message", containsString("between 1 and 5"));
        assertEquals(0, count(pool, "select count(*) from events where user_id = $1", user), "nothing stored");
    }

    @Test
    void singleObjectErrorsHaveNoIndexAndIdLengthIsChecked() {
        api().body(event("x".repeat(129), "u", "i", "click", null, "yesterday")).post("/v1/events")
                .then().statusCode(400)
                .body("errors.field", contains("eventId", "timestamp"))
                .body("errors[0].index", nullValue());
    }

    @Test
    void oversizedBatchIsRejected() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i <= 10_000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"eventId\":\"big-").append(i)
                    .append("\",\"userId\":\"big\",\"itemId\":\"i\",\"type\":\"view\"}");
        }
        body.append(']');
        api().body(body.toString()).post("/v1/events").then().statusCode(413)
                .contentType("application/problem+json").body("detail", containsString("10000"));
        assertEquals(0, count(pool, "select count(*) from events where user_id = 'big'"));
    }

    @Test
    void malformedJsonAndWrongShapesAreProblems() {
        api().body("[{\"eventId\": \"a\",").post("/v1/events").then().statusCode(400)
                .contentType("application/problem+json").body("title", equalTo("Malformed JSON"));
        api().body("[1, {\"eventId\":\"z\",\"userId\":\"u\",\"itemId\":\"i\",\"type\":\"view\"}]").post("/v1/events")
                .then().statusCode(400).body("errors[0].index", equalTo(0)).body("errors[0].field", equalTo("$"));
        api().body("\"just a string\"").post("/v1/events").then().statusCode(400);
        api().contentType("text/plain").body("x").post("/v1/events").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void concurrentBatchesCreatingTheSameNewMonthsAllSucceed() throws Exception {
        // 8 requests at once, each needing the same 12 unseen partitions, listed in different orders
        String user = unique("u");
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            List<Integer> months = new ArrayList<>(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
            java.util.Collections.shuffle(months, new java.util.Random(r));
            StringBuilder body = new StringBuilder("[");
            for (int m : months) {
                body.append(body.length() > 1 ? "," : "").append(String.format(
                        "{\"eventId\":\"%s-%d-%d\",\"userId\":\"%s\",\"itemId\":\"i\",\"type\":\"view\",\"timestamp\":\"1983-%02d-11T00:00:00Z\"}",
                        user, r, m, user, m));
            }
            calls.add(http.sendAsync(java.net.http.HttpRequest.newBuilder(base.toURI().resolve("/v1/events"))
                    .header("X-API-Key", dev.penchant.api.Api.KEY).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.append(']').toString())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (var c : calls) {
            var resp = c.get(60, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(200, resp.statusCode(), resp.body());
        }
        assertEquals(96, count(pool, "select count(*) from events where user_id = $1", user));
        assertEquals(12, count(pool, "select count(*) from pg_class where relkind = 'r' and relname like 'events_1983_%'"));
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @Test
    void extraTypesAreNotAcceptedUnlessConfigured() {
        api().body(event(unique("e"), "u", "i", "bookmark", null, null)).post("/v1/events").then().statusCode(400)
                .body("errors.field", hasItem("type"));
    }
}
