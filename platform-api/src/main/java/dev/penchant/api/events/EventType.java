package dev.penchant.api.events;

import java.util.Set;

/**
 * The built-in event types and what their value means. Rules (documented in API.md):
 * rating needs a value in [1, 5]; purchase, add_to_cart and view take an optional value >= 0
 * (amount or quantity, seconds watched); every other type takes an optional finite value (a weight).
 */
public final class EventType {
    public static final Set<String> BUILT_IN = Set.of(
            "view", "click", "add_to_cart", "purchase", "rating", "like", "comment", "share", "skip");
    public static final double MIN_RATING = 1;
    public static final double MAX_RATING = 5;

    private EventType() {
    }

    /** Null when the value suits the type, else what is wrong. */
    static String checkValue(String type, Double value) {
        switch (type) {
            case "rating":
                if (value == null) {
                    return "required for type rating";
                }
                return value >= MIN_RATING && value <= MAX_RATING ? null : "rating must be between 1 and 5";
            case "purchase":
            case "add_to_cart":
            case "view":
                return value == null || value >= 0 ? null : "must be >= 0 for type " + type;
            default:
                return null;
        }
    }
}
