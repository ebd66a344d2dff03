package dev.penchant.tf;

import java.util.Iterator;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prepares mini-batches (sampling, padding, tensor creation) on a background thread into a bounded
 * queue, so the training thread only runs the session. One producer thread keeps the batch order,
 * and therefore a seeded run, deterministic. Close it to stop early; queued batches are closed.
 */
public final class BatchProducer implements Iterator<Batch>, AutoCloseable {
    private static final Batch END = new Batch(0);
    private final BlockingQueue<Batch> queue;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile RuntimeException failure;
    private Batch next;

    public BatchProducer(Iterator<Batch> source, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(() -> {
            try {
                while (!stopped && source.hasNext()) {
                    Batch b = source.next();
                    while (!queue.offer(b, 100, TimeUnit.MILLISECONDS)) {
                        if (stopped) {
                            b.close();
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                try {
                    while (!stopped && !queue.offer(END, 100, TimeUnit.MILLISECONDS)) {
                        // the consumer is still draining
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "penchant-batches");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (next == END) {
            if (failure != null) throw failure;
            return false;
        }
        return true;
    }

    @Override
    public Batch next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        Batch b = next;
        next = null;
        return b;
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (next != null && next != END) next.close();
        Batch b;
        while ((b = queue.poll()) != null) b.close();
    }
}
