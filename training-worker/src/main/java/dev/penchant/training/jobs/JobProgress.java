package dev.penchant.training.jobs;

import dev.penchant.core.model.ProgressListener;
import dev.penchant.training.queue.Epoch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;

/**
 * What the training thread reports, picked up by the heartbeat thread: the latest progress, and the
 * finished epochs not yet written. The heartbeat sets the two stop flags; the model polls them through
 * {@link #cancelled()}.
 */
public final class JobProgress implements ProgressListener {
    private final ConcurrentLinkedQueue<Epoch> pending = new ConcurrentLinkedQueue<>();
    private volatile Map<String, Object> latest = Map.of();
    private volatile Map<String, Double> lastValidation = Map.of();
    private volatile boolean cancelRequested;
    private volatile boolean lost;
    /** When a heartbeat last found the job this worker's (System.nanoTime). */
    private volatile long ownedAtNanos = System.nanoTime();
    private final BooleanSupplier shuttingDown;

    public JobProgress() {
        this(() -> false);
    }

    /** @param shuttingDown true once the worker is stopping: training ends early and the job is handed back */
    public JobProgress(BooleanSupplier shuttingDown) {
        this.shuttingDown = shuttingDown;
    }

    @Override
    public void step(int epoch, double fraction, double loss) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("epoch", epoch);
        p.put("fraction", fraction);
        p.put("loss", finite(loss));
        p.put("validation", lastValidation);
        latest = p;
    }

    @Override
    public void epochEnd(int epoch, double loss, Map<String, Double> validationMetrics) {
        Map<String, Double> metrics = validationMetrics == null ? Map.of() : finiteValues(validationMetrics);
        lastValidation = metrics;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("epoch", epoch);
        p.put("fraction", 1.0);
        p.put("loss", finite(loss));
        p.put("validation", metrics);
        latest = p;
        pending.add(new Epoch(epoch, finite(loss), metrics));
    }

    @Override
    public boolean cancelled() {
        return cancelRequested || lost || shuttingDown.getAsBoolean();
    }

    /** Marks a stage outside the model's own epochs (loading data, evaluating, exporting). */
    public void stage(String stage) {
        Map<String, Object> p = new LinkedHashMap<>(latest);
        p.put("stage", stage);
        latest = p;
    }

    public Map<String, Object> latest() {
        return latest;
    }

    /** Takes the epochs not yet written; {@link #requeue} puts them back when the write failed. */
    public List<Epoch> drainEpochs() {
        List<Epoch> out = new ArrayList<>();
        for (Epoch e; (e = pending.poll()) != null; ) out.add(e);
        return out;
    }

    public void requeue(List<Epoch> epochs) {
        pending.addAll(epochs);
    }

    public void markCancelRequested() {
        cancelRequested = true;
    }

    public boolean cancelRequested() {
        return cancelRequested;
    }

    /** The job was taken over by another worker (our heartbeat found it no longer ours). */
    public void markLost() {
        lost = true;
    }

    public boolean lost() {
        return lost;
    }

    public void markOwned() {
        ownedAtNanos = System.nanoTime();
    }

    /** How long since a heartbeat last confirmed the lease. */
    public java.time.Duration sinceOwned() {
        return java.time.Duration.ofNanos(System.nanoTime() - ownedAtNanos);
    }

    // jsonb has no NaN or Infinity
    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Double> finiteValues(Map<String, Double> m) {
        Map<String, Double> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) out.put(k, v);
        });
        return out;
    }
}
