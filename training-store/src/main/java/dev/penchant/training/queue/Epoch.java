package dev.penchant.training.queue;

import java.util.Map;

/** One finished epoch of a running job, a row of training_job_epochs. */
public record Epoch(int epoch, Double loss, Map<String, Double> metrics) {
}
