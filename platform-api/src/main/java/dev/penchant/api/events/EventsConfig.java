package dev.penchant.api.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "penchant.events")
public interface EventsConfig {
    /** Most events one POST may carry. */
    @WithDefault("10000")
    int maxBatch();

    /** Event types beyond the built-in ones (view, click, add_to_cart, purchase, rating, like, comment, share, skip). */
    Optional<List<String>> extraTypes();

    /** How far in the future (by this server's clock) a timestamp may lie. */
    @WithDefault("PT5M")
    Duration maxClockSkew();

    /** Earliest timestamp accepted; each month holds a partition, so junk dates must not create hundreds. */
    @WithDefault("1970-01-01T00:00:00Z")
    Instant minTimestamp();
}
