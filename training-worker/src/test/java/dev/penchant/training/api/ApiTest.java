package dev.penchant.training.api;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.penchant.training.jobs.ClaimedJob;
import dev.penchant.training.jobs.JobCompletion;
import dev.penchant.training.jobs.JobQueue;
import dev.penchant.training.jobs.JobTrainer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The REST surface: validation as problem+json, listing, cancel, registry versions and promotion. */
@QuarkusTest
class ApiTest {
    @Inject
    AgroalDataSource db;
    @Inject
    JobCompletion completion;

    @BeforeEach
    void clean() throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("truncate training_job_epochs, models, model_artifacts, training_jobs restart identity cascade");
        }
    }

    static RequestSpecification api() {
        return given().header("X-API-Key", "test-key").contentType(ContentType.JSON);
    }

    @Test
    void submitValidatesAndAnswersWithProblems() {
        api().body(Map.of("modelType", "gpt", "hyperparameters", List.of(1)))
                .post("/v1/training-jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("modelType")).body("errors.field", hasItem("hyperparameters"));
        api().body(Map.of("modelType", "dnn", "dataset", "s3://bucket/x"))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("dataset"));
        api().body(Map.of("modelType", "dnn", "dataset", "file:/data/ml#nope"))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].message", containsString("unknown format"));
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("nested", Map.of("a", 1))))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("hyperparameters.nested"));
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("data.typo", 1, "split", "random", "baselines", "popularity,gpt")))
                .post("/v1/training-jobs").then().statusCode(400)
                .body("errors.field", hasItem("hyperparameters.split")).body("errors.field", hasItem("hyperparameters.baselines"))
                .body("errors.message", hasItem(containsString("data.typo".substring(5))));
        given().contentType(ContentType.JSON).body(Map.of("modelType", "dnn"))
                .post("/v1/training-jobs").then().statusCode(401);
        api().get("/v1/training-jobs/424242").then().statusCode(404).contentType("application/problem+json");
        api().get("/v1/training-jobs?status=bogus").then().statusCode(400);
    }

    @Test
    void submitListAndCancel() {
        int id = api().body(Map.of("modelType", "transition", "dataset", "file:/data/ml-100k#movielens-atomic",
                        "hyperparameters", Map.of("epochs", 3, "lr", 0.01, "deterministic", true), "seed", 5))
                .post("/v1/training-jobs").then().statusCode(201)
                .header("Location", containsString("/v1/training-jobs/"))
                .body("status", equalTo("queued")).body("hyperparameters.epochs", equalTo("3"))
                .body("seed", equalTo(5)).extract().path("id");
        api().get("/v1/training-jobs?status=queued").then().statusCode(200).body("id", hasItem(id));
        api().get("/v1/training-jobs?status=running").then().statusCode(200).body("id", not(hasItem(id)));
        api().post("/v1/training-jobs/" + id + "/cancel").then().statusCode(202).body("status", equalTo("cancelled"))
                .body("cancelRequested", equalTo(true));
        api().post("/v1/training-jobs/" + id + "/cancel").then().statusCode(409);
        api().post("/v1/training-jobs/999999/cancel").then().statusCode(404);
    }

    @Test
    void concurrentRegistrationsGetDistinctVersionsAndPromotionArchivesAndNotifies() throws Exception {
        JobQueue queue = new JobQueue(db, Duration.ofMinutes(1), 3);
        List<ClaimedJob> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            queue.submit("platform", "itemknn", Map.of(), i);
            jobs.add(queue.claim("w" + i).orElseThrow());
        }
        var outcome = new JobTrainer.Outcome(Map.of("sampled-100/test/HR@10", 0.4), Map.of(), Map.of(), false, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> done = new ArrayList<>();
        for (ClaimedJob j : jobs) done.add(pool.submit(() -> completion.complete(j, outcome, null, Map.of())));
        for (Future<?> f : done) f.get();
        pool.shutdown();
        List<Integer> versions = new ArrayList<>(api().get("/v1/models?name=itemknn").then().statusCode(200)
                .extract().jsonPath().getList("version", Integer.class));
        Collections.sort(versions);
        assertEquals(List.of(1, 2, 3, 4, 5, 6), versions);

        List<Integer> ids = api().get("/v1/models?name=itemknn").jsonPath().getList("id", Integer.class);
        var cfg = ConfigProvider.getConfig();
        try (Connection listener = DriverManager.getConnection(cfg.getValue("quarkus.datasource.jdbc.url", String.class),
                cfg.getValue("quarkus.datasource.username", String.class), "")) {
            try (Statement s = listener.createStatement()) {
                s.execute("listen model_promoted");
            }
            api().post("/v1/models/" + ids.get(0) + "/promote").then().statusCode(200).body("status", equalTo("promoted"));
            api().post("/v1/models/" + ids.get(1) + "/promote").then().statusCode(200).body("status", equalTo("promoted"));
            api().get("/v1/models/" + ids.get(0)).then().body("status", equalTo("archived"));
            api().get("/v1/models?status=promoted").then().body("id", equalTo(List.of(ids.get(1))));
            List<String> heard = new ArrayList<>();
            long end = System.currentTimeMillis() + 5000;
            while (heard.size() < 2 && System.currentTimeMillis() < end) {
                PGNotification[] ns = listener.unwrap(PGConnection.class).getNotifications(500);
                if (ns != null) for (PGNotification n : ns) heard.add(n.getName() + ":" + n.getParameter());
            }
            assertEquals(List.of("model_promoted:" + ids.get(0), "model_promoted:" + ids.get(1)), heard);
        }
        api().post("/v1/models/999999/promote").then().statusCode(404);
        api().get("/v1/models/" + ids.get(0) + "/artifact").then().statusCode(404).contentType("application/problem+json");
        assertNotNull(ids);
    }
}
