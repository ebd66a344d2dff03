package dev.penchant.experiments.stats;

import java.util.Arrays;
import java.util.Optional;

/** What a variant's aggregates describe, and so how its mean and per-unit variance are formed. */
public enum MetricType {
    /** Any per-user value (revenue, minutes): {@code sum} and {@code sumSquares} over users. */
    MEAN("mean"),
    /** Share of users who converted: {@code sum} is the number of users who did. */
    PROPORTION("proportion"),
    /**
     * Numerator over denominator with the user as the unit (clicks per exposure): numerator
     * {@code sum}/{@code sumSquares}, {@code denominatorSum}/{@code denominatorSumSquares} and the
     * per-user {@code sumProduct} of the two.
     */
    RATIO("ratio");

    private final String jsonName;

    MetricType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in JSON ({@code mean}, {@code proportion}, {@code ratio}). */
    public String jsonName() {
        return jsonName;
    }

    public static Optional<MetricType> fromJsonName(String name) {
        return Arrays.stream(values()).filter(m -> m.jsonName.equals(name)).findFirst();
    }
}
