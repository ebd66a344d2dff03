package dev.penchant.cli.importer;

import static dev.penchant.api.Api.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
    void importsTheDemoShopShiftedToNowOnceAndARejectedBatchIsOneLine() throws Exception {
        Path dir = Files.createTempDirectory("penchant-demo");
        // data that ended long ago: --shift-to-now moves it so the newest event is now
        var demo = dev.penchant.cli.demo.DemoData.write(dir, new dev.penchant.cli.demo.DemoData.Options(
                120, 60, 14, 3, java.time.Instant.parse("2020-01-01T00:00:00Z")));
        DataSource source = DataFormats.open(dir, "movielens-atomic", Map.of());
        DatasetImporter.Options options = new DatasetImporter.Options(base.toURI(), Api.KEY, "demo-test", 500, 2, null, true);
        DatasetImporter.Summary first = new DatasetImporter(options).run(source);
        assertEquals(demo.events(), first.accepted());
        assertEquals(120, first.users());
        assertEquals(demo.events(), count(pool, "select count(*) from events where event_id like 'demo-test:%'"));
        assertEquals(5, count(pool, "select count(distinct type) from events where event_id like 'demo-test:%'"));
        long lag = count(pool, "select extract(epoch from now() - max(occurred_at))::bigint from events where event_id like 'demo-test:%'");
        assertTrue(lag >= 0 && lag < 120, "newest event " + lag + " s ago");
        assertEquals(1, count(pool, "select count(*) from items where item_id = 'item-1' and title is not null and cardinality(categories) >= 1"));
        // ids come from the original data: a later re-run (shifted by a different amount) stores nothing
        DatasetImporter.Summary again = new DatasetImporter(options).run(source);
        assertEquals(0, again.accepted());

        Path bad = Files.createTempDirectory("penchant-bad");
        Files.writeString(bad.resolve("bad.inter"), "user_id:token\titem_id:token\ttype:token\ttimestamp:float\n"
                + "u1\ti1\tteleport\t1700000000\nu1\ti2\tteleport\t1700000001\nu2\ti1\tteleport\t1700000002\n");
        var failure = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> new DatasetImporter(
                new DatasetImporter.Options(base.toURI(), Api.KEY, "bad", 100, 1, null)).run(DataFormats.open(bad, "movielens-atomic", Map.of())));
        String line = failure.getMessage();
        assertTrue(line.contains("HTTP 400") && line.contains("first: #0 type: unknown event type 'teleport'")
                && line.contains("(3 errors listed)") && !line.contains("\n") && line.length() < 600, line);
    }

    @Test
    void eventIdsAreDeterministic() {
        var e = new dev.penchant.core.data.io.RawEvent("1", "2", "rating", 3.0, java.time.Instant.ofEpochSecond(5));
        assertEquals(DatasetImporter.eventId("d", e, 7), DatasetImporter.eventId("d", e, 7));
        assertEquals(false, DatasetImporter.eventId("d", e, 7).equals(DatasetImporter.eventId("d", e, 8)));
    }
}
