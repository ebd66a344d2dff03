package dev.penchant.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.penchant.support.identity.RoleMatrix;
import dev.penchant.support.security.Roles;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A browser reaches the console: redirect to the login page, log in, the overview via the API, log out. */
@QuarkusTest
@QuarkusTestResource(ControlPlane.class)
class ConsoleTest {
    static Response api(String method, String path, Object body) {
        var r = RestAssured.given().baseUri(ControlPlane.url).port(-1).header("X-API-Key", ControlPlane.ADMIN_KEY)
                .contentType(ContentType.JSON);
        if (body != null) r = r.body(body);
        return r.request(method, path);
    }

    /** This test browser's CSRF token (the login page sets its cookie). */
    static String csrf() {
        return given().accept("text/html").get("/admin/login").then().statusCode(200).extract().cookie(Csrf.COOKIE);
    }

    static Response login(String user, String password) {
        String csrf = csrf();
        return given().redirects().follow(false).contentType(ContentType.URLENC).accept("text/html")
                .cookie(Csrf.COOKIE, csrf).formParam(Csrf.FIELD, csrf)
                .formParam("username", user).formParam("password", password).formParam("next", "/admin")
                .post("/admin/login");
    }

    @Test
    void aBrowserWithoutASessionGoesToTheLoginPageWhichWorksWithoutJavaScript() {
        given().redirects().follow(false).accept("text/html").get("/admin").then().statusCode(303)
                .header("Location", containsString("/admin/login?next=%2Fadmin"));
        given().accept("text/html").get("/admin/login").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<form class=\"login\" method=\"post\" action=\"/admin/login\">"))
                .body(containsString("name=\"password\" type=\"password\"")).body(not(containsString("<script")))
                .body(containsString("name=\"_csrf\" value=\""));
        given().accept("*/*").get("/admin").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void loginSetsAStrictHttpOnlyCookieAndTheOverviewComesFromTheApi() {
        api("PUT", "/v1/users/console-u1", Map.of("attributes", Map.of())).then().statusCode(201);
        long users = api("GET", "/v1/admin/overview", null).jsonPath().getLong("users");

        login(ControlPlane.ADMIN_USER, "wrong password!").then().statusCode(401).body(containsString("Login failed"));
        Response ok = login(ControlPlane.ADMIN_USER, ControlPlane.ADMIN_PASSWORD);
        ok.then().statusCode(303).header("Location", containsString("/admin"));
        String setCookie = ok.header("Set-Cookie");
        assertTrue(setCookie.startsWith("penchant_session=ps_"), setCookie);
        for (String attr : List.of("HttpOnly", "SameSite=Strict", "Path=/admin")) assertTrue(setCookie.contains(attr), setCookie);
        assertTrue(!setCookie.contains("Secure"), "plain http here; Secure when served over https: " + setCookie);
        String token = ok.getCookie(SessionCookieMechanism.COOKIE);

        given().cookie(SessionCookieMechanism.COOKIE, token).accept("text/html").get("/admin").then().statusCode(200)
                .body(containsString("<td class=\"n\" id=\"users\">" + users + "</td>"))
                .body(containsString("<span id=\"user\">admin</span>"));

        String csrf = csrf();
        Response out = given().redirects().follow(false).cookie(SessionCookieMechanism.COOKIE, token).cookie(Csrf.COOKIE, csrf)
                .contentType(ContentType.URLENC).formParam(Csrf.FIELD, csrf).post("/admin/logout");
        out.then().statusCode(303).header("Location", containsString("/admin/login"));
        assertTrue(out.header("Set-Cookie").contains("Max-Age=0"), out.header("Set-Cookie"));
        // the session ended on the control plane itself, not just in this browser
        RestAssured.given().baseUri(ControlPlane.url).port(-1).header("Authorization", "Bearer " + token)
                .get("/v1/auth/session").then().statusCode(401);
        given().redirects().follow(false).cookie(SessionCookieMechanism.COOKIE, token).accept("text/html").get("/admin")
                .then().statusCode(303);
        assertEquals("/admin", ConsolePages.safeNext("https://evil.example/admin"));
        assertEquals("/admin", ConsolePages.safeNext("//evil.example"));
        assertEquals("/admin/models?x=1", ConsolePages.safeNext("/admin/models?x=1"));
    }

    @Test
    void consoleRolesComeFromTheControlPlane() {
        api("POST", "/v1/admin/console-users", Map.of("username", "viewer", "password", "viewer-password-1",
                "roles", List.of("analyst"))).then().statusCode(201);
        api("POST", "/v1/admin/console-users", Map.of("username", "ingester", "password", "ingester-password-1",
                "roles", List.of("ingest"))).then().statusCode(201);
        String viewer = login("viewer", "viewer-password-1").getCookie(SessionCookieMechanism.COOKIE);
        given().cookie(SessionCookieMechanism.COOKIE, viewer).accept("text/html").get("/admin").then().statusCode(200);
        String ingester = login("ingester", "ingester-password-1").getCookie(SessionCookieMechanism.COOKIE);
        given().cookie(SessionCookieMechanism.COOKIE, ingester).accept("text/html").get("/admin").then().statusCode(403);
    }

    @Test
    void roleMatrixOfTheConsolesOperations() throws Exception {
        String doc = given().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
        List<RoleMatrix.Operation> ops = RoleMatrix.operations(doc, Set.of("GET /admin/login", "POST /admin/login", "POST /admin/logout"));
        Map<String, String> keys = new LinkedHashMap<>();
        for (String role : Roles.ALL) {
            keys.put(role, api("POST", "/v1/admin/api-keys", Map.of("name", "console-" + role, "roles", List.of(role)))
                    .then().statusCode(201).extract().path("key"));
        }
        assertEquals(List.of(), RoleMatrix.check(ops, keys));
        assertEquals(36, ops.size(), ops.toString());
    }
}
