package dev.penchant.core.data.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadersTest {
    @TempDir
    Path dir;

    private static <T> List<T> all(Stream<T> s) {
        try (s) {
            return s.toList();
        }
    }

    @Test
    void atomicFilesFromDirectoryOrFile() throws IOException {
        Path d = Files.createDirectory(dir.resolve("tiny"));
        Files.writeString(d.resolve("tiny.inter"), """
                user_id:token	item_id:token	rating:float	timestamp:float
                1	10	4	881250949
                2	20	2.5	881250950
                """);
        Files.writeString(d.resolve("tiny.item"), """
                item_id:token	movie_title:token_seq	release_year:token	class:token_seq
                10	Toy Story	1995	Animation Children's Comedy
                20	Heat		Action
                """);
        Files.writeString(d.resolve("tiny.user"), """
                user_id:token	age:token	gender:token	occupation:token	zip_code:token
                1	24	M	technician	85711
                """);
        for (Path p : List.of(d, d.resolve("tiny.inter"))) {
            DataSource s = DataFormats.open(p, "movielens-atomic", Map.of());
            assertEquals("tiny", s.name());
            List<RawEvent> ev = all(s.events());
            assertEquals(List.of(new RawEvent("1", "10", "rating", 4.0, Instant.ofEpochSecond(881250949)),
                    new RawEvent("2", "20", "rating", 2.5, Instant.ofEpochSecond(881250950))), ev);
            List<RawItem> items = all(s.items());
            assertEquals(List.of("Animation", "Children's", "Comedy"), items.get(0).categories());
            assertEquals("Toy Story", items.get(0).title());
            assertEquals("1995", items.get(0).attributes().get("release_year"));
            assertNull(items.get(1).attributes().get("release_year"));
            RawUser u = all(s.users()).get(0);
            assertEquals(Map.of("age", "24", "gender", "M", "occupation", "technician", "zip_code", "85711"), u.attributes());
        }
    }

    @Test
    void udataWithItemAndUserFiles() throws IOException {
        Files.writeString(dir.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n");
        String flags = "|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
        Files.write(dir.resolve("u.item"), ("242|Kolya (1996)|24-Jan-1997||http://x" + flags + "\n"
                + "302|L.A. Confidential (1997)|01-Jan-1997||" + "|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0" + "\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(dir.resolve("u.user"), "196|49|M|writer|55105\n");
        for (Path p : List.of(dir, dir.resolve("u.data"))) {
            DataSource s = DataFormats.open(p, "movielens-udata", Map.of());
            assertEquals(new RawEvent("196", "242", "rating", 3.0, Instant.ofEpochSecond(881250949)), all(s.events()).get(0));
            RawItem kolya = all(s.items()).get(0);
            assertEquals("Kolya", kolya.title());
            assertEquals(List.of("Animation", "Children's", "Comedy"), kolya.categories());
            assertEquals("1997", kolya.attributes().get("release_year"));
            assertEquals(List.of("unknown"), all(s.items()).get(1).categories());
            assertEquals("writer", all(s.users()).get(0).attributes().get("occupation"));
        }
    }

    @Test
    void userItemGivesIncreasingSyntheticTimes() throws IOException {
        Path f = dir.resolve("Beauty.txt");
        Files.writeString(f, "1 5\n1 3\n\n2  7\n");
        DataSource s = DataFormats.open(f, "user-item", Map.of());
        assertEquals("Beauty", s.name());
        List<RawEvent> ev = all(s.events());
        assertEquals(3, ev.size());
        assertEquals(new RawEvent("1", "5", "interaction", null, Instant.ofEpochSecond(1)), ev.get(0));
        assertEquals(new RawEvent("2", "7", "interaction", null, Instant.ofEpochSecond(4)), ev.get(2));
        assertTrue(ev.get(0).timestamp().isBefore(ev.get(1).timestamp()));
        // a directory with exactly one file works too
        assertEquals(3, all(DataFormats.open(dir, "user-item", Map.of()).events()).size());
    }

    @Test
    void csvWithMappedColumnsAndBothTimeForms() throws IOException {
        Path f = dir.resolve("events.csv");
        Files.writeString(f, """
                who,what,stars,when,kind
                u1,"item, with comma",4.5,2024-01-02T03:04:05Z,rating
                u2,i2,,1700000000,view
                u3,i3,1,2024-01-02,
                """);
        DataSource s = DataFormats.open(f, "csv",
                Map.of("user", "who", "item", "what", "value", "stars", "timestamp", "when", "type", "kind"));
        List<RawEvent> ev = all(s.events());
        assertEquals(new RawEvent("u1", "item, with comma", "rating", 4.5, Instant.parse("2024-01-02T03:04:05Z")), ev.get(0));
        assertEquals(new RawEvent("u2", "i2", "view", null, Instant.ofEpochSecond(1700000000)), ev.get(1));
        assertEquals(new RawEvent("u3", "i3", "rating", 1.0, Instant.parse("2024-01-02T00:00:00Z")), ev.get(2));
        assertThrows(IllegalArgumentException.class,
                () -> all(DataFormats.open(f, "csv", Map.of("user", "nope")).events()));
        // a directory holding one .csv works; without a timestamp column file order gives the time
        List<RawEvent> byDir = all(DataFormats.open(dir, "csv", Map.of("user", "who", "item", "what")).events());
        assertEquals(new RawEvent("u2", "i2", "interaction", null, Instant.ofEpochSecond(3)), byDir.get(1));
    }

    @Test
    void streamsAreLazy() throws IOException {
        // a malformed line far down is only hit if the stream reads that far
        Path f = dir.resolve("lazy.txt");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) sb.append("u").append(i).append(" i").append(i).append('\n');
        sb.append("broken\n");
        Files.writeString(f, sb.toString());
        DataSource s = DataFormats.open(f, "user-item", Map.of());
        try (Stream<RawEvent> ev = s.events()) {
            assertEquals(10, ev.limit(10).count());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> all(s.events()));
        assertTrue(e.getMessage().contains("lazy.txt:1001"), e.getMessage());
    }

    @Test
    void unknownFormatAndMissingPathFailClearly() {
        assertThrows(IllegalArgumentException.class, () -> DataFormats.open(dir, "parquet", Map.of()));
        assertThrows(IllegalArgumentException.class, () -> DataFormats.open(dir.resolve("none"), "csv", Map.of()));
    }
}
