package dev.penchant.api.auth;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.penchant.support.auth.ApiKeyService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthTest {
    @Inject
    ApiKeyService keys;

    @Test
    void missingOrWrongKeyIs401Problem() {
        given().get("/v1/items").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("ApiKey")).body("status", equalTo(401));
        given().header("X-API-Key", "wrong").get("/v1/items").then().statusCode(401)
                .body("detail", equalTo("Invalid or revoked API key"));
        given().header("X-API-Key", "wrong").contentType("application/json").body("{}").post("/v1/events")
                .then().statusCode(401);
    }

    @Test
    void operationalEndpointsStayOpen() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void createdKeyWorksOnceShownAndRevocationBitesAfterTtl() throws Exception {
        String name = unique("client");
        String key = api().body(Map.of("name", name)).post("/v1/admin/api-keys").then().statusCode(201)
                .body("name", equalTo(name)).body("key", startsWith("pk_")).extract().path("key");
        given().header("X-API-Key", key).get("/v1/items").then().statusCode(200);
        api().body(Map.of("name", name)).post("/v1/admin/api-keys").then().statusCode(409);
        keys.revoke(name).await().indefinitely();
        Thread.sleep(1_200); // %test cache-ttl is PT1S
        given().header("X-API-Key", key).get("/v1/items").then().statusCode(401);
    }

    @Test
    void unknownPathsAndMethodsAreProblems() {
        api().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
        api().delete("/v1/items").then().statusCode(405).contentType("application/problem+json");
    }
}
