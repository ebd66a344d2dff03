package dev.penchant.tf;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Small loss and tensor helpers built only from ops that have gradients in TF Java 1.1.0. */
public final class Ops2 {
    private Ops2() {
    }

    /** Row-wise log-sum-exp over axis 1, stable (the max is a constant for the gradient). */
    public static Operand<TFloat32> logSumExp(Ops tf, Operand<TFloat32> x) {
        Operand<TFloat32> m = tf.stopGradient(tf.max(x, tf.constant(1), org.tensorflow.op.core.Max.keepDims(true)));
        Operand<TFloat32> s = tf.sum(tf.math.exp(tf.math.sub(x, m)), tf.constant(1), org.tensorflow.op.core.Sum.keepDims(true));
        return tf.reshape(tf.math.add(tf.math.log(s), m), tf.constant(new int[]{-1}));
    }

    /** Stable sigmoid cross-entropy: label*softplus(-x) + (1-label)*softplus(x). */
    public static Operand<TFloat32> sigmoidCrossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> labels) {
        Operand<TFloat32> pos = tf.math.softplus(tf.math.neg(logits));
        Operand<TFloat32> neg = tf.math.softplus(logits);
        return tf.math.add(tf.math.mul(labels, pos), tf.math.mul(tf.math.sub(tf.constant(1f), labels), neg));
    }

    /** Sum over the last axis of a*b. */
    public static Operand<TFloat32> rowDot(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
        return tf.sum(tf.math.mul(a, b), tf.constant(-1));
    }

    public static Operand<TFloat32> mean(Ops tf, Operand<TFloat32> x) {
        return tf.math.mean(tf.reshape(x, tf.constant(new int[]{-1})), tf.constant(0));
    }
}
