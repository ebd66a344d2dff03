package dev.penchant.api.events;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * penchant_events_{accepted,duplicates,rejected}_total{type}: what ingest did with each event, by its
 * type. The type tag only takes the accepted types and "invalid", so its cardinality stays small.
 */
@Singleton
public class IngestMetrics {
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A stored batch: accepted per type (from the insert), the rest of what was received are duplicates. */
    void stored(Map<String, Integer> receivedByType, Map<String, Integer> acceptedByType) {
        receivedByType.forEach((type, received) -> {
            int accepted = acceptedByType.getOrDefault(type, 0);
            counter("penchant.events.accepted", type).increment(accepted);
            counter("penchant.events.duplicates", type).increment(received - accepted);
        });
    }

    /** A rejected batch (nothing stored): each event it held, by type ("invalid" when the type was bad). */
    void rejected(Map<String, Integer> byType) {
        byType.forEach((type, n) -> counter("penchant.events.rejected", type).increment(n));
    }

    /** Events of suppressed (deleted) users that ingest dropped. */
    void suppressed(int n) {
        counter("penchant.events.suppressed", "any").increment(n);
    }

    private Counter counter(String name, String type) {
        return counters.computeIfAbsent(name + '\u0000' + type,
                k -> Counter.builder(name).tag("type", type).description("Events by what ingest did with them").register(registry));
    }
}
