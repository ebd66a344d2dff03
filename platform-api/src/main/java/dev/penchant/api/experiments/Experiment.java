package dev.penchant.api.experiments;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An experiment as the API shows it (tables experiments and experiment_variants). The salt and the
 * row id stay inside: the salt decides assignment and is the inference nodes' business.
 *
 * @param attributionWindow ISO-8601, e.g. PT24H
 * @param winner            the promoted variant's name once concluded
 * @param startedAt         the latest start or restart; results count exposures from here on
 */
public record Experiment(@JsonIgnore long id, String key, String hypothesis, String surface, String status,
                         List<Variant> variants, Map<String, Object> audience, String primaryMetric,
                         List<String> guardrails, String attributionWindow, String winner, String createdBy,
                         Instant createdAt, Instant updatedAt, Instant startedAt, Instant stoppedAt,
                         @JsonIgnore String salt) {

    public static final List<String> STATUSES = List.of("draft", "running", "stopped", "concluded");

    /** One arm; the first is the control. */
    public record Variant(long id, String name, double weight, Long modelId, String baseline) {
    }

    public Duration window() {
        return Duration.parse(attributionWindow);
    }

    public Variant variant(String name) {
        return variants.stream().filter(v -> v.name().equals(name)).findFirst().orElse(null);
    }
}
