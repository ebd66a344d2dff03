package dev.penchant.api.privacy;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.time.Period;
import java.util.Optional;

/** penchant.privacy.*: deletion and export requests (README, configuration table). */
@ConfigMapping(prefix = "penchant.privacy")
public interface PrivacyConfig {
    /**
     * Key of every privacy hash (HMAC-SHA256 of user ids, keyed SHA-256 of event ids), random per
     * installation. Required in prod (start fails without it); changing it orphans the suppression list.
     */
    Optional<String> hashKey();

    /** The legal deadline after a request is received (GDPR: one month). */
    @WithDefault("P1M")
    Period deadline();

    /** What ingest does with events of a suppressed (deleted) user: reject the batch, or drop those events. */
    @WithDefault("drop")
    SuppressedEvents suppressedEvents();

    enum SuppressedEvents { reject, drop }

    /** Whether this node runs the workflow (claims requests). */
    @WithDefault("true")
    boolean workflowEnabled();

    /** How often an idle node looks for a request to claim. */
    @WithDefault("PT1S")
    Duration pollInterval();

    /** A claim's lease; renewed every third of it while the node works. An expired lease is claimed by any node. */
    @WithDefault("PT30S")
    Duration lease();

    /** Rows deleted per transaction (events, event keys): small enough that ingest is not starved. */
    @WithDefault("2000")
    int batchSize();

    /**
     * After each delete batch the workflow waits this multiple of the batch's own duration (1 = at most
     * half of one backend's time), so a deletion yields to ingest on a busy database; 0 = no pause.
     */
    @WithDefault("1")
    double throttle();

    /** Attempts of a step before the request fails (a request with a lost lease counts as an attempt). */
    @WithDefault("5")
    int maxAttempts();

    /** How long the caches step waits for every live inference node's acknowledgement. */
    @WithDefault("PT30S")
    Duration ackTimeout();

    /** An inference node that heartbeated within this window is live and must acknowledge. */
    @WithDefault("PT30S")
    Duration nodeLiveWindow();

    /**
     * Retraining policy for models trained on data that included a deleted user: their retrain job is
     * queued within this window (one job per model covers every deletion in the window; PT0S = at once).
     * Models with a per-user weight row are withdrawn and retrained at once regardless.
     */
    @WithDefault("P7D")
    Duration retrainWithin();

    /** How long an export document is kept for download. */
    @WithDefault("P30D")
    Duration exportRetention();

    /** Test only: the workflow stops (keeps its lease, does nothing) after committing this step. */
    Optional<String> pauseAfterStep();
}
