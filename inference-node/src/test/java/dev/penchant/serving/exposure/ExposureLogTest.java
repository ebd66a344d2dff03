package dev.penchant.serving.exposure;

import dev.penchant.serving.config.ServingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exposure log on the real database: a burst far larger than the queue never blocks the caller
 * (what does not fit is dropped and counted), and shutdown writes everything still queued.
 */
@QuarkusTest
class ExposureLogTest {
    @Inject
    Pool pool;

    static ServingConfig config(int capacity, int batch, Duration flush) {
        Map<String, Object> values = Map.of("enabled", true, "queueCapacity", capacity, "batchSize", batch,
                "flushInterval", flush, "shutdownTimeout", Duration.ofSeconds(20));
        ServingConfig.Exposures e = (ServingConfig.Exposures) Proxy.newProxyInstance(ExposureLogTest.class.getClassLoader(),
                new Class<?>[]{ServingConfig.Exposures.class}, (p, m, a) -> values.get(m.getName()));
        return (ServingConfig) Proxy.newProxyInstance(ExposureLogTest.class.getClassLoader(), new Class<?>[]{ServingConfig.class},
                (p, m, a) -> m.getName().equals("exposures") ? e : null);
    }

    private long rows(String user) {
        return pool.preparedQuery("select count(*) from exposures where user_id = $1").execute(Tuple.of(user))
                .await().indefinitely().iterator().next().getLong(0);
    }

    private static ExposureLog.Exposure exposure(String user, int i) {
        return new ExposureLog.Exposure(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), user, "user", null, null, null,
                "cold-start", new String[]{"i" + i, "i" + (i + 1)});
    }

    @Test
    void fullQueueDropsAndCountsWithoutBlocking() {
        ExposureLog log = new ExposureLog(pool, config(50, 20, Duration.ofSeconds(5)), new SimpleMeterRegistry());
        long t0 = System.nanoTime();
        int accepted = 0;
        for (int i = 0; i < 5000; i++) if (log.log(exposure("burst-user", i))) accepted++;
        long micros = (System.nanoTime() - t0) / 1000;
        assertTrue(micros < 2_000_000, "5000 offers took " + micros + " us");
        assertTrue(log.droppedCount() > 0, "a 50-row queue cannot take a 5000 burst");
        assertEquals(5000, accepted + log.droppedCount());
        log.onStop(null);
        assertEquals(accepted, log.writtenCount());
        assertEquals(accepted, rows("burst-user"));
    }

    @Test
    void shutdownFlushesWhatIsQueued() {
        // a long flush interval: without the shutdown flush these would wait
        ExposureLog log = new ExposureLog(pool, config(10_000, 500, Duration.ofMinutes(10)), new SimpleMeterRegistry());
        for (int i = 0; i < 1234; i++) assertTrue(log.log(exposure("flush-user", i)));
        log.onStop(null);
        assertEquals(0, log.droppedCount());
        assertEquals(1234, log.writtenCount());
        assertEquals(1234, rows("flush-user"));
        assertEquals(0, log.queued());
    }
}
