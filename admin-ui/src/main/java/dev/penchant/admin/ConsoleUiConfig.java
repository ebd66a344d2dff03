package dev.penchant.admin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** penchant.console.* as the admin console reads it. */
@ConfigMapping(prefix = "penchant.console")
public interface ConsoleUiConfig {
    /** platform-api's base URL: the console does everything through its REST API. */
    @WithDefault("http://localhost:8080")
    String apiUrl();

    /** How long platform-api's answer to "who is this session" is reused (at most PT5S, so a logout elsewhere bites). */
    @WithDefault("PT3S")
    Duration identityCacheTtl();
}
