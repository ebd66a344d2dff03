package dev.penchant.api.training;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.count;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane's training-job REST: validation as problems naming the field, list, get, cancel. */
@QuarkusTest
class TrainingJobsTest {
    @Inject
    Pool pool;

    @Test
    void modelTypesListTheDeclaredHyperparametersTheJobIsValidatedAgainst() {
        api().get("/v1/model-types").then().statusCode(200)
                .body("name", hasItem("popularity")).body("name", hasItem("dnn"))
                .body("find { it.name == 'dnn' }.kind", equalTo("tensorflow"))
                .body("find { it.name == 'dnn' }.parameters.find { it.name == 'epochs' }.type", equalTo("int"))
                .body("find { it.name == 'dnn' }.parameters.find { it.name == 'epochs' }.min", equalTo(1.0f));
        api().get("/v1/model-types/dnn").then().statusCode(200).body("parameters.name", hasItem("lr"));
        api().get("/v1/model-types/gpt").then().statusCode(404).contentType("application/problem+json");
        api().get("/v1/model-types/run-settings").then().statusCode(200).body("prefix", hasItem("data."));
    }

    @Test
    void submitValidatesEveryFieldAndNamesIt() {
        api().body(Map.of("modelType", "gpt", "hyperparameters", List.of(1)))
                .post("/v1/training-jobs").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("modelType")).body("errors.field", hasItem("hyperparameters"));
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("nested", Map.of("a", 1))))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("hyperparameters.nested"));
        api().body("{\"modelType\": \"dnn\", \"hyperparameters\": {\"lr\": null}}")
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("hyperparameters.lr"));
        // the reported hole: an untrained model with epochs=-5 could be queued and promoted
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("epochs", -5)))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("hyperparameters.epochs"));
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("epochs", "many")))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("hyperparameters.epochs"));
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("data.typo", 1, "split", "random", "baselines", "popularity,gpt")))
                .post("/v1/training-jobs").then().statusCode(400)
                .body("errors.field", hasItem("hyperparameters.split")).body("errors.field", hasItem("hyperparameters.baselines"))
                .body("errors.field", hasItem("hyperparameters.data.typo"));
        // the catalogue's typed specs: a key the model does not take, with the closest known name
        api().body(Map.of("modelType", "dnn", "hyperparameters", Map.of("epohcs", 5))).post("/v1/training-jobs").then()
                .statusCode(400).body("errors[0].field", equalTo("hyperparameters.epohcs"))
                .body("errors[0].message", containsString("epochs"));
        api().body(Map.of("modelType", "dnn", "colour", "red")).post("/v1/training-jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("colour"));
        api().body(Map.of("modelType", "dnn", "dataset", Map.of("eventTypes", List.of("teleport"))))
                .post("/v1/training-jobs").then().statusCode(400).body("errors[0].field", equalTo("dataset.eventTypes[0]"));
        api().body("{\"modelType\": \"dnn\", \"seed\": 123456789012345678901234567890}").post("/v1/training-jobs")
                .then().statusCode(400).body("errors[0].field", equalTo("seed")).body("detail", not(containsString("Long")));
        api().get("/v1/training-jobs/424242").then().statusCode(404).contentType("application/problem+json");
        api().get("/v1/training-jobs?status=bogus").then().statusCode(400).body("errors[0].field", equalTo("status"));
        api().get("/v1/training-jobs?limit=abc").then().statusCode(400).body("errors[0].field", equalTo("limit"));
    }

    @Test
    void aJobNamesItsModelDefaultingToTheType() {
        api().body(Map.of("modelType", "dnn", "name", "bad name!")).post("/v1/training-jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        api().body(Map.of("modelType", "dnn", "name", 7)).post("/v1/training-jobs").then().statusCode(400);
        api().body(Map.of("modelType", "popularity", "name", "pop-fresh.v2")).post("/v1/training-jobs").then().statusCode(201)
                .body("name", equalTo("pop-fresh.v2")).body("modelType", equalTo("popularity"));
        api().body(Map.of("modelType", "popularity")).post("/v1/training-jobs").then().statusCode(201)
                .body("name", equalTo("popularity"));
    }

    @Test
    void datasetPathsAreRefusedWithoutReadingAnything() {
        long jobsBefore = count(pool, "select count(*) from training_jobs");
        for (String probe : List.of("file:/etc/passwd#csv", "file:/proc/self/environ#csv", "file:/etc#user-item", "/etc/passwd",
                "../../etc/shadow")) {
            api().body(Map.of("modelType", "popularity", "dataset", probe)).post("/v1/training-jobs").then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].field", equalTo("dataset"))
                    .body("errors[0].message", startsWith("must be an object of filters"))
                    .body(not(containsString("root:"))).body(not(containsString("PENCHANT_")));
        }
        assertEquals(jobsBefore, count(pool, "select count(*) from training_jobs"), "nothing was queued for a worker to read");
    }

    @Test
    void submitListGetAndCancel() {
        int id = api().body(Map.of("modelType", "dnn",
                        "dataset", Map.of("eventTypes", List.of("view", "purchase"), "from", "2026-01-01T00:00:00Z"),
                        "hyperparameters", Map.of("epochs", 3, "lr", 0.01, "deterministic", true), "seed", 5))
                .post("/v1/training-jobs").then().statusCode(201)
                .header("Location", containsString("/v1/training-jobs/"))
                .body("status", equalTo("queued")).body("hyperparameters.epochs", equalTo("3"))
                .body("dataset.eventTypes", equalTo(List.of("view", "purchase")))
                .body("submittedBy", startsWith("key:")).body("seed", equalTo(5)).extract().path("id");
        api().body(Map.of("modelType", "popularity")).post("/v1/training-jobs").then().statusCode(201)
                .body("dataset", equalTo(Map.of()));
        api().get("/v1/training-jobs?status=queued").then().statusCode(200).body("id", hasItem(id));
        api().get("/v1/training-jobs?status=running").then().statusCode(200).body("id", not(hasItem(id)));
        api().get("/v1/training-jobs/" + id).then().statusCode(200).body("epochs", equalTo(List.of()));
        api().post("/v1/training-jobs/" + id + "/cancel").then().statusCode(202).body("status", equalTo("cancelled"))
                .body("cancelRequested", equalTo(true));
        api().post("/v1/training-jobs/" + id + "/cancel").then().statusCode(409)
                .body("type", equalTo("https://penchant.dev/problems/conflict"));
        api().post("/v1/training-jobs/999999/cancel").then().statusCode(404);
    }
}
