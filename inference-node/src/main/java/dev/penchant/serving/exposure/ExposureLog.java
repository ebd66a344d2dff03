package dev.penchant.serving.exposure;

import dev.penchant.serving.config.ServingConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Writes one exposures row per answer, off the request path: requests offer to a bounded queue (never
 * waiting; a full queue drops and counts, penchant_exposures_dropped_total), one writer thread takes
 * up to batch-size rows at a time and stores them with one multi-row insert
 * (penchant_exposures_written_total). Shutdown writes what is still queued.
 */
@ApplicationScoped
public class ExposureLog {
    private static final Logger LOG = Logger.getLogger(ExposureLog.class);
    private static final int COLUMNS = 9;

    /** One answer as shown: items in rank order (array position = position shown). */
    public record Exposure(UUID recommendationId, OffsetDateTime shownAt, String userId, String surface,
                           Long experimentId, Long variantId, Long modelId, String fallbackReason, String[] items) {
    }

    private final Pool pool;
    private final ServingConfig.Exposures config;
    private final ArrayBlockingQueue<Exposure> queue;
    private final Counter written;
    private final Counter droppedFull;
    private final Counter droppedFailed;
    private final Map<Integer, String> statements = new ConcurrentHashMap<>();
    private final Object writing = new Object();
    private volatile boolean stopping;
    private volatile Thread writer;

    public ExposureLog(Pool pool, ServingConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.config = config.exposures();
        this.queue = new ArrayBlockingQueue<>(Math.max(1, this.config.queueCapacity()));
        this.written = Counter.builder("penchant.exposures.written").description("Exposure rows stored").register(registry);
        this.droppedFull = Counter.builder("penchant.exposures.dropped").tag("reason", "queue-full")
                .description("Exposures not stored").register(registry);
        this.droppedFailed = Counter.builder("penchant.exposures.dropped").tag("reason", "write-failed")
                .description("Exposures not stored").register(registry);
        Gauge.builder("penchant.exposures.queued", queue, ArrayBlockingQueue::size).description("Exposures waiting for the writer")
                .register(registry);
    }

    /** Queues an exposure; never blocks: returns false (and counts it) when the queue is full or logging is off. */
    public boolean log(Exposure e) {
        if (!config.enabled()) return false;
        ensureWriter();
        if (stopping || !queue.offer(e)) {
            droppedFull.increment();
            return false;
        }
        return true;
    }

    public long writtenCount() {
        return (long) written.count();
    }

    public long droppedCount() {
        return (long) (droppedFull.count() + droppedFailed.count());
    }

    public int queued() {
        return queue.size();
    }

    private void ensureWriter() {
        if (writer != null) return;
        synchronized (this) {
            if (writer != null || stopping) return;
            Thread t = new Thread(this::loop, "exposure-writer");
            t.setDaemon(true);
            t.start();
            writer = t;
        }
    }

    private void loop() {
        List<Exposure> batch = new ArrayList<>(config.batchSize());
        long waitNanos = Math.max(1, config.flushInterval().toNanos());
        long tick = TimeUnit.MILLISECONDS.toNanos(100); // how soon a stop is noticed
        while (!stopping) {
            try {
                Exposure first = queue.poll(tick, TimeUnit.NANOSECONDS);
                if (first == null) continue;
                batch.add(first);
                // under load the queue fills a batch at once; light traffic waits at most flush-interval
                long deadline = System.nanoTime() + waitNanos;
                while (batch.size() < config.batchSize() && !stopping) {
                    queue.drainTo(batch, config.batchSize() - batch.size());
                    long left = deadline - System.nanoTime();
                    if (batch.size() >= config.batchSize() || left <= 0) break;
                    Exposure more = queue.poll(Math.min(left, tick), TimeUnit.NANOSECONDS);
                    if (more != null) batch.add(more);
                }
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("exposure writer: " + e);
                batch.clear();
            }
        }
    }

    /** One multi-row insert; one retry after a short pause, then the rows are dropped (counted). */
    private void write(List<Exposure> batch) {
        synchronized (writing) {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    insert(batch);
                    written.increment(batch.size());
                    return;
                } catch (RuntimeException e) {
                    LOG.warnf("storing %d exposures failed%s: %s", batch.size(), attempt == 0 ? ", retrying" : ", dropped", e.toString());
                    if (attempt == 0) {
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException ie) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
            droppedFailed.increment(batch.size());
        }
    }

    private void insert(List<Exposure> batch) {
        String sql = statements.computeIfAbsent(batch.size(), ExposureLog::statement);
        List<Object> values = new ArrayList<>(batch.size() * COLUMNS);
        for (Exposure e : batch) {
            values.add(e.recommendationId());
            values.add(e.shownAt());
            values.add(e.userId());
            values.add(e.surface());
            values.add(e.experimentId());
            values.add(e.variantId());
            values.add(e.modelId());
            values.add(e.fallbackReason());
            values.add(e.items());
        }
        pool.preparedQuery(sql).execute(Tuple.from(values)).await().atMost(Duration.ofSeconds(30));
    }

    static String statement(int rows) {
        StringBuilder sb = new StringBuilder("insert into exposures (recommendation_id, shown_at, user_id, surface, experiment_id, "
                + "variant_id, model_id, fallback_reason, items) values ");
        for (int r = 0; r < rows; r++) {
            if (r > 0) sb.append(", ");
            sb.append('(');
            for (int c = 1; c <= COLUMNS; c++) {
                if (c > 1) sb.append(", ");
                sb.append('$').append(r * COLUMNS + c);
            }
            sb.append(')');
        }
        return sb.append(" on conflict do nothing").toString();
    }

    /** Writes everything queued now (tests; shutdown). */
    public void flush() {
        List<Exposure> batch = new ArrayList<>(config.batchSize());
        while (queue.drainTo(batch, config.batchSize()) > 0) {
            write(batch);
            batch.clear();
        }
        synchronized (writing) {
            // waits for a batch the writer thread has in flight
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopping = true;
        Thread t = writer;
        if (t != null) {
            try {
                t.join(config.shutdownTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int before = queue.size();
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        List<Exposure> batch = new ArrayList<>(config.batchSize());
        while (System.nanoTime() < deadline && queue.drainTo(batch, config.batchSize()) > 0) {
            write(batch);
            batch.clear();
        }
        int left = queue.size();
        if (left > 0) droppedFailed.increment(left);
        LOG.infof("exposures flushed at shutdown: %d queued, %d left unwritten; %d written in all", before, left, writtenCount());
    }
}
