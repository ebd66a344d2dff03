package dev.penchant.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.UUID;

/** Test helpers: an authenticated request, unique ids, SQL counts. */
public final class Api {
    public static final String KEY = "test-key"; // %test.penchant.auth.bootstrap-keys

    private Api() {
    }

    public static RequestSpecification api() {
        return given().header("X-API-Key", KEY).contentType(ContentType.JSON);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static long count(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely()
                .iterator().next().getLong(0);
    }
}
