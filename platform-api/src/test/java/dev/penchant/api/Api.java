package dev.penchant.api;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** Test helpers: an authenticated request, keys with one role each, unique ids, SQL counts. */
public final class Api {
    /** The admin key of the test profile (%test.penchant.auth.bootstrap-keys). */
    public static final String KEY = "test-key";
    /** The console admin of the test profile (%test.penchant.console.admin-password). */
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "test-password-1";
    private static final Map<String, String> KEYS = new ConcurrentHashMap<>();

    private Api() {
    }

    public static RequestSpecification api() {
        return as(KEY);
    }

    /** A request with the given API key. */
    public static RequestSpecification as(String key) {
        return given().header("X-API-Key", key).contentType(ContentType.JSON);
    }

    /** A key holding just this role, made once per test JVM through the API. */
    public static String key(String role) {
        return KEYS.computeIfAbsent(role, r -> api().body(Map.of("name", unique("only-" + r), "roles", List.of(r)))
                .post("/v1/admin/api-keys").then().statusCode(201).extract().path("key"));
    }

    public static RequestSpecification withRole(String role) {
        return as(key(role));
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static long count(Pool pool, String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().indefinitely()
                .iterator().next().getLong(0);
    }
}
