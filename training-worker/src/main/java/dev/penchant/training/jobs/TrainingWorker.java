package dev.penchant.training.jobs;

import dev.penchant.core.artifact.ModelArchive;
import dev.penchant.support.problem.DatabaseUnavailable;
import dev.penchant.training.data.PlatformDataSource;
import dev.penchant.training.queue.ClaimedJob;
import dev.penchant.training.queue.JobQueue;
import org.jboss.logging.Logger;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One worker identity: polls the queue, trains claimed jobs on its own threads (never an event loop),
 * heartbeats each running job and stops training when the job is cancelled or taken over. Several
 * instances (one per node, or several in a test) share the queue safely.
 */
public final class TrainingWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TrainingWorker.class);

    /** Completes a job in one transaction; see {@link JobCompletion}. */
    public interface Completer {
        OptionalLong complete(ClaimedJob job, JobTrainer.Outcome outcome, Path archive, Map<String, Object> progress)
                throws Exception;
    }

    private final JobQueue queue;
    private final JobTrainer trainer;
    private final Completer completer;
    private final javax.sql.DataSource db;
    private final String workerId;
    private final Duration pollInterval;
    private final Duration heartbeatInterval;
    private final int concurrency;
    private final Path workDir;
    private final String device;
    private final AtomicInteger active = new AtomicInteger();
    private final ScheduledExecutorService poller;
    private final ScheduledExecutorService heartbeats;
    private final ExecutorService training;
    private volatile boolean stopping;

    public TrainingWorker(JobQueue queue, JobTrainer trainer, Completer completer, javax.sql.DataSource db,
                          String workerId, Duration pollInterval, Duration heartbeatInterval, int concurrency,
                          Path workDir, String device) {
        this.queue = queue;
        this.trainer = trainer;
        this.completer = completer;
        this.db = db;
        this.workerId = workerId;
        this.pollInterval = pollInterval;
        this.heartbeatInterval = heartbeatInterval;
        this.concurrency = Math.max(1, concurrency);
        this.workDir = workDir;
        this.device = device;
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "penchant-poll-" + workerId));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "penchant-heartbeat-" + workerId));
        AtomicInteger n = new AtomicInteger();
        this.training = Executors.newFixedThreadPool(this.concurrency,
                r -> daemon(r, "penchant-train-" + workerId + "-" + n.incrementAndGet()));
    }

    public String workerId() {
        return workerId;
    }

    public void start() {
        LOG.infof("training worker %s started: concurrency %d, poll every %s, TensorFlow device %s",
                workerId, concurrency, pollInterval, device);
        poller.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Claims jobs while there is a free slot; settles abandoned jobs first. */
    void poll() {
        try {
            queue.settleAbandoned();
            while (!stopping && active.get() < concurrency) {
                var job = queue.claim(workerId);
                if (job.isEmpty()) return;
                if (stopping) {
                    // shutdown began while the claim committed: hand it back now, not after the lease runs out
                    queue.release(job.get());
                    return;
                }
                active.incrementAndGet();
                try {
                    training.execute(() -> {
                        try {
                            run(job.get());
                        } finally {
                            active.decrementAndGet();
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    active.decrementAndGet();
                    queue.release(job.get());
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("worker %s could not poll the job queue: %s", workerId, e.getMessage());
        }
    }

    /** Trains one claimed job to its end state (succeeded, failed, cancelled, or lost to another worker). */
    public void run(ClaimedJob job) {
        LOG.infof("worker %s claimed job %d (%s on %s, attempt %d)", workerId, job.id(), job.modelType(),
                job.dataset(), job.attempts());
        JobProgress progress = new JobProgress(() -> stopping);
        ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> beat(job, progress),
                heartbeatInterval.toMillis(), heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        Path jobDir = null;
        try {
            jobDir = Files.createDirectories(workDir).resolve("job-" + job.id() + "-" + job.attempts() + "-"
                    + System.nanoTime());
            Path exportDir = jobDir.resolve("model");
            progress.stage("loading data");
            PlatformDataSource source = PlatformDataSource.snapshot(db, job.dataset());
            if (source.snapshotInfo().events() == 0) {
                throw new IllegalStateException("the dataset selects no events (" + (job.dataset().all()
                        ? "the platform has none yet" : "filter " + job.dataset().toJson()) + ")");
            }
            Map<String, Object> lineage = new LinkedHashMap<>(source.snapshotInfo().toMap());
            JobTrainer.Outcome outcome = trainer.train(job, source, lineage, progress, exportDir);
            if (stopIfAsked(job, progress)) return;
            progress.stage("registering");
            Path archive = null;
            if (outcome.exported()) {
                archive = jobDir.resolve("model.zip");
                try (OutputStream out = Files.newOutputStream(archive)) {
                    ModelArchive.zip(exportDir, out);
                }
            }
            // heartbeats run until here (zipping a large export takes a while); a last one writes the
            // remaining epochs and re-checks ownership and cancellation. The completion then holds the
            // job row's lock, so no claimer can take it meanwhile.
            beat.cancel(false);
            if (!beat(job, progress) || stopIfAsked(job, progress)) return;
            Map<String, Object> report = new LinkedHashMap<>(outcome.report());
            report.putIfAbsent("device", device);
            report.put("workerId", workerId);
            report.put("attempt", job.attempts());
            Map<String, Object> last = new LinkedHashMap<>(progress.latest());
            last.put("stage", "done");
            OptionalLong model = complete(job, progress, new JobTrainer.Outcome(outcome.metrics(),
                    outcome.hyperparameters(), report, outcome.exported(), outcome.lineage()), archive, last);
            if (model.isPresent()) {
                LOG.infof("job %d succeeded: model %d, HR@10 %s, NDCG@10 %s (sampled-100, test)", job.id(),
                        model.getAsLong(), outcome.metrics().get("sampled-100/test/HR@10"),
                        outcome.metrics().get("sampled-100/test/NDCG@10"));
            } else {
                LOG.warnf("job %d finished training on %s but is no longer this worker's; not registered",
                        job.id(), workerId);
            }
        } catch (Throwable t) {
            beat.cancel(false);
            if (stopIfAsked(job, progress)) return;
            // the stack trace goes to this log only; clients see one line with the same reference
            String reference = java.util.UUID.randomUUID().toString();
            LOG.errorf(t, "job %d failed on %s (reference %s)", job.id(), workerId, reference);
            try {
                queue.fail(job, describe(t, reference));
            } catch (RuntimeException e) {
                LOG.errorf("could not record the failure of job %d: %s", job.id(), e.getMessage());
            }
        } finally {
            beat.cancel(false);
            ModelArchive.deleteTree(jobDir);
        }
    }

    /**
     * Completes the job, retrying while the database is unreachable and the lease may still be ours
     * (the last confirmed heartbeat is younger than the timeout): the completion is one transaction
     * fenced by worker id and attempt, so a retry can never register a model twice, and a job whose
     * lease ran out is another worker's to finish.
     */
    private OptionalLong complete(ClaimedJob job, JobProgress progress, JobTrainer.Outcome outcome, Path archive,
                                  Map<String, Object> last) throws Exception {
        while (true) {
            try {
                return completer.complete(job, outcome, archive, last);
            } catch (Exception e) {
                if (!DatabaseUnavailable.is(e) || progress.sinceOwned().compareTo(queue.heartbeatTimeout()) >= 0 || stopping) {
                    throw e;
                }
                LOG.warnf("completing job %d failed, database unavailable (%s); retrying", job.id(), e.getMessage());
                Thread.sleep(Math.min(1000, Math.max(100, heartbeatInterval.toMillis())));
            }
        }
    }

    /** Handles a cancelled, lost or shut-down job; true when training must not be registered. */
    private boolean stopIfAsked(ClaimedJob job, JobProgress progress) {
        if (progress.lost()) {
            LOG.warnf("job %d was taken over by another worker; %s stops without writing", job.id(), workerId);
            return true;
        }
        if (progress.cancelRequested()) {
            Map<String, Object> last = new LinkedHashMap<>(progress.latest());
            last.put("stage", "cancelled");
            boolean done = queue.markCancelled(job, last);
            LOG.infof("job %d cancelled%s", job.id(), done ? "" : " (already settled elsewhere)");
            return true;
        }
        if (stopping) {
            // graceful shutdown: hand the job back at once rather than after the heartbeat timeout
            queue.release(job);
            LOG.infof("job %d released by %s at shutdown", job.id(), workerId);
            return true;
        }
        return false;
    }

    /** One heartbeat; false when the job is no longer ours. */
    private boolean beat(ClaimedJob job, JobProgress progress) {
        var epochs = progress.drainEpochs();
        try {
            JobQueue.Heartbeat h = queue.heartbeat(job, progress.latest(), epochs);
            switch (h) {
                case LOST -> progress.markLost();
                case CANCEL_REQUESTED -> {
                    progress.markOwned();
                    progress.markCancelRequested();
                }
                case OWNED -> progress.markOwned();
            }
            return h != JobQueue.Heartbeat.LOST;
        } catch (RuntimeException e) {
            // a failed write keeps its epochs for the next beat; the job times out only if this persists
            progress.requeue(epochs);
            if (progress.sinceOwned().compareTo(queue.heartbeatTimeout()) >= 0) {
                // the lease has run out: another worker may have claimed the job; training on would only
                // duplicate its work (the completion is fenced either way)
                LOG.warnf("heartbeats of job %d failed for longer than the lease (%s): %s stops", job.id(),
                        queue.heartbeatTimeout(), workerId);
                progress.markLost();
                return false;
            }
            LOG.warnf("heartbeat of job %d failed: %s", job.id(), e.getMessage());
            return true;
        }
    }

    public int activeJobs() {
        return active.get();
    }

    /** Stops claiming, asks running training to stop, hands their jobs back, waits up to timeout. */
    public void stop(Duration timeout) {
        stopping = true;
        // let a poll in flight finish (it releases what it claims once stopping is set) before training closes
        poller.shutdown();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            if (!poller.awaitTermination(Math.min(timeout.toMillis(), 5000), TimeUnit.MILLISECONDS)) poller.shutdownNow();
            training.shutdown();
            long left = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!training.awaitTermination(left, TimeUnit.MILLISECONDS)) training.shutdownNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
    }

    /** Whether training should stop because this worker is shutting down. */
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(30));
    }

    /** What a client sees of a failure: one line, no stack trace, the reference that finds it in the worker's log. */
    static String describe(Throwable t, String reference) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        message = message.replaceAll("\\s+", " ").strip();
        if (message.length() > 300) message = message.substring(0, 300) + "...";
        return "training failed: " + message + " (reference " + reference + " in the worker's log)";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

}
