package dev.penchant.core.model;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.split.Split;

import java.util.Map;
import java.util.function.Function;

/**
 * Everything a model needs to train: the data, its split, hyperparameters, a seed, somewhere to
 * report progress, and the shared validation code (so early stopping uses the same metrics the
 * report shows).
 *
 * @param validator evaluates a scorer on split.validation() and returns metrics such as "NDCG@10"
 */
public record TrainingContext(Dataset dataset, Split split, Hyperparameters hyperparameters, long seed,
                              ProgressListener progress, Function<Scorer, Map<String, Double>> validator) {
}
