package dev.penchant.api.catalog;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.unique;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CatalogTest {

    @Test
    void putCreatesThenReplacesAUser() {
        String id = unique("user");
        api().body(Map.of("attributes", Map.of("age", 31, "tags", List.of("a")))).put("/v1/users/" + id)
                .then().statusCode(201).body("userId", equalTo(id)).body("attributes.age", equalTo(31));
        api().body(Map.of("userId", id, "attributes", Map.of("age", 32))).put("/v1/users/" + id)
                .then().statusCode(200).body("attributes.age", equalTo(32));
        api().get("/v1/users/" + id).then().statusCode(200).body("attributes.tags", equalTo(null));
        api().body(Map.of("userId", "other")).put("/v1/users/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("userId"));
        api().get("/v1/users/" + unique("nobody")).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void itemsRoundTripWithCategoriesAndAvailability() {
        String id = unique("item");
        api().body(Map.of("title", "Toy Story", "categories", List.of("Animation", "Comedy"),
                        "attributes", Map.of("year", 1995))).put("/v1/items/" + id)
                .then().statusCode(201).body("available", equalTo(true))
                .body("categories", contains("Animation", "Comedy"));
        api().body(Map.of("title", "Toy Story", "available", false)).put("/v1/items/" + id)
                .then().statusCode(200).body("available", equalTo(false)).body("categories.size()", equalTo(0));
    }

    @Test
    void batchValidationNamesFieldAndIndex() {
        api().body(List.of(Map.of("itemId", unique("i")), Map.of("title", "no id"))).post("/v1/items/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("itemId")).body("errors[0].index", equalTo(1));
        api().body(List.of(Map.of("userId", unique("u"), "age", 3))).post("/v1/users/batch")
                .then().statusCode(400).body("errors[0].field", equalTo("age")).body("errors[0].index", equalTo(0));
        api().body(List.of(Map.of("itemId", unique("i"), "available", "maybe"))).post("/v1/items/batch")
                .then().statusCode(400).body("errors[0].field", equalTo("available")).body("errors[0].index", equalTo(0));
        api().body("{\"categories\": \"Comedy\"}").put("/v1/items/x").then().statusCode(400)
                .body("errors[0].field", equalTo("categories")).body("errors[0].index", equalTo(null));
    }

    @Test
    void usersAndItemsPaginateInIdOrder() {
        String prefix = unique("page");
        List<Map<String, Object>> users = new ArrayList<>();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            users.add(Map.of("userId", prefix + "-u" + i, "attributes", Map.of("n", i)));
            items.add(Map.of("itemId", prefix + "-i" + i, "title", "t" + i));
        }
        api().body(users).post("/v1/users/batch").then().statusCode(200).body("created", equalTo(7));
        api().body(users).post("/v1/users/batch").then().statusCode(200).body("updated", equalTo(7));
        api().body(items).post("/v1/items/batch").then().statusCode(200).body("created", equalTo(7));
        assertPaged("/v1/users", "userId", prefix + "-u");
        assertPaged("/v1/items", "itemId", prefix + "-i");
        api().queryParam("cursor", "!!not-a-cursor").get("/v1/users").then().statusCode(400)
                .body("errors[0].field", equalTo("cursor"));
        api().queryParam("limit", 0).get("/v1/items").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    private static void assertPaged(String path, String idField, String prefix) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            var req = api().queryParam("limit", 3);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get(path).then().statusCode(200).extract().jsonPath();
            assertTrue(page.getList("items").size() <= 3);
            all.addAll(page.getList("items." + idField));
            cursor = page.getString("next");
        } while (cursor != null);
        List<String> ours = all.stream().filter(s -> s.startsWith(prefix)).toList();
        assertEquals(List.of(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4, prefix + 5, prefix + 6), ours);
        assertEquals(all.stream().sorted().toList(), all, "id order");
        assertEquals(all.size(), all.stream().distinct().count(), "no repeats across pages");
    }
}
