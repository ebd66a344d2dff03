package dev.penchant.core.split;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Interactions;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.preprocess.ListSource;
import dev.penchant.core.preprocess.Preprocessor;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SplitterTest {
    private static Interactions seqs(int[][] items, long[][] ts) {
        float[][] v = new float[items.length][];
        for (int u = 0; u < items.length; u++) v[u] = new float[items[u].length];
        return new Interactions(items, v, ts);
    }

    @Test
    void leaveOneOut() {
        Interactions in = seqs(new int[][]{{0, 1, 2, 3}, {4, 5}, {6, 7, 8}},
                new long[][]{{1, 2, 3, 4}, {1, 2}, {1, 2, 3}});
        Split s = Splitter.leaveOneOut(in, 9);
        assertArrayEquals(new int[]{0, 1}, s.train()[0]);
        assertArrayEquals(new int[]{2}, s.validation()[0]);
        assertArrayEquals(new int[]{3}, s.test()[0]);
        // fewer than 3 interactions: everything in train, nothing held out
        assertArrayEquals(new int[]{4, 5}, s.train()[1]);
        assertEquals(0, s.validation()[1].length);
        assertEquals(0, s.test()[1].length);
        assertArrayEquals(new int[]{6}, s.train()[2]);
    }

    @Test
    void temporalCutsAtGlobalQuantiles() {
        // 10 timestamps 1..10; validation 0.2, test 0.2 -> cuts at sorted[6] = 7 and sorted[8] = 9
        Interactions in = seqs(new int[][]{{0, 1, 2, 3, 4}, {5, 6, 7, 8, 9}},
                new long[][]{{1, 3, 5, 7, 9}, {2, 4, 6, 8, 10}});
        Split s = Splitter.temporal(in, 10, 0.2, 0.2);
        assertArrayEquals(new int[]{0, 1, 2}, s.train()[0]);
        assertArrayEquals(new int[]{3}, s.validation()[0]);
        assertArrayEquals(new int[]{4}, s.test()[0]);
        assertArrayEquals(new int[]{5, 6, 7}, s.train()[1]);
        assertArrayEquals(new int[]{8}, s.validation()[1]);
        assertArrayEquals(new int[]{9}, s.test()[1]);
    }

    /**
     * A user's sequence depends only on that user's events in reading order: interleaving the users
     * differently gives the same split, ties (many here) included.
     */
    @Test
    void otherUsersInterleavingDoesNotChangeTheSplit() {
        List<List<RawEvent>> perUser = new ArrayList<>();
        Random r = new Random(3);
        for (int u = 0; u < 30; u++) {
            List<RawEvent> mine = new ArrayList<>();
            for (int k = 0; k < 8; k++)
                // coarse timestamps so there are many ties, kept in reading order
                mine.add(new RawEvent("u" + u, String.valueOf(r.nextInt(40)), "rating", 1.0 + r.nextInt(5),
                        Instant.ofEpochSecond(r.nextInt(4))));
            perUser.add(mine);
        }
        List<RawEvent> byUser = new ArrayList<>();
        perUser.forEach(byUser::addAll);
        // round-robin over users in a shuffled user order, each user's own events still in order
        List<List<RawEvent>> queues = new ArrayList<>();
        for (List<RawEvent> l : perUser) queues.add(new ArrayList<>(l));
        Collections.shuffle(queues, new Random(99));
        List<RawEvent> interleaved = new ArrayList<>();
        for (int k = 0; k < 8; k++) for (List<RawEvent> q : queues) interleaved.add(q.get(k));
        Dataset a = Preprocessor.build(new ListSource(byUser)).dataset();
        Dataset b = Preprocessor.build(new ListSource(interleaved)).dataset();
        assertEquals(a.users().ids(), b.users().ids());
        assertEquals(a.items().ids(), b.items().ids());
        for (String protocol : List.of("loo", "temporal")) {
            Split x = Splitter.split(protocol, a.interactions(), a.numItems(), 0.1, 0.1);
            Split y = Splitter.split(protocol, b.interactions(), b.numItems(), 0.1, 0.1);
            for (int u = 0; u < x.numUsers(); u++) {
                assertArrayEquals(x.train()[u], y.train()[u]);
                assertArrayEquals(x.validation()[u], y.validation()[u]);
                assertArrayEquals(x.test()[u], y.test()[u]);
            }
        }
    }
}
