package dev.penchant.api.openapi;

import static dev.penchant.api.Api.key;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.penchant.support.identity.RoleMatrix;
import dev.penchant.support.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The role matrix of every operation platform-api's OpenAPI document lists (see RoleMatrix). */
@QuarkusTest
class RoleMatrixTest {
    @Test
    void everyOperationAnswers401WithoutAKey403ForWrongRolesAndLetsTheRightRolesIn() throws Exception {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        List<RoleMatrix.Operation> ops = RoleMatrix.operations(doc, Set.of("POST /v1/auth/sessions"));
        assertTrue(ops.size() >= 25, "found " + ops.size() + " operations: " + ops);
        Map<String, String> keys = new LinkedHashMap<>();
        for (String role : Roles.ALL) keys.put(role, key(role));
        assertEquals(List.of(), RoleMatrix.check(ops, keys));
        System.out.printf("role matrix: %d operations x (no key + %d roles) checked%n", ops.size(), Roles.ALL.size());
    }

    @Test
    void theDocumentListsBothCredentialsOnEveryProtectedOperation() throws Exception {
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given().get("/q/openapi?format=json").asString());
        assertEquals("apiKey", doc.at("/components/securitySchemes/apiKey/type").asText());
        assertEquals("X-API-Key", doc.at("/components/securitySchemes/apiKey/name").asText());
        assertEquals("bearer", doc.at("/components/securitySchemes/bearer/scheme").asText());
        var op = doc.at("/paths/~1v1~1training-jobs/post");
        assertEquals("[\"admin\"]", op.at("/security/0/apiKey").toString());
        assertEquals("[\"admin\"]", op.at("/security/1/bearer").toString());
        assertEquals("[\"admin\"]", op.at("/x-roles").toString());
    }
}
