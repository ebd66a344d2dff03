package dev.penchant.core.baselines;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.split.Split;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselinesTest {
    // training sequences over 4 items: 0->1->2, 0->1, 3->1
    // counts: item0 2, item1 3, item2 1, item3 1; transitions 0->1 x2, 1->2 x1, 3->1 x1
    static final Split SPLIT = new Split("t", new int[][]{{0, 1, 2}, {0, 1}, {3, 1}},
            new int[3][0], new int[3][0], 4);

    static Recommender fitted(String name, Map<String, String> hp) {
        Recommender r = ModelCatalog.create(name, new Hyperparameters(hp));
        r.fit(new TrainingContext(null, SPLIT, new Hyperparameters(hp), 1, ProgressListener.NONE, s -> Map.of()));
        return r;
    }

    @Test
    void popularity() {
        Recommender r = fitted("popularity", Map.of());
        assertArrayEquals(new float[]{2, 3, 1, 1}, r.scoreAll(new int[]{0}, new int[][]{{}})[0]);
        assertArrayEquals(new float[]{1, 2}, r.scoreCandidates(new int[]{0}, new int[][]{{}}, new int[][]{{2, 0}})[0]);
    }

    @Test
    void transitionWithPopularityTieBreak() {
        Recommender r = fitted("transition", Map.of());
        // popularity dense ranks: counts {1,2,3} -> item0 1, item1 2, item2 0, item3 0; D = 3
        // after item 1: item2 gets 1 transition -> 3 + 0 = 3 > item1's rank 2 > item0 1 > item3 0
        float[] s = r.scoreAll(new int[]{0}, new int[][]{{3, 1}})[0];
        assertArrayEquals(new float[]{1, 2, 3, 0}, s);
        // last item with no outgoing transitions: plain popularity order, equal counts stay tied
        float[] p = r.scoreAll(new int[]{0}, new int[][]{{2}})[0];
        assertArrayEquals(new float[]{1, 2, 0, 0}, p);
        // empty history
        assertArrayEquals(p, r.scoreAll(new int[]{0}, new int[][]{{}})[0]);
    }

    @Test
    void itemKnnCosine() {
        Recommender r = fitted("itemknn", Map.of("neighbours", "10"));
        // users (distinct items): {0,1,2}, {0,1}, {1,3}; df: 0:2, 1:3, 2:1, 3:1
        // sim(0,1) = 2/sqrt(6), sim(0,2) = 1/sqrt(2), sim(1,2) = 1/sqrt(3), sim(1,3) = 1/sqrt(3), sim(0,3) = 0
        // history {0}: scores = [0, 2/sqrt6, 1/sqrt2, 0]
        float[] s = r.scoreAll(new int[]{0}, new int[][]{{0}})[0];
        assertEquals(0, s[0], 1e-6);
        assertEquals(2 / Math.sqrt(6), s[1], 1e-6);
        assertEquals(1 / Math.sqrt(2), s[2], 1e-6);
        assertEquals(0, s[3], 1e-6);
        // history {0, 3}: item1 gets 2/sqrt6 + 1/sqrt3
        assertEquals(2 / Math.sqrt(6) + 1 / Math.sqrt(3), r.scoreAll(new int[]{0}, new int[][]{{0, 3}})[0][1], 1e-6);
        // one neighbour per item: item 0 keeps only item 1 (0.816 > 0.707)
        Recommender one = fitted("itemknn", Map.of("neighbours", "1"));
        assertEquals(0, one.scoreAll(new int[]{0}, new int[][]{{0}})[0][2], 1e-6);
    }

    @Test
    void seqKnnForwardCoOccurrenceWithRecencyDecay() {
        // forward pairs within 5 steps, weight 1/distance: 0->1 1 + 1 = 2, 0->2 0.5, 1->2 1, 3->1 1
        // sim = C / sqrt(n(a) n(b)): (0,1) 2/sqrt6 = 0.816, (0,2) 0.5/sqrt2 = 0.354, (1,2) = (3,1) = 1/sqrt3
        // scores: unreached items their popularity rank (item0 1, item1 2, item2 0, item3 0; D = 3),
        // reached ones D + rank among the reached
        Recommender r = fitted("seqknn", Map.of());
        assertArrayEquals(new float[]{1, 4, 3, 0}, r.scoreAll(new int[]{0}, new int[][]{{0}})[0]);
        // history 1, 0 (0 last): item1 0.816, item2 0.354 + 0.7 * 0.577 = 0.758 -> item1 first
        assertArrayEquals(new float[]{1, 4, 3, 0}, r.scoreAll(new int[]{0}, new int[][]{{1, 0}})[0]);
        // without decay item2 gets 0.354 + 0.577 = 0.931 and overtakes item1
        Recommender flat = fitted("seqknn", Map.of("decay", "1"));
        assertArrayEquals(new float[]{1, 3, 4, 0}, flat.scoreAll(new int[]{0}, new int[][]{{1, 0}})[0]);
        // only the last item counts: as history {0}
        Recommender last = fitted("seqknn", Map.of("decay", "1", "window", "1"));
        assertArrayEquals(new float[]{1, 4, 3, 0}, last.scoreAll(new int[]{0}, new int[][]{{1, 0}})[0]);
        // window 1: item 2 is two steps after item 0, no longer a neighbour
        Recommender near = fitted("seqknn", Map.of("steps", "1"));
        assertArrayEquals(new float[]{1, 3, 0, 0}, near.scoreAll(new int[]{0}, new int[][]{{0}})[0]);
        // no history (or an item nothing followed): popularity order, equal counts tied
        assertArrayEquals(new float[]{1, 2, 0, 0}, r.scoreAll(new int[]{0}, new int[][]{{}})[0]);
        assertArrayEquals(new float[]{1, 2, 0, 0}, r.scoreAll(new int[]{0}, new int[][]{{2}})[0]);
        // symmetric: what preceded counts too; item 2 (nothing follows it) now reaches 0 (0.354) and 1 (0.577)
        Recommender both = fitted("seqknn", Map.of("symmetric", "true"));
        assertArrayEquals(new float[]{3, 4, 0, 0}, both.scoreAll(new int[]{0}, new int[][]{{2}})[0]);
        assertThrows(IllegalArgumentException.class, () -> fitted("seqknn", Map.of("decay", "0")));
    }

    @Test
    void catalogKnowsBaselinesAndRejectsUnknownNames() {
        assertTrue(ModelCatalog.known().containsAll(ModelCatalog.BASELINES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelCatalog.create("nope", Hyperparameters.empty()));
        assertTrue(e.getMessage().contains("unknown model 'nope'"));
    }
}
