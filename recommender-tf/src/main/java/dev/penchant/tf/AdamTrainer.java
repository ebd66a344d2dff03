package dev.penchant.tf;

import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Unique;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Builds one training op for a loss: gradients via Graph.addGradients over an explicit list (dense
 * variables + the gathered embedding rows), dense Adam through the framework's applyGradients, and a
 * lazy (sparse) Adam on embedding tables that reads and writes only the rows touched by the batch:
 * unique(indices) + unsortedSegmentSum(row gradients) -> scatter updates of m, v and the table.
 */
public final class AdamTrainer {
    private AdamTrainer() {
    }

    /** One train op over every variable the loss depends on. */
    public static Op build(GraphBuilder b, Operand<TFloat32> loss, float learningRate) {
        return build(b, loss, learningRate, null, "");
    }

    /**
     * One train op for a loss over the variables whose names start with variablePrefix (null: all that
     * the loss depends on), e.g. a GAN's discriminator step, which must not move the generator it
     * reads. name prefixes the optimiser's own variables and the op ("" for a model's only step).
     */
    public static Op build(GraphBuilder b, Operand<TFloat32> loss, float learningRate, String variablePrefix, String name) {
        Graph g = b.graph();
        Ops tf = b.tf();
        List<Output<?>> targets = new ArrayList<>();
        // only what the loss depends on: lookups made for scoring or point-wise serving are not
        Set<GraphOperation> reachable = g.subgraphTo(Set.of(loss));
        List<Variable<TFloat32>> dense = new ArrayList<>();
        for (Variable<TFloat32> v : b.denseVariables())
            if (reachable.contains((GraphOperation) v.op()) && updates(v.op().name(), variablePrefix)) dense.add(v);
        for (Variable<TFloat32> v : dense) targets.add(v.asOutput());
        List<EmbeddingTable.Lookup> lookups = new ArrayList<>();
        List<EmbeddingTable> lookupTable = new ArrayList<>();
        for (EmbeddingTable t : b.tables().values()) {
            if (!updates(t.name(), variablePrefix)) continue;
            for (EmbeddingTable.Lookup l : t.lookups()) {
                if (!reachable.contains((GraphOperation) l.rows().op())) continue;
                lookups.add(l);
                lookupTable.add(t);
                targets.add(l.rows().asOutput());
            }
        }
        Output<?>[] grads = g.addGradients(loss.asOutput(), targets.toArray(new Output<?>[0]));
        // Updates write ref variables in place; a backward op that still reads a variable (dX = dY W^T)
        // could otherwise run after that variable's update, which depends on thread timing. Gating
        // every update on all gradients (and the loss) makes a step read only pre-step weights, so
        // single-threaded CPU runs are reproducible.
        List<Op> gateOps = new ArrayList<>();
        gateOps.add(tf.identity(loss));
        for (Output<?> gr : grads) if (gr != null) gateOps.add(identity(tf, gr));
        Ops gate = tf.withControlDependencies(gateOps);
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null) grads[i] = gated(gate, grads[i]);
        }

        List<Op> updates = new ArrayList<>();
        List<Optimizer.GradAndVar<? extends TType>> gv = new ArrayList<>();
        for (int i = 0; i < dense.size(); i++) {
            @SuppressWarnings("unchecked") Output<TFloat32> grad = (Output<TFloat32>) grads[i];
            if (grad == null) continue;
            gv.add(new Optimizer.GradAndVar<>(grad, dense.get(i).asOutput()));
        }
        if (!gv.isEmpty()) updates.add(new Adam(g, name + "adam", learningRate).applyGradients(gv, name + "adam_dense"));

        // step counter for the sparse Adam's bias correction
        Ops init = tf.withInitScope();
        Variable<TFloat32> step = init.withName(name + "sparse_adam_step").variable(init.constant(0f));
        Operand<TFloat32> t = tf.assignAdd(step, tf.constant(1f));
        float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
        Operand<TFloat32> lrT = tf.math.div(
                tf.math.mul(tf.constant(learningRate), tf.math.sqrt(tf.math.sub(tf.constant(1f), tf.math.pow(tf.constant(beta2), t)))),
                tf.math.sub(tf.constant(1f), tf.math.pow(tf.constant(beta1), t)));
        for (EmbeddingTable table : b.tables().values()) {
            List<Operand<TInt32>> idx = new ArrayList<>();
            List<Operand<TFloat32>> rowGrads = new ArrayList<>();
            for (int i = 0; i < lookups.size(); i++) {
                if (lookupTable.get(i) != table) continue;
                @SuppressWarnings("unchecked") Output<TFloat32> grad = (Output<TFloat32>) grads[dense.size() + i];
                if (grad == null) continue;
                idx.add(lookups.get(i).flatIndices());
                rowGrads.add(grad);
            }
            if (idx.isEmpty()) continue;
            updates.add(sparseAdam(b, table, concat(tf, idx), concat(tf, rowGrads), lrT, beta1, beta2, eps, name));
        }
        return tf.withControlDependencies(updates).withName(name + "train_op").noOp();
    }

    private static boolean updates(String variable, String prefix) {
        return prefix == null || variable.startsWith(prefix);
    }

    @SuppressWarnings("unchecked")
    private static Op identity(Ops tf, Output<?> x) {
        return tf.identity((Operand<TType>) x);
    }

    @SuppressWarnings("unchecked")
    private static Output<?> gated(Ops gate, Output<?> grad) {
        return gate.identity((Operand<TType>) grad).asOutput();
    }

    private static <T extends TType> Operand<T> concat(Ops tf, List<Operand<T>> parts) {
        return parts.size() == 1 ? parts.get(0) : tf.concat(parts, tf.constant(0));
    }

    private static Op sparseAdam(GraphBuilder b, EmbeddingTable table, Operand<TInt32> indices, Operand<TFloat32> rowGrads,
                                 Operand<TFloat32> lrT, float beta1, float beta2, float eps, String name) {
        Ops tf = b.tf();
        Ops init = tf.withInitScope();
        long[] shape = {table.rows(), table.dim()};
        Variable<TFloat32> m = init.withName(name + table.name() + "_adam_m").variable(init.zeros(init.constant(shape), TFloat32.class));
        Variable<TFloat32> v = init.withName(name + table.name() + "_adam_v").variable(init.zeros(init.constant(shape), TFloat32.class));
        Unique<TInt32, TInt32> u = tf.unique(indices, tf.constant(new int[]{0}));
        Operand<TInt32> rows = u.y();
        Operand<TFloat32> g = tf.math.unsortedSegmentSum(rowGrads, u.idx(), tf.size(rows));
        Operand<TFloat32> mRows = tf.math.add(tf.math.mul(tf.constant(beta1), tf.gather(m, rows, tf.constant(0))),
                tf.math.mul(tf.constant(1 - beta1), g));
        Operand<TFloat32> vRows = tf.math.add(tf.math.mul(tf.constant(beta2), tf.gather(v, rows, tf.constant(0))),
                tf.math.mul(tf.constant(1 - beta2), tf.math.square(g)));
        Op mSet = tf.scatterUpdate(m, rows, mRows);
        Op vSet = tf.scatterUpdate(v, rows, vRows);
        Operand<TFloat32> delta = tf.math.div(tf.math.mul(lrT, mRows), tf.math.add(tf.math.sqrt(vRows), tf.constant(eps)));
        Op apply = tf.withControlDependencies(List.of(mSet, vSet)).scatterSub(table.variable(), rows, delta);
        return apply;
    }
}
