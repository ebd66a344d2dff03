package dev.penchant.training.jobs;

import dev.penchant.tf.TfRuntime;
import dev.penchant.training.artifacts.PostgresArtifactStore;
import dev.penchant.training.queue.JobCompletion;
import dev.penchant.training.queue.JobQueue;
import dev.penchant.training.registry.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Wires the training store (queue, registry, artifacts, completion) and this node's worker from
 * penchant.worker.*, and starts it after boot. The worker serves no REST of its own: jobs are
 * submitted and watched through platform-api.
 */
@ApplicationScoped
public class WorkerLifecycle {
    private static final Logger LOG = Logger.getLogger(WorkerLifecycle.class);

    private final WorkerConfig config;
    private final AgroalDataSource db;
    private final JobTrainer trainer;
    private final JobCompletion completion;
    private volatile TrainingWorker worker;
    private volatile String device;

    public WorkerLifecycle(WorkerConfig config, AgroalDataSource db, JobTrainer trainer) {
        this.config = config;
        this.db = db;
        this.trainer = trainer;
        this.completion = new JobCompletion(db, new PostgresArtifactStore(db), new ModelRegistry(db));
    }

    /** The store's completion as the worker calls it. */
    public static TrainingWorker.Completer completer(JobCompletion completion) {
        return (job, outcome, archive, progress) -> completion.complete(job, new JobCompletion.Result(outcome.metrics(),
                outcome.hyperparameters(), outcome.report(), outcome.lineage()), archive, progress);
    }

    public JobCompletion completion() {
        return completion;
    }

    @Produces
    @Singleton
    JobQueue queue() {
        return new JobQueue(db, config.heartbeatTimeout(), config.maxAttempts());
    }

    void onStart(@Observes StartupEvent ev, JobQueue queue) {
        if (!config.enabled()) {
            LOG.info("training worker disabled (penchant.worker.enabled=false); serving the API only");
            return;
        }
        worker = newWorker(queue, config.effectiveWorkerId());
        worker.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (worker != null) worker.stop(Duration.ofSeconds(20));
    }

    /** A worker with this node's settings and the given identity (tests run several in one JVM). */
    public TrainingWorker newWorker(JobQueue queue, String workerId) {
        Path workDir = Path.of(config.workDir().orElse(System.getProperty("java.io.tmpdir") + "/penchant-training"));
        return new TrainingWorker(queue, trainer, completer(completion), db, workerId, config.pollInterval(),
                config.heartbeatInterval(), config.concurrency(), workDir, device());
    }

    /** This node's worker, or null when disabled. */
    public TrainingWorker worker() {
        return worker;
    }

    /** Which device TensorFlow runs on here ("cpu" or "gpu"), measured once by tracing a tiny step. */
    public synchronized String device() {
        if (device == null) device = detectDevice();
        return device;
    }

    static String detectDevice() {
        try (Graph g = new Graph(); Session s = new Session(g, dev.penchant.tf.TfRuntime.config(false, 0))) {
            Ops tf = Ops.create(g);
            var m = tf.linalg.matMul(tf.constant(new float[][]{{1f, 2f}, {3f, 4f}}),
                    tf.constant(new float[][]{{1f}, {1f}}));
            String d = TfRuntime.traceDevice(s.runner().fetch(m));
            LOG.infof("TensorFlow %s runs on %s%s", TensorFlow.version(), d,
                    d.equals("cpu") ? " (no GPU visible; build with -Pgpu and provide CUDA 12 / cuDNN 9 for one)" : "");
            return d;
        } catch (Throwable t) {
            LOG.warnf("could not determine TensorFlow's device: %s", t.toString());
            return "unknown";
        }
    }
}
