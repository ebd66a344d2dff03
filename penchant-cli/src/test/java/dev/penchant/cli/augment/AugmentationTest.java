package dev.penchant.cli.augment;

import dev.penchant.core.baselines.PopularityRecommender;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Scorer;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.TestData;
import dev.penchant.core.split.Split;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationTest {
    private final Dataset data = TestData.chains(200, 5, 20, 40, 3);
    private final Split split = TestData.leaveOneOut(data);

    @Test
    void truncationIsSeededKeepsRecentEventsAndHeldOutItems() {
        Split a = HistoryTruncation.truncate(split, 0.5, 20, 11);
        Split b = HistoryTruncation.truncate(split, 0.5, 20, 11);
        Split c = HistoryTruncation.truncate(split, 0.5, 20, 12);
        int truncated = 0;
        for (int u = 0; u < split.numUsers(); u++) {
            assertArrayEquals(a.train()[u], b.train()[u]);
            int[] orig = split.train()[u], t = a.train()[u];
            assertTrue(t.length >= 1 && (t.length <= 20 || t.length == orig.length));
            // a suffix of the original history
            assertArrayEquals(Arrays.copyOfRange(orig, orig.length - t.length, orig.length), t);
            if (t.length < orig.length) truncated++;
            assertSame(split.validation()[u], a.validation()[u]);
            assertSame(split.test()[u], a.test()[u]);
        }
        assertTrue(truncated > 70 && truncated < 130, "about half: " + truncated);
        assertNotEquals(Arrays.deepToString(a.train()), Arrays.deepToString(c.train()));
    }

    @Test
    void augmenterPrependsTopUnseenItemsForSparseUsersOnly() {
        Split s = HistoryTruncation.truncate(split, 0.5, 20, 1);
        // score = item index: the best unseen items are the highest indices
        Scorer byIndex = (users, histories) -> {
            float[][] out = new float[users.length][s.numItems()];
            for (float[] row : out) for (int j = 0; j < row.length; j++) row[j] = j;
            return out;
        };
        SparseUserAugmenter.Result r = SparseUserAugmenter.augment(byIndex, s, 10, 3);
        int augmented = 0;
        for (int u = 0; u < s.numUsers(); u++) {
            int[] before = s.train()[u], after = r.split().train()[u];
            assertSame(s.validation()[u], r.split().validation()[u]);
            assertSame(s.test()[u], r.split().test()[u]);
            if (before.length > 10) {
                assertArrayEquals(before, after);
                continue;
            }
            augmented++;
            assertEquals(before.length + 3, after.length);
            assertArrayEquals(before, Arrays.copyOfRange(after, 3, after.length), "real events last, in order");
            int[] expected = new int[3];
            int k = 0;
            for (int j = s.numItems() - 1; k < 3; j--) {
                final int item = j;
                if (Arrays.stream(before).noneMatch(x -> x == item)) expected[k++] = j;
            }
            assertArrayEquals(new int[]{expected[2], expected[1], expected[0]}, Arrays.copyOf(after, 3), "best item last");
        }
        assertEquals(augmented, r.usersAugmented());
        assertEquals(3L * augmented, r.interactionsAdded());
        assertTrue(augmented > 0);
    }

    @Test
    void bucketsPartitionTheWholeEvaluation() {
        Split s = HistoryTruncation.truncate(split, 0.6, 20, 5);
        PopularityRecommender pop = new PopularityRecommender();
        Evaluator.Options opts = Evaluator.Options.defaults();
        pop.fit(new TrainingContext(data, s, Hyperparameters.empty(), 1, ProgressListener.NONE, null));
        List<BucketedEvaluation.Row> rows = BucketedEvaluation.evaluate("pop", pop, s, opts, BucketedEvaluation.DEFAULT, "test");
        assertEquals("all", rows.get(0).bucket());
        int users = 0;
        double hits = 0, ndcg = 0;
        for (BucketedEvaluation.Row r : rows.subList(1, rows.size())) {
            if (r.users() == 0) continue;
            users += r.users();
            hits += r.sampled().metric("HR@10") * r.users();
            ndcg += r.full().metric("NDCG@10") * r.full().metric("users");
        }
        BucketedEvaluation.Row all = rows.get(0);
        assertEquals(all.users(), users);
        assertEquals(all.sampled().metric("HR@10"), hits / users, 1e-9);
        assertEquals(all.full().metric("NDCG@10"), ndcg / all.full().metric("users"), 1e-9);
        assertEquals(List.of("all", "1-5", "6-20", "21+"), rows.stream().map(BucketedEvaluation.Row::bucket).toList());
    }
}
