package dev.penchant.api.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

/** The UTC fast path must agree with DateTimeFormatter.ISO_OFFSET_DATE_TIME and reject what it rejects. */
class TimestampsTest {
    @Test
    void fastPathAgreesWithTheJdk() {
        for (String s : new String[]{"1997-12-04T15:55:49Z", "2024-02-29T23:59:59.1Z", "2024-02-29T23:59:59.123456789Z",
                "2000-01-01T00:00:00.000Z", "2024-05-01T12:00:00+02:00", "2024-05-01T12:00:00.5-03:30", "2024-05-01t12:00:00Z"}) {
            assertEquals(OffsetDateTime.parse(s.replace('t', 'T'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(),
                    Timestamps.parse(s).toInstant(), s);
        }
    }

    @Test
    void invalidTimestampsAreRejected() {
        for (String s : new String[]{"2024-02-30T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01T24:00:00Z",
                "2024-01-01T00:00:00", "2024-01-01 00:00:00Z", "yesterday",
                "2024-01-01T00:00:00.1234567890Z", "2024-0a-01T00:00:00Z"}) {
            assertThrows(DateTimeParseException.class, () -> Timestamps.parse(s), s);
        }
    }
}
