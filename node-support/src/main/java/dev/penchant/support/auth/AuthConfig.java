package dev.penchant.support.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "penchant.auth")
public interface AuthConfig {
    /** Off only for local experiments: every request is then let through. */
    @WithDefault("true")
    boolean enabled();

    /** Plaintext keys stored (hashed) at start, so a fresh installation has a way in. */
    Optional<List<String>> bootstrapKeys();

    /** How long a verified key is trusted without asking the database; bounds how late a revocation bites. */
    @WithDefault("PT30S")
    Duration cacheTtl();

    /** How long an unknown key is remembered as unknown, so a client retrying a bad key does not load the DB. */
    @WithDefault("PT5S")
    Duration negativeCacheTtl();

    @WithDefault("10000")
    int cacheMaxEntries();
}
