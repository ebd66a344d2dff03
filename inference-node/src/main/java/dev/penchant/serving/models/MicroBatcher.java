package dev.penchant.serving.models;

import dev.penchant.core.artifact.ServableModel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs concurrent scoring requests of one model as one session run: a batch thread takes the first
 * waiting request and whatever else is queued (up to maxSize, optionally waiting maxWait for more).
 * A session run costs ~100 us however small, so batching raises throughput without adding latency
 * when maxWait is 0. Requests submitted after close() fail; queued ones are still scored.
 *
 * The batch threads of every loaded model share one node-wide count of session runs in flight
 * (penchant.serving.batching.node-concurrency): with two models loaded for an experiment, per-model
 * threads alone would run twice as many sessions at once on the same cores, each with half the batch;
 * measured on 2 cores that cost 14% of throughput (bench/serve experiment mode) against one model.
 */
final class MicroBatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MicroBatcher.class);

    private record Request(int user, int[] history, CompletableFuture<LoadedModel.Scores> result) {
    }

    private static final Request POISON = new Request(-1, null, null);

    private final ServableModel model;
    private final int maxSize;
    private final long maxWaitNanos;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /** Session runs in flight on this node, over every loaded model (see the class comment). */
    private final Semaphore slots;

    MicroBatcher(ServableModel model, String name, int maxSize, int maxWaitMicros, int threadCount, Semaphore slots) {
        this.model = model;
        this.slots = slots;
        this.maxSize = Math.max(1, maxSize);
        this.maxWaitNanos = TimeUnit.MICROSECONDS.toNanos(Math.max(0, maxWaitMicros));
        for (int i = 0; i < Math.max(1, threadCount); i++) {
            Thread t = new Thread(this::loop, "scoring-" + name + "-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    CompletableFuture<LoadedModel.Scores> submit(int user, int[] history) {
        CompletableFuture<LoadedModel.Scores> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new IllegalStateException("model closed"));
        } else {
            queue.add(new Request(user, history, f));
        }
        return f;
    }

    private void loop() {
        List<Request> batch = new ArrayList<>(maxSize);
        while (true) {
            try {
                Request first = queue.take();
                if (first == POISON) return;
                batch.add(first);
                // a node-wide slot first, then the rest of the queue: while the other models' runs hold the
                // cores, this queue keeps filling, and the batch taken is as large as the wait made it
                slots.acquire();
                try {
                    queue.drainTo(batch, maxSize - 1);
                    if (maxWaitNanos > 0) {
                        long deadline = System.nanoTime() + maxWaitNanos;
                        while (batch.size() < maxSize) {
                            long left = deadline - System.nanoTime();
                            Request r = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                            if (r == null) break;
                            batch.add(r);
                            queue.drainTo(batch, maxSize - batch.size());
                        }
                    }
                    boolean poisoned = batch.remove(POISON);
                    run(batch);
                    batch.clear();
                    if (poisoned) return;
                } finally {
                    slots.release();
                }
            } catch (InterruptedException e) {
                for (Request r : batch) if (r != POISON) r.result().completeExceptionally(e);
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void run(List<Request> batch) {
        int n = batch.size();
        int[] users = new int[n];
        int[][] histories = new int[n][];
        for (int i = 0; i < n; i++) {
            users[i] = batch.get(i).user();
            histories[i] = batch.get(i).history();
        }
        try {
            ServableModel.Scored scored = model.score(users, histories);
            for (int i = 0; i < n; i++) batch.get(i).result().complete(LoadedModel.Scores.row(scored, i));
        } catch (RuntimeException e) {
            LOG.warn("scoring batch of " + n + " failed", e);
            for (Request r : batch) r.result().completeExceptionally(e);
        }
    }

    /** Stops the threads after what is queued; the caller closes the session only after this returns. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < threads.size(); i++) queue.add(POISON);
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
