package dev.penchant.core.preprocess;

import dev.penchant.core.data.Dataset;

/**
 * The pipeline's output: the data set, the report of how it was made, and the per-user rules it
 * applied (recorded in every model artifact, so serving builds histories the same way).
 */
public record PreparedDataset(Dataset dataset, PreprocessingReport report, HistoryRules history) {
}
