package dev.penchant.api.admin;

import dev.penchant.support.identity.ApiKeys;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * A fresh installation's way in: with no configured bootstrap key and no usable admin key, creates a
 * random admin key and logs it once. No well-known key ever works.
 */
@Singleton
public class AdminKeyBootstrap {
    private static final Logger LOG = Logger.getLogger(AdminKeyBootstrap.class);

    void onStart(@Observes @Priority(20) StartupEvent ev, ApiKeys keys) {
        keys.ensureAdminKey().await().atMost(Duration.ofSeconds(30)).ifPresent(k -> LOG.warnf(
                "No admin API key existed, so one was created: name %s, role admin. Its key is shown this once, "
                        + "store it now: %s", k.name(), k.key()));
    }
}
