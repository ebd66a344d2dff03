package dev.penchant.api.problems;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.unique;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each fault of the review, now a problem+json naming the field: NUL characters, bad and unknown
 * query parameters, 413 and 414 bodies, specific type URIs, empty batches, out-of-range numbers,
 * oversized attributes.
 */
@QuarkusTest
class BadInputTest {
    static final String NUL = "must not contain the NUL character (U+0000)";

    @TestHTTPResource("/")
    URL base;

    @Test
    void nulCharactersAreRefusedWhereTheyAreReadWithTheFieldNamed() {
        String user = unique("nul");
        api().body("{\"eventId\": \"" + user + "\", \"userId\": \"u\\u0000x\", \"itemId\": \"i\", \"type\": \"view\"}")
                .post("/v1/events").then().statusCode(400).body("errors[0].field", equalTo("userId")).body("errors[0].message", equalTo(NUL));
        api().body("[{\"eventId\": \"" + user + "\", \"userId\": \"u\", \"itemId\": \"i\", \"type\": \"view\", \"context\": {\"page\": {\"q\": \"a\\u0000\"}}}]")
                .post("/v1/events").then().statusCode(400).body("errors[0].field", equalTo("context")).body("errors[0].index", equalTo(0));
        // a literal backslash-u text is not a NUL
        api().body("[{\"eventId\": \"" + user + "\", \"userId\": \"u\", \"itemId\": \"i\", \"type\": \"view\", \"context\": {\"q\": \"\\\\u0000\"}}]")
                .post("/v1/events").then().statusCode(200);
        api().body("{\"attributes\": {\"deep\": {\"k\\u0000\": 1}}}").put("/v1/users/" + user).then().statusCode(400)
                .body("errors[0].field", equalTo("attributes")).body("errors[0].message", equalTo(NUL));
        api().body("{\"title\": \"Heat\\u0000\"}").put("/v1/items/" + user).then().statusCode(400)
                .body("errors[0].field", equalTo("title")).body("errors[0].message", equalTo(NUL));
        api().body("[{\"itemId\": \"ok\"}, {\"itemId\": \"x\", \"categories\": [\"a\\u0000\"]}]").post("/v1/items/batch")
                .then().statusCode(400).body("errors[0].field", containsString("categories")).body("errors[0].index", equalTo(1));
        api().urlEncodingEnabled(false).body("{\"attributes\": {}}").put("/v1/users/a%00b").then().statusCode(400)
                .body("errors[0].field", equalTo("userId")).body("errors[0].message", equalTo(NUL));
        api().urlEncodingEnabled(false).get("/v1/models?name=a%00b").then().statusCode(400).body("errors[0].field", equalTo("name"));
    }

    @Test
    void queryParametersAreCheckedByName() {
        api().get("/v1/users?limit=abc").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("limit"));
        api().get("/v1/items?limit=99999999999").then().statusCode(400).body("errors[0].field", equalTo("limit"))
                .body("errors[0].message", equalTo("must be an integer from 1 to 1000"));
        api().get("/v1/users/u/events?limit=0").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        api().get("/v1/models?status=bogus").then().statusCode(400).body("errors[0].field", equalTo("status"));
        api().get("/v1/items?limt=5&colour=red").then().statusCode(400).body("errors.field", equalTo(List.of("colour", "limt")))
                .body("errors[0].message", containsString("known: cursor, limit"));
        api().get("/v1/admin/api-keys?x=1").then().statusCode(400).body("errors[0].message", containsString("takes none"));
    }

    @Test
    void batchesAndNumbersAndSizes() {
        api().body("[]").post("/v1/events").then().statusCode(400).body("errors[0].field", equalTo("$"));
        api().body("[]").post("/v1/users/batch").then().statusCode(400);
        api().body("{\"recentItems\": []}").post("/v1/training-jobs").then().statusCode(400); // wrong body, still a problem
        api().body("{\"modelType\": \"dnn\", \"seed\": 99999999999999999999}").post("/v1/training-jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("seed")).body(not(containsString("out of range of long")))
                .body(not(containsString("Numeric value")));
        String big = "x".repeat(17 * 1024);
        api().body(Map.of("attributes", Map.of("bio", big))).put("/v1/users/" + unique("big")).then().statusCode(400)
                .body("errors[0].field", equalTo("attributes")).body("errors[0].message", startsWith("larger than 16384"));
        api().body(List.of(Map.of("itemId", "a"), Map.of("itemId", "b", "attributes", Map.of("blob", big))))
                .post("/v1/items/batch").then().statusCode(400).body("errors[0].field", equalTo("attributes"))
                .body("errors[0].index", equalTo(1));
    }

    @Test
    void typeUrisAreSpecific() {
        api().get("/v1/users/" + unique("none")).then().statusCode(404).body("type", equalTo("https://penchant.dev/problems/not-found"));
        api().put("/v1/events").then().statusCode(405).body("type", equalTo("https://penchant.dev/problems/method-not-allowed"));
        api().contentType("application/xml").body("<a/>").put("/v1/users/x").then().statusCode(415)
                .body("type", equalTo("https://penchant.dev/problems/unsupported-media-type"));
        String name = unique("dup");
        api().body(Map.of("name", name, "roles", List.of("serve"))).post("/v1/admin/api-keys").then().statusCode(201);
        api().body(Map.of("name", name, "roles", List.of("serve"))).post("/v1/admin/api-keys").then().statusCode(409)
                .body("type", equalTo("https://penchant.dev/problems/conflict"));
        assertEquals("https://penchant.dev/problems/internal-error", dev.penchant.support.problem.Problems.type(500).toString());
    }

    @Test
    void tooLongUriAndTooLargeBodyAnswerWithProblemBodies() throws Exception {
        api().get("/v1/items/" + "x".repeat(9000)).then().statusCode(414).contentType("application/problem+json")
                .body("type", equalTo("https://penchant.dev/problems/uri-too-long"));
        // a declared body past quarkus.http.limits.max-body-size (32M) is refused before it is read
        String reply = raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nX-API-Key: test-key\r\nContent-Type: application/json\r\n"
                + "Content-Length: 99999999\r\n\r\n");
        assertTrue(reply.startsWith("HTTP/1.1 413"), reply);
        assertTrue(reply.contains("application/problem+json") && reply.contains("content-too-large"), reply);
    }

    private String raw(String request) throws Exception {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
