package dev.penchant.core.split;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.preprocess.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Events with equal timestamps keep the file's order through every reader, the preprocessing and the
 * leave-one-out split: user 1 has item 5 at t=50, then items 30, 10, 20 in one second (deliberately
 * not in id order) and an exact duplicate of 10, interleaved with another user's lines. Validation and
 * test must be the file's last two distinct events of the burst, 10 and 20; ordering ties by item id
 * would make them 20 and 30.
 */
class TieOrderTest {
    @TempDir
    Path dir;

    /** The four events of user 1 and two of user 2 as (user, item, rating, time), in file order. */
    static final String[][] ROWS = {
            {"1", "5", "4", "50"}, {"2", "7", "3", "60"}, {"1", "30", "5", "100"}, {"1", "10", "3", "100"},
            {"2", "8", "3", "60"}, {"1", "10", "3", "100"}, {"1", "20", "1", "100"}, {"2", "9", "2", "70"}};

    private static String lines(String sep, boolean withTime) {
        StringBuilder sb = new StringBuilder();
        for (String[] r : ROWS) {
            sb.append(r[0]).append(sep).append(r[1]);
            if (withTime) sb.append(sep).append(r[2]).append(sep).append(r[3]);
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void assertFileOrderSplit(Path path, String format, Map<String, String> options) {
        Dataset ds = Preprocessor.build(DataFormats.open(path, format, options)).dataset();
        Split s = Splitter.leaveOneOut(ds.interactions(), ds.numItems());
        int u = ds.users().indexOf("1");
        assertEquals(List.of("5", "30"), ids(ds, s.train()[u]), format + " train");
        assertEquals(List.of("10"), ids(ds, s.validation()[u]), format + " validation");
        assertEquals(List.of("20"), ids(ds, s.test()[u]), format + " test");
        int v = ds.users().indexOf("2");
        assertEquals(List.of("7"), ids(ds, s.train()[v]), format + " user 2 train");
        assertEquals(List.of("8"), ids(ds, s.validation()[v]), format + " user 2 validation");
        assertEquals(List.of("9"), ids(ds, s.test()[v]), format + " user 2 test");
    }

    private static List<String> ids(Dataset ds, int[] items) {
        return Arrays.stream(items).mapToObj(i -> ds.items().idOf(i)).toList();
    }

    @Test
    void atomicFiles() throws IOException {
        Path d = Files.createDirectory(dir.resolve("ties"));
        Files.writeString(d.resolve("ties.inter"),
                "user_id:token\titem_id:token\trating:float\ttimestamp:float\n" + lines("\t", true));
        assertFileOrderSplit(d, "movielens-atomic", Map.of());
    }

    @Test
    void udata() throws IOException {
        Files.writeString(dir.resolve("u.data"), lines("\t", true));
        assertFileOrderSplit(dir, "movielens-udata", Map.of());
    }

    @Test
    void csvWithTimestamps() throws IOException {
        Path f = dir.resolve("ties.csv");
        Files.writeString(f, "user_id,item_id,rating,ts\n" + lines(",", true));
        assertFileOrderSplit(f, "csv", Map.of("value", "rating", "timestamp", "ts"));
    }

    @Test
    void userItemWithoutTimes() throws IOException {
        // no time column: the file order is the time order; user 1's duplicate is a repeat here, not
        // an exact duplicate (its synthetic time differs), so user 1 keeps five events
        Path f = dir.resolve("ties.txt");
        Files.writeString(f, lines(" ", false));
        Dataset ds = Preprocessor.build(DataFormats.open(f, "user-item", Map.of())).dataset();
        Split s = Splitter.leaveOneOut(ds.interactions(), ds.numItems());
        int u = ds.users().indexOf("1");
        assertEquals(List.of("5", "30", "10"), ids(ds, s.train()[u]));
        assertEquals(List.of("10"), ids(ds, s.validation()[u]));
        assertEquals(List.of("20"), ids(ds, s.test()[u]));
    }
}
