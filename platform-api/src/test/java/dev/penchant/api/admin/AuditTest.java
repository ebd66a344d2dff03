package dev.penchant.api.admin;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.unique;
import static dev.penchant.api.Api.withRole;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.penchant.support.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every state change writes an audit row; GET /v1/admin/audit filters and pages through them. */
@QuarkusTest
class AuditTest {
    static final String ADMIN = "key:bootstrap-" + dev.penchant.support.identity.Secrets.hash("test-key").substring(0, 12);

    @Test
    void keysAndJobsAreAuditedAndTheLogPagesNewestFirst() {
        Instant since = Instant.now().minusSeconds(1);
        String name = unique("audited");
        api().body(Map.of("name", name, "roles", List.of("serve"))).post("/v1/admin/api-keys").then().statusCode(201);
        api().delete("/v1/admin/api-keys/" + name).then().statusCode(204);
        int job = api().body(Map.of("modelType", "popularity")).post("/v1/training-jobs").then().statusCode(201).extract().path("id");
        api().post("/v1/training-jobs/" + job + "/cancel").then().statusCode(202);

        api().queryParam("actor", ADMIN).queryParam("since", since.toString()).get("/v1/admin/audit").then().statusCode(200)
                .body("items.action", hasItem("api-key.created")).body("items.action", hasItem("api-key.revoked"))
                .body("items.action", hasItem("training-job.submitted")).body("items.action", hasItem("training-job.cancelled"))
                .body("items.actor", everyItem(equalTo(ADMIN)));
        api().queryParam("action", "api-key.created").queryParam("since", since.toString()).get("/v1/admin/audit")
                .then().body("items.find { it.subject == '" + name + "' }.details.roles", equalTo(List.of("serve")));
        api().queryParam("action", "training-job.submitted").queryParam("since", since.toString()).get("/v1/admin/audit")
                .then().body("items.find { it.subject == '" + job + "' }.details.modelType", equalTo("popularity"));

        // pages of one, newest first, until the cursor runs out
        List<String> actions = new ArrayList<>();
        String cursor = null;
        do {
            var req = api().queryParam("actor", ADMIN).queryParam("since", since.toString()).queryParam("limit", 1);
            if (cursor != null) req = req.queryParam("cursor", cursor);
            Response page = req.get("/v1/admin/audit");
            page.then().statusCode(200);
            actions.addAll(page.jsonPath().getList("items.action"));
            cursor = page.path("next");
        } while (cursor != null && actions.size() < 50);
        assertEquals(List.of("training-job.cancelled", "training-job.submitted", "api-key.revoked", "api-key.created"),
                actions.subList(0, 4));
        assertNull(cursor);

        withRole(Roles.ANALYST).get("/v1/admin/audit").then().statusCode(200);
        withRole(Roles.INGEST).get("/v1/admin/audit").then().statusCode(403);
        api().queryParam("since", "yesterday").get("/v1/admin/audit").then().statusCode(400).body("errors[0].field", equalTo("since"));
        api().queryParam("limit", "0").get("/v1/admin/audit").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        api().queryParam("cursor", "garbage!").get("/v1/admin/audit").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
        assertNotNull(api().queryParam("until", Instant.now().plusSeconds(60).toString()).get("/v1/admin/audit").path("items"));
    }
}
