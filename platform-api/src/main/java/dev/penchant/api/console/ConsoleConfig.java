package dev.penchant.api.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** penchant.console.*: the admin console's users, as platform-api keeps them. */
@ConfigMapping(prefix = "penchant.console")
public interface ConsoleConfig {
    /** The first admin's user name. */
    @WithDefault("admin")
    String adminUser();

    /**
     * The first admin's password (at least 12 characters). Sets the password at every start, so the
     * configuration stays the way back in. Required in the prod profile while no console admin exists.
     */
    Optional<String> adminPassword();

    /** How long a console session lasts. */
    @WithDefault("PT12H")
    Duration sessionTtl();

    /** Consecutive failed logins after which the user is locked. */
    @WithDefault("5")
    int maxFailedLogins();

    /** The first lock-out; each failure after a lock ends doubles it, up to an hour. */
    @WithDefault("PT1M")
    Duration lockout();
}
