package dev.penchant.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's server-side checks, posting the form endpoints directly (no browser): every protected
 * action refuses a user without the role (403) even with a valid CSRF token; a form without, or with a
 * wrong, CSRF token is refused; a new API key's secret appears on its creation answer only; failed
 * logins lock the user; the launch form's errors name the field.
 */
@QuarkusTest
@QuarkusTestResource(ControlPlane.class)
class ConsoleSecurityTest {
    static final String PASSWORD = "security-test-password-1";

    /** A logged-in test browser: its session and CSRF cookies. */
    record Session(String token, String csrf) {
        RequestSpecification post() {
            return given().redirects().follow(false).accept("text/html").contentType(ContentType.URLENC)
                    .cookie(SessionCookieMechanism.COOKIE, token).cookie(Csrf.COOKIE, csrf).formParam(Csrf.FIELD, csrf);
        }

        RequestSpecification get() {
            return given().redirects().follow(false).accept("text/html").cookie(SessionCookieMechanism.COOKIE, token)
                    .cookie(Csrf.COOKIE, csrf);
        }
    }

    static Session session(String user, String password) {
        Response r = ConsoleTest.login(user, password);
        assertEquals(303, r.statusCode(), r.asString());
        return new Session(r.getCookie(SessionCookieMechanism.COOKIE), ConsoleTest.csrf());
    }

    static void user(String name, String... roles) {
        int s = ConsoleTest.api("POST", "/v1/admin/console-users", Map.of("username", name, "password", PASSWORD,
                "roles", List.of(roles))).statusCode();
        assertTrue(s == 201 || s == 409, "console user " + name + ": " + s);
    }

    @BeforeAll
    static void users() {
        user("sec-analyst", "analyst");
        user("sec-privacy", "privacy");
    }

    /** Every state-changing form of the console, with fields that would pass for an admin. */
    static Map<String, Map<String, String>> actions() {
        Map<String, Map<String, String>> a = new LinkedHashMap<>();
        a.put("/admin/jobs", Map.of("modelType", "popularity"));
        a.put("/admin/jobs/1/cancel", Map.of());
        a.put("/admin/models/1/promote", Map.of("confirm", "yes"));
        a.put("/admin/access/api-keys", Map.of("name", "sec-should-not-exist", "roles", "serve"));
        a.put("/admin/access/api-keys/sec-should-not-exist/revoke", Map.of());
        a.put("/admin/access/console-users", Map.of("username", "sec-should-not-exist", "password", PASSWORD, "roles", "admin"));
        a.put("/admin/access/console-users/admin/disable", Map.of());
        a.put("/admin/experiments", Map.of("key", "sec-should-not-exist", "surface", "user", "primaryMetric", "ctr",
                "audience", "all", "v0.name", "a", "v0.arm", "baseline:current", "v0.weight", "0.5",
                "v1.name", "b", "v1.arm", "baseline:popularity", "v1.weight", "0.5"));
        a.put("/admin/experiments/sec-x/start", Map.of());
        a.put("/admin/experiments/sec-x/stop", Map.of());
        a.put("/admin/experiments/sec-x/conclude", Map.of("confirm", "yes", "variant", "a"));
        return a;
    }

    @Test
    void everyProtectedActionRefusesAUserWithoutTheRoleAlsoWhenItsFormIsPostedDirectly() {
        for (String user : List.of("sec-analyst", "sec-privacy")) {
            Session s = session(user, PASSWORD);
            actions().forEach((path, fields) -> {
                Response r = s.post().formParams(fields).post(path);
                assertEquals(403, r.statusCode(), user + " POST " + path + ": " + r.asString());
                assertFalse(r.asString().contains("CSRF"), "refused for the role, not the token: " + r.asString());
            });
            // read-only pages: the analyst reads, the privacy role has no management page
            int expected = user.equals("sec-analyst") ? 200 : 403;
            for (String page : List.of("/admin", "/admin/jobs", "/admin/models", "/admin/access/audit", "/admin/experiments")) {
                assertEquals(expected, s.get().get(page).statusCode(), user + " GET " + page);
            }
            for (String page : List.of("/admin/access", "/admin/jobs/new", "/admin/models/1/promote", "/admin/experiments/new",
                    "/admin/experiments/sec-x/conclude")) {
                assertEquals(403, s.get().get(page).statusCode(), user + " GET " + page);
            }
            // privacy requests are the privacy role's (and admin's): the analyst may neither read nor file them
            int privacy = user.equals("sec-privacy") ? 200 : 403;
            for (String page : List.of("/admin/privacy", "/admin/privacy/new")) {
                assertEquals(privacy, s.get().get(page).statusCode(), user + " GET " + page);
            }
        }
        Response filed = session("sec-analyst", PASSWORD).post().formParams(Map.of("kind", "export", "userId", "sec-u1"))
                .post("/admin/privacy");
        assertEquals(403, filed.statusCode(), filed.asString());
        ConsoleTest.api("GET", "/v1/privacy/requests", null).then().body(org.hamcrest.Matchers.not(containsString("sec-analyst")));
        // a user with only the privacy role starts on the privacy requests, not on the overview it may not read
        assertTrue(ConsoleTest.login("sec-privacy", PASSWORD).getHeader("Location").endsWith("/admin/privacy"));
        ConsoleTest.api("GET", "/v1/experiments", null).then().body(org.hamcrest.Matchers.not(containsString("sec-should-not-exist")));
        // nothing happened on the control plane
        ConsoleTest.api("GET", "/v1/admin/console-users", null).then().body(org.hamcrest.Matchers.not(containsString("sec-should-not-exist")));
        ConsoleTest.api("GET", "/v1/admin/api-keys", null).then().body(org.hamcrest.Matchers.not(containsString("sec-should-not-exist")));
    }

    @Test
    void aFormWithoutOrWithAWrongCsrfTokenIsRefused() {
        Session admin = session(ControlPlane.ADMIN_USER, ControlPlane.ADMIN_PASSWORD);
        Map<String, String> fields = Map.of("name", "csrf-victim", "roles", "admin");
        Response none = given().redirects().follow(false).contentType(ContentType.URLENC).cookie(SessionCookieMechanism.COOKIE, admin.token())
                .cookie(Csrf.COOKIE, admin.csrf()).formParams(fields).post("/admin/access/api-keys");
        assertEquals(403, none.statusCode());
        assertTrue(none.asString().contains("CSRF"), none.asString());
        Response wrong = given().redirects().follow(false).contentType(ContentType.URLENC).cookie(SessionCookieMechanism.COOKIE, admin.token())
                .cookie(Csrf.COOKIE, admin.csrf()).formParam(Csrf.FIELD, "x".repeat(43)).formParams(fields).post("/admin/access/api-keys");
        assertEquals(403, wrong.statusCode());
        // the cookie alone (what a foreign page could make a browser send) is not enough, nor a field without it
        Response noCookie = given().redirects().follow(false).contentType(ContentType.URLENC).cookie(SessionCookieMechanism.COOKIE, admin.token())
                .formParam(Csrf.FIELD, admin.csrf()).formParams(fields).post("/admin/access/api-keys");
        assertEquals(403, noCookie.statusCode());
        Response crossOrigin = admin.post().header("Origin", "https://evil.example").formParams(fields).post("/admin/access/api-keys");
        assertEquals(403, crossOrigin.statusCode());
        Response logout = given().redirects().follow(false).contentType(ContentType.URLENC).cookie(SessionCookieMechanism.COOKIE, admin.token())
                .post("/admin/logout");
        assertEquals(403, logout.statusCode(), "logout is a form too");
        ConsoleTest.api("GET", "/v1/admin/api-keys", null).then().body(org.hamcrest.Matchers.not(containsString("csrf-victim")));
        // and the same form with the token works
        admin.post().formParams(Map.of("name", "csrf-ok", "roles", "serve")).post("/admin/access/api-keys").then().statusCode(201);
    }

    @Test
    void aNewKeysSecretIsShownOnceAndNoPageLeaksIt() {
        Session admin = session(ControlPlane.ADMIN_USER, ControlPlane.ADMIN_PASSWORD);
        Response created = admin.post().formParams(Map.of("name", "leak-check", "roles", "serve")).post("/admin/access/api-keys");
        created.then().statusCode(201).header("Cache-Control", "no-store");
        String secret = created.htmlPath().getString("**.find { it.@id == 'secret' }");
        assertTrue(secret.length() > 20, "the secret is on the creation answer: " + secret);
        // it works, and then it is nowhere
        given().baseUri(ControlPlane.url).port(-1).header("X-API-Key", secret).get("/v1/auth/session").then().statusCode(200);
        for (String page : List.of("/admin", "/admin/access", "/admin/access/audit", "/admin/jobs", "/admin/models",
                "/admin/access?msg=x", "/admin/access/audit?action=api-key.created")) {
            String body = admin.get().get(page).then().statusCode(200).extract().asString();
            assertFalse(body.contains(secret), page + " shows the secret");
            assertFalse(body.contains(secret.substring(secret.length() - 16)), page + " shows part of the secret");
        }
        admin.post().post("/admin/access/api-keys/leak-check/revoke").then().statusCode(303);
        given().baseUri(ControlPlane.url).port(-1).header("X-API-Key", secret).get("/v1/auth/session").then().statusCode(401);
    }

    @Test
    void repeatedFailedLoginsLockTheUserEvenWithTheRightPassword() {
        user("sec-locked", "analyst");
        for (int i = 0; i < 5; i++) ConsoleTest.login("sec-locked", "not-the-password-" + i).then().statusCode(401);
        ConsoleTest.login("sec-locked", PASSWORD).then().statusCode(401).body(containsString("locked"));
        ConsoleTest.api("GET", "/v1/admin/console-users", null).then()
                .body("find { it.username == 'sec-locked' }.lockedUntil", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void theLaunchFormShowsThePlatformsErrorBesideEachField() {
        Session admin = session(ControlPlane.ADMIN_USER, ControlPlane.ADMIN_PASSWORD);
        String form = admin.get().get("/admin/jobs/new?type=dnn").then().statusCode(200).extract().asString();
        assertTrue(form.contains("id=\"hp.epochs\" name=\"hp.epochs\" type=\"number\" value=\"200\" min=\"1\" max=\"1000000\" step=\"1\""), form);
        String page = admin.post().formParams(Map.of("modelType", "dnn", "hp.epochs", "0", "hp.lr", "fast", "seed", "1"))
                .post("/admin/jobs").then().statusCode(400).extract().asString();
        assertTrue(page.contains("id=\"error-hp.epochs\">must be in 1..1000000, got 0"), page);
        assertTrue(page.contains("id=\"error-hp.lr\">must be a number"), page);
        assertTrue(page.contains("value=\"fast\""), "the values given stay in the form");
    }
}
