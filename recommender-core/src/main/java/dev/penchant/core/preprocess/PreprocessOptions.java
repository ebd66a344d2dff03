package dev.penchant.core.preprocess;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Settings of the preprocessing pipeline. The defaults reproduce the SASRec protocol on explicit
 * data: every interaction is an implicit positive (no rating threshold), no bot filter.
 *
 * @param implicitThreshold     keep only events with value >= this (events without a value are kept);
 *                              null keeps every interaction
 * @param botMaxEventsPerHour   drop users whose events per hour over their active span (floored at one
 *                              hour) exceed this; null disables the filter
 * @param dropDuplicates        drop exact duplicate events (same user, item, type, value, timestamp)
 * @param dropUnknown           drop events of users/items missing from the user/item tables, when those
 *                              tables exist
 * @param features              build side features (user and item tables)
 * @param userNumeric           user attributes standardised as numbers (z-score, median fill)
 * @param userCategorical       user attributes one-hot encoded (mode fill)
 * @param itemNumeric           item attributes standardised as numbers (z-score, median fill)
 * @param tfidfMaxVocabulary    cap of the title/description vocabulary (most frequent terms kept)
 * @param tfidfMinDf            terms in fewer items than this are dropped
 */
public record PreprocessOptions(Double implicitThreshold, Double botMaxEventsPerHour, boolean dropDuplicates,
                                boolean dropUnknown, boolean features, List<String> userNumeric,
                                List<String> userCategorical, List<String> itemNumeric, int tfidfMaxVocabulary,
                                int tfidfMinDf) {

    public static PreprocessOptions defaults() {
        return new PreprocessOptions(null, null, true, true, true, List.of("age"),
                List.of("gender", "occupation"), List.of("release_year"), 1000, 2);
    }

    /**
     * Reads keys implicitThreshold, botMaxEventsPerHour, dropDuplicates, dropUnknown, features,
     * userNumeric, userCategorical, itemNumeric (comma lists), tfidfMaxVocabulary, tfidfMinDf; others
     * are rejected so that typos fail loudly.
     */
    public static PreprocessOptions fromMap(Map<String, String> m) {
        PreprocessOptions d = defaults();
        for (String k : m.keySet())
            if (!List.of("implicitThreshold", "botMaxEventsPerHour", "dropDuplicates", "dropUnknown", "features",
                    "userNumeric", "userCategorical", "itemNumeric", "tfidfMaxVocabulary", "tfidfMinDf").contains(k))
                throw new IllegalArgumentException("unknown preprocessing option '" + k + "'");
        return new PreprocessOptions(
                m.containsKey("implicitThreshold") ? Double.valueOf(m.get("implicitThreshold")) : d.implicitThreshold,
                m.containsKey("botMaxEventsPerHour") ? Double.valueOf(m.get("botMaxEventsPerHour")) : d.botMaxEventsPerHour,
                m.containsKey("dropDuplicates") ? Boolean.parseBoolean(m.get("dropDuplicates")) : d.dropDuplicates,
                m.containsKey("dropUnknown") ? Boolean.parseBoolean(m.get("dropUnknown")) : d.dropUnknown,
                m.containsKey("features") ? Boolean.parseBoolean(m.get("features")) : d.features,
                m.containsKey("userNumeric") ? list(m.get("userNumeric")) : d.userNumeric,
                m.containsKey("userCategorical") ? list(m.get("userCategorical")) : d.userCategorical,
                m.containsKey("itemNumeric") ? list(m.get("itemNumeric")) : d.itemNumeric,
                m.containsKey("tfidfMaxVocabulary") ? Integer.parseInt(m.get("tfidfMaxVocabulary")) : d.tfidfMaxVocabulary,
                m.containsKey("tfidfMinDf") ? Integer.parseInt(m.get("tfidfMinDf")) : d.tfidfMinDf);
    }

    private static List<String> list(String s) {
        return s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    public PreprocessOptions withImplicitThreshold(Double t) {
        return new PreprocessOptions(t, botMaxEventsPerHour, dropDuplicates, dropUnknown, features, userNumeric,
                userCategorical, itemNumeric, tfidfMaxVocabulary, tfidfMinDf);
    }

    public PreprocessOptions withBotMaxEventsPerHour(Double b) {
        return new PreprocessOptions(implicitThreshold, b, dropDuplicates, dropUnknown, features, userNumeric,
                userCategorical, itemNumeric, tfidfMaxVocabulary, tfidfMinDf);
    }
}
