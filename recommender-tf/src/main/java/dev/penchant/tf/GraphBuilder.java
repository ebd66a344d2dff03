package dev.penchant.tf;

import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Graph-mode building blocks shared by every TensorFlow model: seeded truncated-normal variables with
 * flat names (Adam rejects names with '/'), dense layers, embedding tables with sparse updates, and
 * frozen feature tables. The same builder code builds the training graph and the lean inference graph
 * (training = false), so variable names match and a checkpoint of one restores into the other.
 */
public final class GraphBuilder {
    private final Graph graph;
    private final Ops tf;
    private final long seed;
    private final boolean training;
    private final List<Variable<TFloat32>> denseVariables = new ArrayList<>();
    private final Map<String, Variable<TFloat32>> byName = new LinkedHashMap<>();
    private final Map<String, EmbeddingTable> tables = new LinkedHashMap<>();
    private final Map<String, Placeholder<TFloat32>> constantFeeds = new LinkedHashMap<>();
    private final Map<String, float[][]> constantValues = new LinkedHashMap<>();

    public GraphBuilder(Graph graph, long seed, boolean training) {
        this.graph = graph;
        this.tf = Ops.create(graph);
        this.seed = seed;
        this.training = training;
    }

    public Graph graph() {
        return graph;
    }

    public Ops tf() {
        return tf;
    }

    public boolean training() {
        return training;
    }

    /**
     * Truncated-normal initial values (stateless, seeded by the model seed and a hash of the name), so
     * the same seed gives the same weights whatever the construction order. The framework's "uniform"
     * variance-scaling initialisers are broken in 1.1.0 (all values positive): never use them.
     */
    public Operand<TFloat32> truncatedNormal(String name, long[] shape, float stddev) {
        Ops init = tf.withInitScope();
        Operand<TInt64> seeds = init.constant(new long[]{seed, name.hashCode()});
        Operand<TFloat32> unit = init.random.statelessTruncatedNormal(init.constant(shape), seeds);
        return init.math.mul(unit, init.constant(stddev));
    }

    /**
     * A trainable dense variable, optimised by dense Adam. Asking again for the same name returns the
     * same variable, so a layer can be applied twice (e.g. a tower for training and one for scoring).
     */
    public Variable<TFloat32> variable(String name, long[] shape, float stddev) {
        checkName(name);
        Variable<TFloat32> existing = byName.get(name);
        if (existing != null) return existing;
        Variable<TFloat32> v = tf.withInitScope().withName(name).variable(truncatedNormal(name + "_init", shape, stddev));
        denseVariables.add(v);
        byName.put(name, v);
        return v;
    }

    public Variable<TFloat32> zerosVariable(String name, long... shape) {
        checkName(name);
        Variable<TFloat32> existing = byName.get(name);
        if (existing != null) return existing;
        Ops init = tf.withInitScope();
        Variable<TFloat32> v = init.withName(name).variable(init.zeros(init.constant(shape), TFloat32.class));
        denseVariables.add(v);
        byName.put(name, v);
        return v;
    }

    /** Xavier/Glorot-normal style weight + zero bias; activation applied by the caller. */
    public Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out) {
        Variable<TFloat32> w = variable(name + "_w", new long[]{in, out}, (float) Math.sqrt(2.0 / (in + out)));
        Variable<TFloat32> b = zerosVariable(name + "_b", out);
        return tf.nn.biasAdd(tf.linalg.matMul(x, w), b);
    }

    /** Stack of ReLU layers; the last layer is linear when linearLast. Returns the output width in [1]. */
    public Operand<TFloat32> mlp(String name, Operand<TFloat32> x, int in, int[] widths, boolean linearLast) {
        Operand<TFloat32> h = x;
        int width = in;
        for (int i = 0; i < widths.length; i++) {
            h = dense(name + "_" + i, h, width, widths[i]);
            if (!(linearLast && i == widths.length - 1)) h = tf.nn.relu(h);
            width = widths[i];
        }
        return h;
    }

    /** An embedding table trained with sparse (touched rows only) Adam. */
    public EmbeddingTable embedding(String name, int rows, int dim, float stddev) {
        checkName(name);
        Variable<TFloat32> v = tf.withInitScope().withName(name)
                .variable(truncatedNormal(name + "_init", new long[]{rows, dim}, stddev));
        EmbeddingTable t = new EmbeddingTable(this, name, v, rows, dim);
        tables.put(name, t);
        return t;
    }

    /**
     * A frozen float matrix (e.g. side features) held in a non-trainable variable filled once from a
     * feed, so large matrices never become graph constants. It is saved with checkpoints and exports.
     */
    public Variable<TFloat32> constantTable(String name, float[][] values, int width) {
        checkName(name);
        Placeholder<TFloat32> feed = tf.withName(name + "_feed").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(values.length, width)));
        Variable<TFloat32> v = tf.withName(name).variable(Shape.of(values.length, width), TFloat32.class);
        tf.withName(name + "_load").assign(v, feed);
        constantFeeds.put(name, feed);
        constantValues.put(name, values);
        return v;
    }

    public Placeholder<TInt32> intInput(String name, long... shape) {
        return tf.withName(name).placeholder(TInt32.class, Placeholder.shape(Shape.of(shape)));
    }

    public Placeholder<TFloat32> floatInput(String name, long... shape) {
        return tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
    }

    public List<Variable<TFloat32>> denseVariables() {
        return denseVariables;
    }

    public Map<String, EmbeddingTable> tables() {
        return tables;
    }

    Map<String, float[][]> constantValues() {
        return constantValues;
    }

    private void checkName(String name) {
        if (name.contains("/")) throw new IllegalArgumentException("flat variable names only (Adam): " + name);
    }
}
