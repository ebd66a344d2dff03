package dev.penchant.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** penchant.console.* as the admin console reads it. */
@ConfigMapping(prefix = "penchant.console")
public interface ConsoleUiConfig {
    /** platform-api's base URL: the console does everything through its REST API. */
    @WithDefault("http://localhost:8080")
    String apiUrl();

    /** How long platform-api's answer to "who is this session" is reused (at most PT5S, so a logout elsewhere bites). */
    @WithDefault("PT3S")
    Duration identityCacheTtl();

    /**
     * Whether the session and CSRF cookies carry Secure (sent over https only). On by default; turn it
     * off only for a console served over plain http on localhost (`penchant up` does).
     */
    @WithDefault("true")
    boolean cookieSecure();

    /** The inference nodes' Prometheus endpoints (e.g. http://inference-0:8082/q/metrics) the overview reads serving figures from. */
    Optional<List<String>> inferenceMetricsUrls();

    /** How long one metrics scrape may take before the overview shows the node as unreachable. */
    @WithDefault("PT1S")
    Duration metricsTimeout();
}
