package dev.penchant.core.preprocess;

import dev.penchant.core.settings.Param;
import dev.penchant.core.settings.ParamGroup;

import java.util.List;
import java.util.Map;

/**
 * Settings of the preprocessing pipeline ("data.*" settings of a run). The defaults reproduce the
 * SASRec protocol on explicit data: every interaction is an implicit positive (no rating threshold),
 * every event type, no bot filter.
 *
 * @param eventTypes            event types kept; empty keeps every type
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
public record PreprocessOptions(List<String> eventTypes, Double implicitThreshold, Double botMaxEventsPerHour,
                                boolean dropDuplicates, boolean dropUnknown, boolean features, List<String> userNumeric,
                                List<String> userCategorical, List<String> itemNumeric, int tfidfMaxVocabulary,
                                int tfidfMinDf) {

    /** The "data.*" declarations: what the job form shows and what validation checks. */
    public static final ParamGroup PARAMETERS = new ParamGroup("data.", "preprocessing", List.of(
            Param.texts("eventTypes", "", "event types kept (empty: every type)"),
            Param.anyNumber("implicitThreshold", 0, "keep only events with value >= this (events without a value are kept)")
                    .noDefault("none: every interaction is a positive"),
            Param.number("botMaxEventsPerHour", 0, 0, 1e12, "drop users with more events per hour (over their active span, at least one hour)")
                    .noDefault("none: no bot filter"),
            Param.flag("dropDuplicates", true, "drop exact duplicates (same user, item, type, value, second)"),
            Param.flag("dropUnknown", true, "drop events of users / items missing from the user / item tables, when the source has them"),
            Param.flag("features", true, "build side features from the user and item tables"),
            Param.texts("userNumeric", "age", "user attributes standardised as numbers"),
            Param.texts("userCategorical", "gender,occupation", "user attributes one-hot encoded"),
            Param.texts("itemNumeric", "release_year", "item attributes standardised as numbers"),
            Param.integer("tfidfMaxVocabulary", 1000, 0, 10_000_000, "most title / description terms kept"),
            Param.integer("tfidfMinDf", 2, 1, 1_000_000_000, "terms in fewer items than this are dropped")));

    public PreprocessOptions {
        eventTypes = eventTypes == null ? List.of() : List.copyOf(eventTypes);
    }

    public static PreprocessOptions defaults() {
        return fromMap(Map.of());
    }

    /**
     * From "data.*" settings (prefix removed); unknown keys and bad values fail naming the key (see
     * {@link #PARAMETERS}).
     */
    @SuppressWarnings("unchecked")
    public static PreprocessOptions fromMap(Map<String, String> m) {
        Map<String, Object> v = PARAMETERS.values(m);
        return new PreprocessOptions((List<String>) v.get("eventTypes"), (Double) v.get("implicitThreshold"),
                (Double) v.get("botMaxEventsPerHour"), (Boolean) v.get("dropDuplicates"), (Boolean) v.get("dropUnknown"),
                (Boolean) v.get("features"), (List<String>) v.get("userNumeric"), (List<String>) v.get("userCategorical"),
                (List<String>) v.get("itemNumeric"), (Integer) v.get("tfidfMaxVocabulary"), (Integer) v.get("tfidfMinDf"));
    }

    public PreprocessOptions withImplicitThreshold(Double t) {
        return new PreprocessOptions(eventTypes, t, botMaxEventsPerHour, dropDuplicates, dropUnknown, features, userNumeric,
                userCategorical, itemNumeric, tfidfMaxVocabulary, tfidfMinDf);
    }

    public PreprocessOptions withBotMaxEventsPerHour(Double b) {
        return new PreprocessOptions(eventTypes, implicitThreshold, b, dropDuplicates, dropUnknown, features, userNumeric,
                userCategorical, itemNumeric, tfidfMaxVocabulary, tfidfMinDf);
    }

    public PreprocessOptions withEventTypes(List<String> types) {
        return new PreprocessOptions(types, implicitThreshold, botMaxEventsPerHour, dropDuplicates, dropUnknown, features,
                userNumeric, userCategorical, itemNumeric, tfidfMaxVocabulary, tfidfMinDf);
    }
}
