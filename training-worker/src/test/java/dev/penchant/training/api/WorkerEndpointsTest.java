package dev.penchant.training.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The worker publishes health, metrics and an (empty) OpenAPI document, and no management REST. */
@QuarkusTest
class WorkerEndpointsTest {
    @Test
    void onlyOperationalEndpoints() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", org.hamcrest.Matchers.anEmptyMap());
        for (String path : new String[]{"/v1/training-jobs", "/v1/models"}) {
            given().header("X-API-Key", "anything").get(path).then().statusCode(404)
                    .contentType("application/problem+json");
        }
    }
}
