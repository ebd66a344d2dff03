package dev.penchant.core.data.io;

import java.time.Instant;

/**
 * One behaviour event as a data set or the database holds it, before vocabularies and cleaning.
 *
 * @param value     explicit value such as a rating; null when the event has none
 * @param timestamp when it happened; null when the source has no time (then order in file is time)
 * @param type      event type, e.g. "rating", "view", "click"
 */
public record RawEvent(String userId, String itemId, String type, Double value, Instant timestamp) {
}
