package dev.penchant.serving.recommend;

import dev.penchant.serving.recommend.Dtos.ModelRef;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The serving figures in Prometheus form, recorded at the endpoints: answers per surface, model and
 * fallback reason (penchant_recommendations_served_total), the time to answer
 * (penchant_recommendation_latency_seconds, a histogram), and which model answers each surface now
 * (penchant_serving_model_info{surface,model,version} 1; model "none" while the fallback answers).
 */
@Singleton
public class ServingMetrics {
    public static final String USER = "user";
    public static final String SESSION = "session";
    public static final String SIMILAR = "similar";

    private final MeterRegistry registry;
    private final Map<String, Counter> served = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Gauge> info = new ConcurrentHashMap<>();
    private final Map<String, String> serving = new ConcurrentHashMap<>();

    public ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public long start() {
        return System.nanoTime();
    }

    public void recommended(String surface, long startNanos, Dtos.RecommendationResponse r) {
        record(surface, startNanos, r.model(), r.fallbackReason());
    }

    public void similar(long startNanos, Dtos.SimilarResponse r) {
        record(SIMILAR, startNanos, r.model(), r.model() == null ? r.method() : null); // "content": no model's embeddings
    }

    private void record(String surface, long startNanos, ModelRef model, String fallbackReason) {
        String name = model == null ? "none" : model.name();
        String reason = fallbackReason == null ? "none" : fallbackReason;
        served.computeIfAbsent(surface + '|' + name + '|' + reason, k -> Counter.builder("penchant.recommendations.served")
                .tag("surface", surface).tag("model", name).tag("fallback_reason", reason)
                .description("Answers by surface, answering model and fallback reason").register(registry)).increment();
        latency.computeIfAbsent(surface, s -> Timer.builder("penchant.recommendation.latency").tag("surface", s)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(5))
                .description("Time to answer, history read and scoring included").register(registry))
                .record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        // which model serves the surface: an answer from a model says so, and so does "no-model"; other
        // fallbacks (a cold-start user) say nothing about it
        if (model == null && !"no-model".equals(fallbackReason)) return;
        String version = model == null ? "" : Integer.toString(model.version());
        String now = name + '|' + version;
        if (!now.equals(serving.put(surface, now))) {
            Gauge before = info.remove(surface);
            if (before != null) registry.remove(before);
            info.put(surface, Gauge.builder("penchant.serving.model.info", () -> 1).tag("surface", surface)
                    .tag("model", name).tag("version", version).description("The model answering each surface (value 1)")
                    .register(registry));
        }
    }
}
