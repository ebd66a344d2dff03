package dev.penchant.support.problem;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.TreeSet;

/**
 * Query parameters read as text and checked here, so a bad value answers 400 naming the parameter
 * (JAX-RS would answer a failed int conversion with 404, and Jackson's text would leak).
 */
public final class QueryParams {
    private QueryParams() {
    }

    /** An integer in [min, max]; the default when absent or blank. */
    public static int integer(String name, String raw, int dflt, int min, int max) {
        if (raw == null || raw.isBlank()) return dflt;
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= min && v <= max) return (int) v;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ProblemException.badField(name, "must be an integer from " + min + " to " + max);
    }

    /** true or false; the default when absent. */
    public static boolean bool(String name, String raw, boolean dflt) {
        if (raw == null || raw.isBlank()) return dflt;
        if (raw.equalsIgnoreCase("true")) return true;
        if (raw.equalsIgnoreCase("false")) return false;
        throw ProblemException.badField(name, "must be true or false");
    }

    /** One of the allowed values, or null when absent. */
    public static String oneOf(String name, String raw, Collection<String> allowed) {
        if (raw == null || raw.isBlank()) return null;
        if (!allowed.contains(raw)) throw ProblemException.badField(name, "must be one of " + new TreeSet<>(allowed));
        return raw;
    }

    /** An ISO-8601 instant (with Z or an offset), or null when absent. */
    public static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) return null;
        try {
            return OffsetDateTime.parse(raw.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.badField(name, "must be an ISO-8601 timestamp with offset, e.g. 2026-01-01T00:00:00Z");
        }
    }

    /** Free text of at most maxLength characters, without U+0000; null when absent. */
    public static String text(String name, String raw, int maxLength) {
        if (raw == null || raw.isEmpty()) return null;
        if (raw.length() > maxLength) throw ProblemException.badField(name, "at most " + maxLength + " characters");
        if (raw.indexOf('\u0000') >= 0) throw ProblemException.badField(name, ProblemMappers.NUL_MESSAGE);
        return raw;
    }
}
