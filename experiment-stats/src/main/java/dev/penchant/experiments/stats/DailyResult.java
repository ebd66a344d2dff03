package dev.penchant.experiments.stats;

import java.time.LocalDate;

/** The analysis as it stood at the end of {@code day}. */
public record DailyResult(LocalDate day, AnalysisResult result) {
}
