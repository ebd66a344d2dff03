package dev.penchant.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
class AdminPagesTest {
    @Inject
    Pool pool;

    @Test
    void homePageShowsCountsFromTheDatabase() {
        pool.query("insert into users (user_id) values ('admin-test-u1'), ('admin-test-u2') on conflict do nothing")
                .execute().await().indefinitely();
        long users = pool.query("select count(*) as n from users").execute().await().indefinitely()
                .iterator().next().getLong("n");
        given().header("X-API-Key", "test-key")
                .when().get("/admin")
                .then().statusCode(200)
                .body(containsString("<td class=\"n\" id=\"users\">" + users + "</td>"));
    }
}
