package dev.penchant.serving.privacy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The node's side of a deletion over the real database and LISTEN: it heartbeats as a live node, hears
 * privacy_forget, evicts and acknowledges in privacy_cache_acks; the suppressed user is answered cold start.
 */
@QuarkusTest
class PrivacyGuardTest {
    static final String KEY = "test-key";

    @Inject
    Pool pool;
    @Inject
    PrivacyGuard guard;

    static String hmac(String user) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("penchant-non-prod-privacy-key".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(user.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void forgetIsHeardEvictedAndAcknowledgedAndTheUserGetsColdStart() throws Exception {
        String user = "privacy-" + UUID.randomUUID().toString().substring(0, 8);
        long t0 = System.nanoTime();
        while (pool.preparedQuery("select 1 from privacy_listeners where node_id = $1").execute(Tuple.of(guard.nodeId()))
                .await().indefinitely().size() == 0) {
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "the node heartbeats in privacy_listeners");
            Thread.sleep(100);
        }
        // what the platform's workflow has done by its caches step: the request, the suppression, the data gone
        Row r = pool.preparedQuery("""
                insert into privacy_requests (subject_hash, user_id, kind, status, deadline)
                values ($1, $2, 'delete', 'in_progress', now() + interval '1 month') returning id""")
                .execute(Tuple.of(hmac(user), user)).await().indefinitely().iterator().next();
        long id = r.getLong(0);
        pool.preparedQuery("insert into privacy_suppressions (subject_hash, request_id) values ($1, $2)")
                .execute(Tuple.of(hmac(user), id)).await().indefinitely();
        assertEquals(false, guard.suppressed(user), "not known before the notification");

        long sent = System.nanoTime();
        pool.preparedQuery("select pg_notify('privacy_forget', $1)").execute(Tuple.of(Long.toString(id))).await().indefinitely();
        Row ack = null;
        while (ack == null) {
            var rows = pool.preparedQuery("select evicted::text from privacy_cache_acks where request_id = $1 and node_id = $2")
                    .execute(Tuple.of(id, guard.nodeId())).await().indefinitely();
            if (rows.size() > 0) ack = rows.iterator().next();
            else {
                assertTrue(System.nanoTime() - sent < 10_000_000_000L, "acknowledged within 10 s");
                Thread.sleep(20);
            }
        }
        System.err.printf("privacy_forget acknowledged after %d ms: %s%n", (System.nanoTime() - sent) / 1_000_000, ack.getString(0));
        assertTrue(ack.getString(0).contains("\"models\""), ack.getString(0));
        assertTrue(guard.suppressed(user));

        Map<String, Object> body = given().header("X-API-Key", KEY).get("/v1/recommendations/" + user + "?k=3")
                .then().statusCode(200).extract().jsonPath().getMap("");
        assertEquals(true, body.get("fallback"));
        assertEquals("cold-start", body.get("fallbackReason"));
        assertTrue(!guard.suppressed("someone-" + OffsetDateTime.now()));
        pool.preparedQuery("delete from privacy_requests where id = $1").execute(Tuple.of(id)).await().indefinitely();
    }
}
