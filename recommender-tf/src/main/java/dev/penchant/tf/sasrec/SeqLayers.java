package dev.penchant.tf.sasrec;

import dev.penchant.tf.GraphBuilder;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** Layers for the sequence models (SASRec, DIN, BiLSTM), built only from ops with gradients in TF Java 1.1.0. */
public final class SeqLayers {
    private SeqLayers() {
    }

    /** Layer normalisation over the last axis (mean / squaredDifference / rsqrt), learned gain and bias. */
    public static Operand<TFloat32> layerNorm(GraphBuilder b, String name, Operand<TFloat32> x, int dim) {
        Ops tf = b.tf();
        Variable<TFloat32> gain = b.variable(name + "_gain", new long[]{dim}, 0f);
        Variable<TFloat32> bias = b.zerosVariable(name + "_bias", dim);
        Operand<TInt32> last = tf.constant(-1);
        Operand<TFloat32> mean = tf.math.mean(x, last, org.tensorflow.op.math.Mean.keepDims(true));
        Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(x, mean), last, org.tensorflow.op.math.Mean.keepDims(true));
        Operand<TFloat32> norm = tf.math.mul(tf.math.sub(x, mean), tf.math.rsqrt(tf.math.add(var, tf.constant(1e-8f))));
        // gain is stored as (gain - 1) so the seeded zero-stddev initialiser gives exactly 1
        return tf.math.add(tf.math.mul(norm, tf.math.add(gain, tf.constant(1f))), bias);
    }

    /**
     * Inverted dropout with a per-op seeded RandomUniform; rate may be a placeholder (0 when not fed, so
     * the same graph scores without dropout). rate == null: identity.
     */
    public static Operand<TFloat32> dropout(Ops tf, Operand<TFloat32> x, Operand<TFloat32> rate, long seed, int k) {
        if (rate == null) return x;
        Operand<TFloat32> u = tf.random.randomUniform(tf.shape(x), TFloat32.class,
                RandomUniform.seed(seed == 0 ? 1 : seed), RandomUniform.seed2((long) k + 1));
        Operand<TFloat32> keep = tf.dtypes.cast(tf.math.greaterEqual(u, rate), TFloat32.class);
        Operand<TFloat32> scale = tf.stopGradient(tf.math.div(keep, tf.math.sub(tf.constant(1f), rate)));
        return tf.math.mul(x, scale);
    }

    /** Dense layer on the last axis of a [B, T, in] tensor (B and T may be unknown until run time). */
    public static Operand<TFloat32> dense3(GraphBuilder b, String name, Operand<TFloat32> x, int in, int out) {
        Ops tf = b.tf();
        Operand<TFloat32> flat = tf.reshape(x, tf.constant(new int[]{-1, in}));
        return tf.reshape(b.dense(name, flat, in, out), leadingShape(tf, x, out));
    }

    /** The shape of x [B, T, ...] with its trailing axes replaced by the given sizes: [B, T, sizes...]. */
    public static Operand<TInt32> leadingShape(Ops tf, Operand<?> x, int... sizes) {
        Operand<TInt32> bt = tf.slice(tf.shape(x), tf.constant(new int[]{0}), tf.constant(new int[]{2}));
        return tf.concat(java.util.List.of(bt, tf.constant(sizes)), tf.constant(0));
    }

    /** The last position of a [B, T, d] tensor as [B, d], for a T known only at run time. */
    public static Operand<TFloat32> last(Ops tf, Operand<TFloat32> x, int dim) {
        Operand<TInt32> t = tf.gather(tf.shape(x), tf.constant(1), tf.constant(0));
        Operand<TInt32> begin = tf.stack(java.util.List.of(tf.constant(0), tf.math.sub(t, tf.constant(1)), tf.constant(0)));
        return tf.reshape(tf.slice(x, begin, tf.constant(new int[]{-1, 1, -1})), tf.constant(new int[]{-1, dim}));
    }

    /** [B, L] 1/0 mask of positions that hold an item (the padding index is pad). */
    public static Operand<TFloat32> mask(Ops tf, Operand<TInt32> seq, int pad) {
        return tf.dtypes.cast(tf.math.notEqual(seq, tf.constant(pad)), TFloat32.class);
    }

    /** x [B, L, d] times mask [B, L]. */
    public static Operand<TFloat32> applyMask(Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask) {
        return tf.math.mul(x, tf.expandDims(mask, tf.constant(-1)));
    }

    /** Column t of a [B, L, d] tensor as [B, d]. */
    public static Operand<TFloat32> position(Ops tf, Operand<TFloat32> x, int t, int dim) {
        return tf.reshape(tf.slice(x, tf.constant(new int[]{0, t, 0}), tf.constant(new int[]{-1, 1, -1})),
                tf.constant(new int[]{-1, dim}));
    }
}
