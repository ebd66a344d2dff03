package dev.penchant.serving.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.penchant.support.identity.ApiKeys;
import dev.penchant.support.identity.RoleMatrix;
import dev.penchant.support.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The inference node's role matrix (from its own OpenAPI document) and its business metrics. */
@QuarkusTest
class ServingAccessTest {
    @Inject
    ApiKeys keys;

    String key(String role) {
        return keys.create("inference-" + role + "-" + UUID.randomUUID(), List.of(role), null, "test").await().indefinitely().key();
    }

    @Test
    void onlyTheServeRoleReadsRecommendations() throws Exception {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        List<RoleMatrix.Operation> ops = RoleMatrix.operations(doc, Set.of());
        assertEquals(3, ops.size(), ops.toString());
        Map<String, String> byRole = new LinkedHashMap<>();
        for (String role : Roles.ALL) byRole.put(role, key(role));
        assertEquals(List.of(), RoleMatrix.check(ops, byRole));
        given().get("/v1/recommendations/u1").then().statusCode(401).contentType("application/problem+json");
        given().header("X-API-Key", byRole.get(Roles.INGEST)).get("/v1/recommendations/u1").then().statusCode(403)
                .body("type", equalTo("https://penchant.dev/problems/forbidden"));
    }

    @Test
    void answersAreCountedByModelAndFallbackReasonAndTimed() {
        String serve = key(Roles.SERVE);
        given().header("X-API-Key", serve).get("/v1/recommendations/nobody-" + UUID.randomUUID()).then().statusCode(200);
        given().header("X-API-Key", serve).contentType("application/json").body("{\"recentItems\": []}")
                .post("/v1/recommendations").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("penchant_recommendations_served_total{fallback_reason="))
                .body(containsString("surface=\"user\""))
                .body(containsString("penchant_recommendation_latency_seconds_bucket{surface=\"session\""))
                .body(containsString("penchant_serving_model_info{model="));
    }
}
