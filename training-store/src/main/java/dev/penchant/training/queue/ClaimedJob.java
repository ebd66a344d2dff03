package dev.penchant.training.queue;

import java.util.Map;

/**
 * A job as its claimer sees it. Every later write about it (heartbeat, completion, failure) is
 * conditioned on (id, workerId, status running), so a claimer whose job was taken over cannot touch it.
 *
 * @param attempts how many times it has been claimed, this claim included
 * @param name     the name its model is registered under (default: the model type)
 */
public record ClaimedJob(long id, String workerId, DatasetFilter dataset, String modelType,
                         Map<String, String> hyperparameters, long seed, int attempts, String name) {
}
