package dev.penchant.api.common;

import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * Opaque keyset cursors: base64url of the last row's sort key. Opaque so clients cannot build
 * them, and the encoding can change without breaking anyone who only passes them back.
 */
public final class Cursor {
    private Cursor() {
    }

    public record Position(OffsetDateTime time, String id) {
    }

    /** A cursor on (time, id), for lists sorted by time. */
    public static String encode(OffsetDateTime time, String id) {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, time.toInstant());
        return b64("t" + micros + ":" + id);
    }

    /** A cursor on an id, for lists sorted by id. */
    public static String encode(String id) {
        return b64("k" + id);
    }

    public static Position decode(String cursor) {
        String s = unb64(cursor);
        int colon = s.indexOf(':');
        if (!s.startsWith("t") || colon < 0) {
            throw invalid();
        }
        try {
            long micros = Long.parseLong(s.substring(1, colon));
            Instant at = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
            return new Position(at.atOffset(ZoneOffset.UTC), s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    /** The position's id as an ingest sequence number (cursors of the event listing); a bad one is a bad cursor. */
    public static long sequence(Position at) {
        try {
            return Long.parseLong(at.id());
        } catch (NumberFormatException e) {
            throw invalid();
        }
    }

    public static String decodeId(String cursor) {
        String s = unb64(cursor);
        if (!s.startsWith("k")) {
            throw invalid();
        }
        return s.substring(1);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ProblemException invalid() {
        return ProblemException.badRequest("Invalid cursor; pass back the 'next' value of a previous page",
                List.of(Problem.FieldError.of("cursor", "not a cursor this API issued")));
    }
}
