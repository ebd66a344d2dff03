package dev.penchant.core.preprocess;

import dev.penchant.core.data.Dataset;

/** The pipeline's output: the data set and the report of how it was made. */
public record PreparedDataset(Dataset dataset, PreprocessingReport report) {
}
