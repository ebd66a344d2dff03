package dev.penchant.support.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** penchant.auth.*: how this node checks API keys and console sessions. */
@ConfigMapping(prefix = "penchant.auth")
public interface AuthConfig {
    /**
     * Plaintext admin keys stored (hashed) at start, for automation that must know a key in advance.
     * In the prod profile each must be at least {@link ApiKeys#MIN_CONFIGURED_KEY_LENGTH} characters.
     */
    Optional<List<String>> bootstrapKeys();

    /**
     * How long a verified key or session is trusted without asking the database: the backstop that
     * bounds how late a revocation bites on a node that missed its NOTIFY. At most PT5S; the default
     * leaves a second's margin for the request in flight.
     */
    @WithDefault("PT4S")
    Duration cacheTtl();

    /** How long an unknown credential is remembered as unknown, so a client retrying a bad key does not load the DB. */
    @WithDefault("PT5S")
    Duration negativeCacheTtl();

    @WithDefault("10000")
    int cacheMaxEntries();

    /**
     * While the database is unreachable, a key or session this node verified within this long (and not
     * expired) is still accepted, so serving survives a database restart; others get 503 + Retry-After.
     * PT0S turns it off. Bounded because a revocation committed just before the outage, whose NOTIFY
     * this node missed, is the one thing it could let through.
     */
    @WithDefault("PT5M")
    Duration outageGrace();

    /** LISTEN for revocations (api_keys_changed, console_sessions_changed), so they bite at once. */
    @WithDefault("true")
    boolean listen();
}
