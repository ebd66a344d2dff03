package dev.penchant.cli.importer;

import static dev.penchant.api.Api.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.penchant.api.Api;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Imports the real MovieLens 100K through the REST API of the test app, then counts by SQL. */
@QuarkusTest
class DatasetImporterTest {
    static final Path ML100K = ml100k();

    /** Beside the checkout (../shared), else where this machine keeps it (a clean clone elsewhere). */
    private static Path ml100k() {
        Path beside = Path.of(System.getProperty("user.dir")).getParent().resolve("../shared/data/ml-100k").normalize();
        // the same two places, tested the same way, as the core's Ml100kBaselineTest
        return Files.exists(beside.resolve("ml-100k.inter")) ? beside : Path.of("/work/shared/data/ml-100k");
    }

    @Inject
    Pool pool;

    @TestHTTPResource("/")
    URL base;

    @Test
    void importsMovieLens100kCompletelyAndIdempotently() throws Exception {
        assumeTrue(Files.isDirectory(ML100K), "ML-100K not found at " + ML100K);
        DataSource source = DataFormats.open(ML100K, "movielens-atomic", Map.of());
        DatasetImporter.Options options = new DatasetImporter.Options(base.toURI(), Api.KEY, "ml100k-test",
                1000, 4, System.err);
        DatasetImporter.Summary first = new DatasetImporter(options).run(source);
        System.err.printf("ML-100K import: %s (%.0f events/s)%n", first, first.eventsPerSecond());
        assertEquals(100_000, first.events());
        assertEquals(100_000 + 0, first.accepted() + first.duplicates());
        assertEquals(100_000, count(pool, "select count(*) from events where event_id like 'ml100k-test:%'"));
        assertEquals(100_000, count(pool, "select count(distinct event_id) from events where event_id like 'ml100k-test:%'"));
        assertEquals(943, count(pool, "select count(*) from users where user_id ~ '^[0-9]+$'"));
        assertEquals(1682, count(pool, "select count(*) from items where item_id ~ '^[0-9]+$'"));
        assertEquals(943, count(pool, "select count(distinct user_id) from events where event_id like 'ml100k-test:%'"));
        assertEquals(1, count(pool, "select count(*) from users where user_id = '1' and attributes->>'occupation' = 'technician'"));

        DatasetImporter.Summary again = new DatasetImporter(options).run(source);
        assertEquals(0, again.accepted(), "a re-run stores nothing new");
        assertEquals(100_000, again.duplicates());
        assertEquals(100_000, count(pool, "select count(*) from events where event_id like 'ml100k-test:%'"));
    }

    @Test
    void eventIdsAreDeterministic() {
        var e = new dev.penchant.core.data.io.RawEvent("1", "2", "rating", 3.0, java.time.Instant.ofEpochSecond(5));
        assertEquals(DatasetImporter.eventId("d", e, 7), DatasetImporter.eventId("d", e, 7));
        assertEquals(false, DatasetImporter.eventId("d", e, 7).equals(DatasetImporter.eventId("d", e, 8)));
    }
}
