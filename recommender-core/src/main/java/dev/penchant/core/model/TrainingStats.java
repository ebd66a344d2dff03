package dev.penchant.core.model;

import java.util.Map;

/**
 * What a training run measured: device, epochs, best epoch and validation metric, throughput.
 *
 * @param examplesPerSecond     training examples per wall-clock second (batches only, first step excluded)
 * @param examplesPerCpuSecond training examples per CPU-second of this process (all threads, TF's
 *                             included) while training: less sensitive to other load on the machine
 * @param secondsToBest        wall time from the start of training to the end of the best epoch's validation
 */
public record TrainingStats(String device, int epochs, int bestEpoch, double bestMetric,
                           Map<String, Double> bestMetrics, long examples, double examplesPerSecond,
                           double examplesPerCpuSecond, double secondsToBest, double seconds) {
    /** Without the CPU-time figure (kept for models that report their own stats). */
    public TrainingStats(String device, int epochs, int bestEpoch, double bestMetric, Map<String, Double> bestMetrics,
                         long examples, double examplesPerSecond, double secondsToBest, double seconds) {
        this(device, epochs, bestEpoch, bestMetric, bestMetrics, examples, examplesPerSecond, 0, secondsToBest, seconds);
    }

    @Override
    public String toString() {
        return String.format("device=%s epochs=%d best_epoch=%d best=%.4f examples/s=%.0f examples/cpu-s=%.0f to_best=%.1fs total=%.1fs",
                device, epochs, bestEpoch, bestMetric, examplesPerSecond, examplesPerCpuSecond, secondsToBest, seconds);
    }
}
