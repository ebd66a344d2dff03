package dev.penchant.api.auth;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.as;
import static dev.penchant.api.Api.unique;
import static dev.penchant.api.Api.withRole;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.penchant.support.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** API keys with roles: 401 / 403 problems, create (shown once), list (no secret), revoke, expiry. */
@QuarkusTest
class AuthTest {
    @Test
    void missingOrBadKeyIs401ProblemWithAChallenge() {
        given().get("/v1/items").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("ApiKey"))
                .body("status", equalTo(401)).body("type", equalTo("https://penchant.dev/problems/unauthorized"));
        given().header("X-API-Key", "wrong").get("/v1/items").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("detail", equalTo("Invalid, expired or revoked credential"));
        given().header("Authorization", "Bearer nope").get("/v1/items").then().statusCode(401);
        given().header("X-API-Key", "wrong").contentType("application/json").body("{}").post("/v1/events")
                .then().statusCode(401);
        given().header("X-API-Key", "x".repeat(5000)).get("/v1/items").then().statusCode(401);
    }

    @Test
    void validKeyWithTheWrongRoleIs403Problem() {
        withRole(Roles.SERVE).get("/v1/items").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("https://penchant.dev/problems/forbidden"))
                .body("detail", containsString("admin, analyst, ingest"));
        // a client's ingest key cannot mint keys, read a user's events or promote
        withRole(Roles.INGEST).body(Map.of("name", unique("x"), "roles", List.of("admin"))).post("/v1/admin/api-keys")
                .then().statusCode(403);
        withRole(Roles.INGEST).get("/v1/users/u1/events").then().statusCode(403);
        withRole(Roles.SERVE).get("/v1/users").then().statusCode(403);
        withRole(Roles.ANALYST).post("/v1/models/1/promote").then().statusCode(403);
        withRole(Roles.ANALYST).get("/v1/models/1/artifact").then().statusCode(403);
        withRole(Roles.ANALYST).get("/v1/training-jobs").then().statusCode(200);
        withRole(Roles.INGEST).body(Map.of("userId", "u-role", "attributes", Map.of())).put("/v1/users/u-role")
                .then().statusCode(201);
    }

    @Test
    void operationalEndpointsStayOpen() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void createdKeyIsShownOnceListedWithoutSecretAndRevocationBitesAtOnce() {
        String name = unique("client");
        Response created = api().body(Map.of("name", name, "roles", List.of("ingest", "serve"))).post("/v1/admin/api-keys");
        created.then().statusCode(201).body("name", equalTo(name)).body("key", startsWith("pk_"))
                .body("roles", equalTo(List.of("ingest", "serve")));
        String key = created.path("key");
        as(key).get("/v1/auth/session").then().statusCode(200).body("principal", equalTo(name))
                .body("kind", equalTo("api-key")).body("roles", equalTo(List.of("ingest", "serve")));
        api().body(Map.of("name", name, "roles", List.of("serve"))).post("/v1/admin/api-keys").then().statusCode(409);

        Response list = api().get("/v1/admin/api-keys");
        list.then().statusCode(200).body("name", hasItem(name)).body("key", not(hasItem(key)))
                .body("find { it.name == '" + name + "' }.roles", equalTo(List.of("ingest", "serve")))
                .body("find { it.name == '" + name + "' }.revokedAt", nullValue())
                .body("find { it.name == '" + name + "' }.lastUsedAt", not(nullValue()))
                .body("find { it.name == '" + name + "' }.createdBy", equalTo("key:bootstrap-" + dev.penchant.support.identity.Secrets.hash("test-key").substring(0, 12)));
        org.junit.jupiter.api.Assertions.assertFalse(list.asString().contains(key), "no secret in the list");

        api().delete("/v1/admin/api-keys/" + name).then().statusCode(204);
        // this node forgets at once; others on the NOTIFY (SecondNodeRevocationIT)
        as(key).get("/v1/auth/session").then().statusCode(401);
        api().delete("/v1/admin/api-keys/" + name).then().statusCode(204);
        api().delete("/v1/admin/api-keys/no-such-key").then().statusCode(404).contentType("application/problem+json");
        api().get("/v1/admin/api-keys").then().body("find { it.name == '" + name + "' }.revokedAt", not(nullValue()));
    }

    @Test
    void keysExpireAndBadKeyRequestsNameTheField() throws Exception {
        String name = unique("short-lived");
        String key = api().body(Map.of("name", name, "roles", List.of("serve"),
                "expiresAt", Instant.now().plusSeconds(2).toString())).post("/v1/admin/api-keys").then().statusCode(201)
                .extract().path("key");
        as(key).get("/v1/auth/session").then().statusCode(200);
        Thread.sleep(2_200);
        as(key).get("/v1/auth/session").then().statusCode(401);

        api().body(Map.of("name", unique("k"), "roles", List.of("root"))).post("/v1/admin/api-keys").then().statusCode(400)
                .body("errors[0].field", equalTo("roles"));
        api().body(Map.of("name", unique("k"))).post("/v1/admin/api-keys").then().statusCode(400)
                .body("errors[0].field", equalTo("roles"));
        api().body(Map.of("name", unique("k"), "roles", List.of("serve"), "expiresAt", "2001-01-01T00:00:00Z"))
                .post("/v1/admin/api-keys").then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        api().body(Map.of("name", "bad name!", "roles", List.of("serve"))).post("/v1/admin/api-keys").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
    }

    @Test
    void unknownPathsAndMethodsAreProblemsWithSpecificTypes() {
        api().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://penchant.dev/problems/not-found"));
        api().delete("/v1/items").then().statusCode(405).contentType("application/problem+json")
                .body("type", equalTo("https://penchant.dev/problems/method-not-allowed"));
        api().get("/v1/items/no-such-item").then().statusCode(404).body("type", equalTo("https://penchant.dev/problems/not-found"));
        api().contentType("text/plain").body("x").post("/v1/events").then().statusCode(415)
                .body("type", equalTo("https://penchant.dev/problems/unsupported-media-type"));
    }
}
