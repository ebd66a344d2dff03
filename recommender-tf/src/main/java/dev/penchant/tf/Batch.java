package dev.penchant.tf;

import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.List;

/**
 * A mini-batch as ready-made tensors bound to placeholders; closes its tensors. It names the
 * optimiser step it feeds (0 for models with one step; a GAN's discriminator and generator batches
 * name theirs) and how many training examples it counts for throughput and progress.
 */
public final class Batch implements AutoCloseable {
    private final List<Operand<?>> inputs = new ArrayList<>();
    private final List<Tensor> tensors = new ArrayList<>();
    private final int size;
    private int step;
    private int examples;

    /** Builds the batch of examples from..from+n-1 of an epoch's (shuffled) order. */
    public interface ChunkBuilder {
        Batch build(int from, int n);
    }

    /** An epoch of total examples as consecutive batches of at most batchSize, built lazily. */
    public static java.util.Iterator<Batch> chunks(int total, int batchSize, ChunkBuilder builder) {
        return new java.util.Iterator<>() {
            int next = 0;

            @Override
            public boolean hasNext() {
                return next < total;
            }

            @Override
            public Batch next() {
                if (!hasNext()) throw new java.util.NoSuchElementException();
                int n = Math.min(batchSize, total - next);
                Batch b = builder.build(next, n);
                next += n;
                return b;
            }
        };
    }

    /** @param size examples in the batch: the weight of its loss in the epoch's mean */
    public Batch(int size) {
        this.size = size;
        this.examples = size;
    }

    public int size() {
        return size;
    }

    /** Index of the model's step (see TfRecommender.steps) this batch feeds. */
    public int step() {
        return step;
    }

    public Batch forStep(int index) {
        this.step = index;
        return this;
    }

    /** Training examples counted for throughput and progress (size unless set). */
    public int examples() {
        return examples;
    }

    /** Sets the examples counted: a second step over the same examples counts none. */
    public Batch countingExamples(int n) {
        this.examples = n;
        return this;
    }

    public Batch ints(Operand<TInt32> input, int[] values, long... shape) {
        return add(input, TInt32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
    }

    public Batch floats(Operand<TFloat32> input, float[] values, long... shape) {
        return add(input, TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false)));
    }

    public Batch add(Operand<?> input, Tensor t) {
        inputs.add(input);
        tensors.add(t);
        return this;
    }

    public Session.Runner feed(Session.Runner runner) {
        for (int i = 0; i < inputs.size(); i++) runner.feed(inputs.get(i), tensors.get(i));
        return runner;
    }

    @Override
    public void close() {
        for (Tensor t : tensors) t.close();
        tensors.clear();
    }
}
