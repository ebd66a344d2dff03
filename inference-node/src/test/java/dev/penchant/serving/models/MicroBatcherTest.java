package dev.penchant.serving.models;

import dev.penchant.core.artifact.ServableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node-wide count of session runs holds over every model's batcher, and waiting for it fills batches. */
class MicroBatcherTest {

    /** A model whose runs take 5 ms and record how many run at once, over every instance. */
    static final class SlowModel implements ServableModel {
        static final AtomicInteger running = new AtomicInteger();
        static final AtomicInteger mostAtOnce = new AtomicInteger();
        final List<Integer> batchSizes = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public Scored score(int[] users, int[][] histories) {
            int now = running.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            batchSizes.add(users.length);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.decrementAndGet();
            }
            return new Scored(new float[users.length][3], null);
        }

        @Override
        public dev.penchant.core.data.Vocabulary users() {
            return null;
        }

        @Override
        public dev.penchant.core.data.Vocabulary items() {
            return null;
        }

        @Override
        public int numItems() {
            return 3;
        }

        @Override
        public int historyLength() {
            return 1;
        }

        @Override
        public dev.penchant.core.preprocess.HistoryRules historyRules() {
            return null;
        }

        @Override
        public boolean canPersonalise(int user, dev.penchant.core.preprocess.HistoryEncoder.Encoded history) {
            return true;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void twoModelsShareTheNodesRunSlotsAndTheirBatchesGrowWhileTheyWait() throws Exception {
        Semaphore slots = new Semaphore(1);
        SlowModel a = new SlowModel(), b = new SlowModel();
        try (MicroBatcher ba = new MicroBatcher(a, "a", 32, 0, 2, slots);
             MicroBatcher bb = new MicroBatcher(b, "b", 32, 0, 2, slots)) {
            List<CompletableFuture<LoadedModel.Scores>> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                all.add((i % 2 == 0 ? ba : bb).submit(i, new int[]{0}));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        assertEquals(1, SlowModel.mostAtOnce.get(), "one slot: never two session runs at once, whichever model");
        int runs = a.batchSizes.size() + b.batchSizes.size();
        assertEquals(200, a.batchSizes.stream().mapToInt(Integer::intValue).sum() + b.batchSizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(runs < 40, "requests queued while the other model ran were batched: " + runs + " runs for 200 requests");
        assertEquals(1, slots.availablePermits(), "every slot is handed back");
    }
}
