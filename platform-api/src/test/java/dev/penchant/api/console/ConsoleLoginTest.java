package dev.penchant.api.console;

import static dev.penchant.api.Api.ADMIN_PASSWORD;
import static dev.penchant.api.Api.ADMIN_USER;
import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.count;
import static dev.penchant.api.Api.unique;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Console users: login, who am I, logout, lock-out with back-off, disabling, and their audit rows. */
@QuarkusTest
class ConsoleLoginTest {
    @Inject
    Pool pool;

    static Response login(String user, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", user, "password", password))
                .post("/v1/auth/sessions");
    }

    static io.restassured.specification.RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    @Test
    void theConfiguredAdminLogsInAndTheSessionIsABearerCredentialUntilLogout() {
        Response ok = login(ADMIN_USER, ADMIN_PASSWORD);
        ok.then().statusCode(201).body("token", startsWith("ps_")).body("username", equalTo(ADMIN_USER))
                .body("roles", equalTo(List.of("admin")));
        String token = ok.path("token");
        bearer(token).get("/v1/auth/session").then().statusCode(200).body("principal", equalTo(ADMIN_USER))
                .body("kind", equalTo("console-user")).body("roles", hasItem("analyst"));
        // console actions and API keys share one model: the admin's session may do what an admin key may
        bearer(token).get("/v1/admin/api-keys").then().statusCode(200);
        bearer(token).delete("/v1/auth/session").then().statusCode(204);
        bearer(token).get("/v1/auth/session").then().statusCode(401);
        assertTrue(count(pool, "select count(*) from audit_log where action = 'console.login' and actor = 'user:admin'") >= 1);
        assertTrue(count(pool, "select count(*) from audit_log where action = 'console.logout' and subject = 'admin'") >= 1);
        // an API key cannot "log out"
        api().delete("/v1/auth/session").then().statusCode(400);
    }

    @Test
    void aFailedLoginSaysNothingAboutWhichPartWasWrong() {
        String wrongPassword = login(ADMIN_USER, "not-the-password").then().statusCode(401)
                .contentType("application/problem+json").extract().path("detail");
        String unknownUser = login("nobody-" + System.nanoTime(), ADMIN_PASSWORD).then().statusCode(401).extract().path("detail");
        assertEquals(wrongPassword, unknownUser);
        assertTrue(count(pool, "select count(*) from audit_log where action = 'console.login-failed' and details->>'reason' = 'unknown-user' and subject is null") >= 1,
                "the attempted name is not stored");
        given().contentType(ContentType.JSON).body(Map.of("username", ADMIN_USER)).post("/v1/auth/sessions")
                .then().statusCode(400).body("errors[0].field", equalTo("password"));
        login(ADMIN_USER, ADMIN_PASSWORD).then().statusCode(201); // resets the admin's failure count
    }

    @Test
    void repeatedFailuresLockTheUserWithBackOffAndTheRightPasswordWaits() throws Exception {
        String user = unique("analyst");
        String password = "correct-horse-battery";
        api().body(Map.of("username", user, "password", password, "roles", List.of("analyst")))
                .post("/v1/admin/console-users").then().statusCode(201).body("roles", equalTo(List.of("analyst")));
        login(user, password).then().statusCode(201);
        for (int i = 0; i < 3; i++) login(user, "wrong-" + i).then().statusCode(401); // %test max-failed-logins=3
        login(user, password).then().statusCode(401); // locked for PT2S: even the right password waits
        Thread.sleep(2_500);
        login(user, password).then().statusCode(201); // the lock ended; success resets the count
        for (int i = 0; i < 3; i++) login(user, "wrong-" + i).then().statusCode(401);
        Thread.sleep(2_500);
        login(user, "wrong-again").then().statusCode(401); // a failure after the lock: 4 s now
        Thread.sleep(2_500);
        login(user, password).then().statusCode(401);
        Thread.sleep(2_000);
        String token = login(user, password).then().statusCode(201).extract().path("token");
        bearer(token).get("/v1/training-jobs").then().statusCode(200);
        bearer(token).get("/v1/admin/api-keys").then().statusCode(403); // analyst: read-only management
        assertTrue(count(pool, "select count(*) from audit_log where action = 'console.login-failed' and subject = $1 and details->>'reason' = 'locked'", user) >= 2);

        api().post("/v1/admin/console-users/" + user + "/disable").then().statusCode(200).body("disabled", equalTo(true));
        bearer(token).get("/v1/training-jobs").then().statusCode(401);
        login(user, password).then().statusCode(401);
        api().get("/v1/admin/console-users").then().statusCode(200).body("username", hasItem(user));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'console-user.created' and subject = $1", user));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'console-user.disabled' and subject = $1", user));
    }

    @Test
    void consoleUsersNeedStrongPasswordsAndKnownRoles() {
        api().body(Map.of("username", unique("u"), "password", "short", "roles", List.of("admin")))
                .post("/v1/admin/console-users").then().statusCode(400).body("errors[0].field", equalTo("password"));
        api().body(Map.of("username", unique("u"), "password", "long-enough-password", "roles", List.of("god")))
                .post("/v1/admin/console-users").then().statusCode(400).body("errors[0].field", equalTo("roles"));
        api().body(Map.of("username", ADMIN_USER, "password", "long-enough-password", "roles", List.of("admin")))
                .post("/v1/admin/console-users").then().statusCode(409);
        api().post("/v1/admin/console-users/nobody-here/disable").then().statusCode(404);
    }
}
