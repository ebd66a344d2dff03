package dev.penchant.api.training;

import static dev.penchant.api.Api.api;
import static dev.penchant.api.Api.count;
import static dev.penchant.api.Api.withRole;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.penchant.support.security.Roles;
import dev.penchant.training.queue.ClaimedJob;
import dev.penchant.training.queue.DatasetFilter;
import dev.penchant.training.queue.JobCompletion;
import dev.penchant.training.queue.JobQueue;
import dev.penchant.training.registry.ModelRegistry;
import dev.penchant.training.artifacts.ArtifactStore;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The promotion guard through the API: refused (409, both figures), forced, beating, audited; artifact download. */
@QuarkusTest
class PromotionTest {
    @Inject
    Pool pool;
    @Inject
    JobQueue queue;
    @Inject
    ModelRegistry registry;
    @Inject
    ArtifactStore artifacts;
    @Inject
    io.agroal.api.AgroalDataSource db;

    /** A finished job of this type whose report holds the model's and popularity's test NDCG@10 (full). */
    long trained(String type, Double model, double popularity, Path artifact) {
        long id = queue.submit(DatasetFilter.ALL, type, Map.of(), 1);
        // other tests leave jobs queued; this one must be the one claimed
        pool.preparedQuery("update training_jobs set status = 'cancelled' where status = 'queued' and id <> $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id)).await().indefinitely();
        ClaimedJob job = queue.claim("test-worker").orElseThrow();
        List<Map<String, Object>> results = new java.util.ArrayList<>();
        results.add(Map.of("model", "popularity", "protocol", "full", "split", "test", "metrics", Map.of("NDCG@10", popularity)));
        if (model != null) results.add(Map.of("model", type, "protocol", "full", "split", "test", "metrics", Map.of("NDCG@10", model)));
        return new JobCompletion(db, artifacts, registry).complete(job, new JobCompletion.Result(
                model == null ? Map.of() : Map.of("full/test/NDCG@10", model), Map.of(), Map.of("results", results), Map.of()),
                artifact, Map.of()).orElseThrow();
    }

    @Test
    void aModelThatDoesNotBeatPopularityIsRefusedUnlessForcedAndBothAreAudited() {
        long weak = trained("dnn", 0.0101, 0.0250, null);
        api().post("/v1/models/" + weak + "/promote").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("https://penchant.dev/problems/promotion-refused"))
                .body("detail", containsString("0.0101")).body("detail", containsString("0.0250"))
                .body("detail", containsString("force=true"));
        assertEquals("registered", registry.find(weak).orElseThrow().status());
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'model.promotion-refused' and subject = $1", Long.toString(weak)));

        api().post("/v1/models/" + weak + "/promote?force=true").then().statusCode(200).body("status", equalTo("promoted"));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'model.promoted' and subject = $1 "
                + "and details->>'forced' = 'true' and (details->>'ndcg10')::float = 0.0101", Long.toString(weak)));
        api().post("/v1/models/" + weak + "/promote?force=maybe").then().statusCode(400).body("errors[0].field", equalTo("force"));
    }

    @Test
    void aModelThatBeatsPopularityIsPromotedAndOneWithoutMetricsIsRefused() {
        long strong = trained("sasrec", 0.112, 0.025, null);
        api().post("/v1/models/" + strong + "/promote").then().statusCode(200).body("status", equalTo("promoted"));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'model.promoted' and subject = $1 "
                + "and details->>'forced' is null", Long.toString(strong)));
        long blank = trained("din", null, 0.025, null);
        api().post("/v1/models/" + blank + "/promote").then().statusCode(409).body("detail", containsString("no test metrics"));
        // baselines are what the guard compares with; they are not judged against themselves
        long baseline = trained("popularity", 0.025, 0.025, null);
        api().post("/v1/models/" + baseline + "/promote").then().statusCode(200);
        api().post("/v1/models/987654/promote").then().statusCode(404);
    }

    @Test
    void artifactsAreForAdminsOnlyAndListsFilterByValidStatus() throws Exception {
        Path zip = Files.createTempFile("artifact", ".zip");
        Files.writeString(zip, "zip bytes");
        long id = trained("neumf", 0.5, 0.1, zip);
        api().get("/v1/models/" + id + "/artifact").then().statusCode(200).contentType("application/zip")
                .body(equalTo("zip bytes"));
        withRole(Roles.ANALYST).get("/v1/models/" + id + "/artifact").then().statusCode(403);
        withRole(Roles.ANALYST).get("/v1/models/" + id).then().statusCode(200).body("name", equalTo("neumf"));
        api().get("/v1/models?status=bogus").then().statusCode(400).body("errors[0].field", equalTo("status"));
        api().get("/v1/models?status=registered&name=neumf").then().statusCode(200).body("[0].id", equalTo((int) id));
        api().get("/v1/models/" + trained("itemknn", 0.2, 0.1, null) + "/artifact").then().statusCode(404);
        Files.deleteIfExists(zip);
    }

    @Test
    void promotionNamesASurfaceAndArchivesOnlyAModelNoSurfaceServes() {
        long first = trained("popularity", null, 0.02, null); // a baseline: not judged
        long second = trained("popularity", null, 0.02, null);
        api().post("/v1/models/" + first + "/promote?surface=homepage").then().statusCode(400)
                .body("errors[0].field", equalTo("surface"));
        api().post("/v1/models/" + first + "/promote?surface=session").then().statusCode(200);
        api().post("/v1/models/" + first + "/promote?surface=similar").then().statusCode(200);
        api().post("/v1/models/" + second + "/promote?surface=session").then().statusCode(200).body("status", equalTo("promoted"));
        api().get("/v1/models/" + first).then().body("status", equalTo("promoted"));
        api().post("/v1/models/" + second + "/promote?surface=similar").then().statusCode(200);
        api().get("/v1/models/" + first).then().body("status", equalTo("archived"));
        api().get("/v1/serving").then().statusCode(200)
                .body("find { it.surface == 'session' }.model.id", equalTo((int) second))
                .body("find { it.surface == 'similar' }.model.id", equalTo((int) second));
        assertEquals(1, count(pool, "select count(*) from audit_log where action = 'model.promoted' and subject = $1"
                + " and details->>'surface' = 'similar'", Long.toString(second)));
        withRole(Roles.ANALYST).post("/v1/models/" + first + "/promote?surface=user").then().statusCode(403);
    }
}
