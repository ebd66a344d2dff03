package dev.penchant.experiments.stats;

import java.time.LocalDate;
import java.util.List;

/**
 * The variants' cumulative aggregates from the start of the experiment to the end of {@code day}.
 *
 * @param variants control first, the same variants in the same order every day
 */
public record DailyTotals(LocalDate day, List<VariantData> variants) {
}
