package dev.penchant.admin;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serving figures for the overview, scraped from the inference nodes' /q/metrics
 * (penchant.console.inference-metrics-urls): per node the model on each surface, answers per second
 * (the counter's increase since this console's previous scrape of that node), the fallback rate of
 * those answers and the p99 latency from the histogram's buckets.
 */
@Singleton
public class ServingMetrics {
    public record NodeFigures(String url, boolean up, String error, Double qps, Double fallbackRate, Double p99Millis,
                              long answered, Map<String, String> serving) {
    }

    private record Sample(long nanos, double total, double fallbacks) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final ConsoleUiConfig config;
    private final HttpClient http;
    private final Map<String, Sample> previous = new ConcurrentHashMap<>();

    public ServingMetrics(ConsoleUiConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().connectTimeout(config.metricsTimeout()).build();
    }

    public Uni<List<NodeFigures>> scrape() {
        List<String> urls = config.inferenceMetricsUrls().orElse(List.of());
        if (urls.isEmpty()) return Uni.createFrom().item(List.of());
        List<Uni<NodeFigures>> each = new ArrayList<>();
        for (String url : urls) {
            HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(config.metricsTimeout()).GET().build();
            each.add(Uni.createFrom().completionStage(() -> http.sendAsync(req, HttpResponse.BodyHandlers.ofString()))
                    .map(r -> r.statusCode() == 200 ? parse(url, r.body(), System.nanoTime())
                            : down(url, "answered " + r.statusCode()))
                    .onFailure().recoverWithItem(e -> down(url, e.getClass().getSimpleName())));
        }
        return Uni.join().all(each).andCollectFailures();
    }

    private static NodeFigures down(String url, String why) {
        return new NodeFigures(url, false, why, null, null, null, 0, Map.of());
    }

    NodeFigures parse(String url, String text, long now) {
        double total = 0, fallbacks = 0;
        TreeMap<Double, Double> buckets = new TreeMap<>();
        Map<String, String> serving = new TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') continue;
            Matcher m = LINE.matcher(line);
            if (!m.find()) continue;
            String name = m.group(1);
            Map<String, String> labels = labels(m.group(3));
            double v;
            try {
                v = Double.parseDouble(m.group(4));
            } catch (NumberFormatException e) {
                continue;
            }
            switch (name) {
                case "penchant_recommendations_served_total" -> {
                    total += v;
                    if (!"none".equals(labels.getOrDefault("fallback_reason", "none"))) fallbacks += v;
                }
                case "penchant_recommendation_latency_seconds_bucket" -> {
                    String le = labels.get("le");
                    double bound = "+Inf".equals(le) ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                    buckets.merge(bound, v, Double::sum);
                }
                case "penchant_serving_model_info" -> {
                    String model = labels.getOrDefault("model", "?");
                    String version = labels.getOrDefault("version", "");
                    serving.put(labels.getOrDefault("surface", "?"), version.isEmpty() ? model : model + " v" + version);
                }
                default -> {
                }
            }
        }
        Sample before = previous.put(url, new Sample(now, total, fallbacks));
        Double qps = null, fallbackRate = null;
        if (before != null && now > before.nanos && total >= before.total) {
            double seconds = (now - before.nanos) / 1e9;
            double answered = total - before.total;
            qps = answered / seconds;
            fallbackRate = answered > 0 ? (fallbacks - before.fallbacks) / answered : null;
        }
        if (fallbackRate == null && total > 0) fallbackRate = fallbacks / total; // since the node started
        return new NodeFigures(url, true, null, qps, fallbackRate, quantile(buckets, 0.99), (long) total, serving);
    }

    /** The quantile's upper bucket bound in milliseconds, as Prometheus' histogram_quantile interpolates it. */
    static Double quantile(TreeMap<Double, Double> cumulative, double q) {
        if (cumulative.isEmpty()) return null;
        double count = cumulative.lastEntry().getValue();
        if (count <= 0) return null;
        double rank = q * count, lowerBound = 0, lowerCount = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) return lowerBound * 1000;
                double inBucket = b.getValue() - lowerCount;
                double frac = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (b.getKey() - lowerBound) * frac) * 1000;
            }
            lowerBound = b.getKey();
            lowerCount = b.getValue();
        }
        return lowerBound * 1000;
    }

    private static Map<String, String> labels(String s) {
        Map<String, String> out = new TreeMap<>();
        if (s == null) return out;
        Matcher m = LABEL.matcher(s);
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }
}
