package dev.penchant.api.training;

import dev.penchant.training.queue.JobQueue;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * penchant_training_jobs{status}: jobs per status, counted every 15 s on a thread of its own (a scrape
 * never waits on the database).
 */
@Singleton
public class JobMetrics {
    private static final Logger LOG = Logger.getLogger(JobMetrics.class);
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;

    void onStart(@Observes StartupEvent ev, JobQueue queue, MeterRegistry registry) {
        for (String status : JobQueue.STATUSES) {
            AtomicLong n = counts.computeIfAbsent(status, s -> new AtomicLong());
            Gauge.builder("penchant.training.jobs", n, AtomicLong::get).tag("status", status)
                    .description("Training jobs by status").register(registry);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "job-metrics");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> {
            try {
                queue.countByStatus().forEach((s, n) -> counts.computeIfAbsent(s, x -> new AtomicLong()).set(n));
            } catch (RuntimeException e) {
                LOG.debugf("could not count jobs: %s", e.getMessage());
            }
        }, 0, 15, TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) timer.shutdownNow();
    }
}
