package dev.penchant.api.events;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ISO-8601 timestamps with an offset; the common UTC form "yyyy-MM-ddTHH:mm:ss[.fraction]Z" on a fast path. */
final class Timestamps {
    private Timestamps() {
    }

    static OffsetDateTime parse(String s) {
        OffsetDateTime fast = fastUtc(s);
        return fast != null ? fast : OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    // DateTimeFormatter costs microseconds per call, a visible share of ingest CPU at 10^5 events/s.
    private static OffsetDateTime fastUtc(String s) {
        int len = s.length();
        if (len < 20 || len > 30 || s.charAt(len - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || (s.charAt(10) != 'T' && s.charAt(10) != 't') || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        try {
            int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
            int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
            int nanos = 0;
            if (len > 20) {
                if (s.charAt(19) != '.' || len - 21 > 9 || len - 21 < 1) {
                    return null;
                }
                nanos = digits(s, 20, len - 1);
                for (int i = len - 21; i < 9; i++) {
                    nanos *= 10;
                }
            }
            return OffsetDateTime.of(year, month, day, hour, minute, second, nanos, ZoneOffset.UTC);
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw new DateTimeParseException("invalid timestamp", s, 0);
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                throw new NumberFormatException();
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }
}
