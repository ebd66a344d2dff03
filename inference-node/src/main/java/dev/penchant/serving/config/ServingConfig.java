package dev.penchant.serving.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Everything the inference node reads under penchant.serving.*. */
@ConfigMapping(prefix = "penchant.serving")
public interface ServingConfig {
    Models models();

    History history();

    Recommend recommend();

    Trending trending();

    Catalog catalog();

    ColdItems coldItems();

    Batching batching();

    Exposures exposures();

    /** Exposure logging (table exposures), off the request path. */
    interface Exposures {
        /** Log one exposure per answer (recommendation id, experiment, variant, model, items shown). */
        @WithDefault("true")
        boolean enabled();

        /** Exposures waiting for the writer; when full, new ones are dropped (counted), never waited for. */
        @WithDefault("100000")
        int queueCapacity();

        /** Rows per multi-row insert. */
        @WithDefault("500")
        int batchSize();

        /** Longest a queued exposure waits for a fuller batch. */
        @WithDefault("PT1S")
        Duration flushInterval();

        /** How long shutdown waits to write what is queued. */
        @WithDefault("PT10S")
        Duration shutdownTimeout();
    }

    interface Models {
        /** Safety net beside LISTEN model_promoted: how often the registry is polled for promotions. */
        @WithDefault("PT30S")
        Duration pollInterval();

        /** LISTEN on channel model_promoted for immediate pick-up. */
        @WithDefault("true")
        boolean listen();

        /** Model name answering requests that name none; default: the most recently promoted one. */
        Optional<String> defaultName();

        /** Where artifacts are unpacked; default: the JVM's temporary directory. */
        Optional<String> workDir();
    }

    interface History {
        /**
         * Most events read per request, newest first, in one index-only query (at least the model's
         * window): the model's recorded preprocessing (event types, threshold, duplicates, bot rule)
         * applies to them. excludeSeen covers the whole history whatever this is: a user with more events
         * costs one more index-only query for the distinct items.
         */
        @WithDefault("2000")
        int maxEvents();

        /** A slower history read is abandoned and the model answers without it (fallback=true). */
        @WithDefault("PT2S")
        Duration timeout();
    }

    interface Recommend {
        @WithDefault("10")
        int defaultK();

        @WithDefault("100")
        int maxK();

        /** Most recent items accepted in POST /v1/recommendations. */
        @WithDefault("200")
        int maxRecentItems();
    }

    interface Trending {
        /** Popularity window, counted back from the newest event (so replayed history also has a trend). */
        @WithDefault("P7D")
        Duration window();

        /** How many trending items are kept. */
        @WithDefault("500")
        int size();

        @WithDefault("PT60S")
        Duration refreshInterval();
    }

    interface Catalog {
        /** How often items (availability, categories, text for content similarity) are re-read. */
        @WithDefault("PT60S")
        Duration refreshInterval();
    }

    interface ColdItems {
        /** At most this many of the k slots go to items the model has never seen (content-similar). */
        @WithDefault("2")
        int maxSlots();

        /** Minimum TF-IDF cosine to one of the user's recent items for such an item. */
        @WithDefault("0.2")
        double minSimilarity();

        /** How many of the user's most recent items are compared. */
        @WithDefault("5")
        int recentItems();
    }

    interface Batching {
        /** Micro-batch concurrent requests into one session run. */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("32")
        int maxSize();

        /** Extra wait for more requests once one is queued; 0 = batch only what is already waiting. */
        @WithDefault("0")
        int maxWaitMicros();

        /** Threads per loaded model that run batches (each one session run at a time). */
        @WithDefault("2")
        int threads();

        /**
         * Session runs in flight at once on this node, over every loaded model (an experiment loads
         * several): more would only split the batches and the cores between them.
         */
        @WithDefault("2")
        int nodeConcurrency();
    }
}
