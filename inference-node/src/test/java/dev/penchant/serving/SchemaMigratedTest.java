package dev.penchant.serving;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node starts against a real PostgreSQL (embedded when none is configured) with the schema applied. */
@QuarkusTest
class SchemaMigratedTest {
    @Inject
    Pool pool;

    @Test
    void migrationsRanAtStart() {
        Row row = pool.query("select count(*) as n from information_schema.tables where table_name in ('events','event_keys','models','training_jobs')")
                .execute().await().indefinitely().iterator().next();
        assertTrue(row.getLong("n") >= 4, "schema tables present");
    }

    @Test
    void healthIsOpen() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }
}
