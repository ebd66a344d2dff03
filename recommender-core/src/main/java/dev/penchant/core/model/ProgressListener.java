package dev.penchant.core.model;

import java.util.Map;

/** Receives training progress; the worker writes it to the job row, the launcher draws a bar. */
public interface ProgressListener {
    /** Called during an epoch; fraction in [0,1]. */
    default void step(int epoch, double fraction, double loss) {
    }

    /** Called after each epoch with its mean loss and validation metrics. */
    default void epochEnd(int epoch, double loss, Map<String, Double> validationMetrics) {
    }

    /** Whether training should stop now (a cancelled job). */
    default boolean cancelled() {
        return false;
    }

    ProgressListener NONE = new ProgressListener() {
    };
}
