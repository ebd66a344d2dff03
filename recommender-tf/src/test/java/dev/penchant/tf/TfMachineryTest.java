package dev.penchant.tf;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared TF building blocks on their own: sparse embedding updates, initialisers, batch producer. */
class TfMachineryTest {

    @Test
    void sparseAdamChangesOnlyTouchedRows() {
        int rows = 1000, dim = 8;
        try (Graph g = new Graph()) {
            GraphBuilder b = new GraphBuilder(g, 7, true);
            Ops tf = b.tf();
            EmbeddingTable table = b.embedding("emb", rows, dim, 0.1f);
            Placeholder<TInt32> idx = b.intInput("idx", -1);
            Variable<TFloat32> w = b.variable("w", new long[]{dim, 1}, 0.1f);
            Operand<TFloat32> loss = Ops2.mean(tf, tf.math.square(tf.math.sub(tf.linalg.matMul(table.lookup(idx), w), tf.constant(1f))));
            Op train = AdamTrainer.build(b, loss, 0.01f);
            try (Session s = new Session(g)) {
                s.initialize();
                float[] before = read(s, table.variable(), rows * dim);
                float[] wBefore = read(s, w, dim);
                try (Batch batch = new Batch(3).ints(idx, new int[]{3, 5, 5, 998}, 4)) {
                    batch.feed(s.runner()).addTarget(train).run().close();
                }
                float[] after = read(s, table.variable(), rows * dim);
                Set<Integer> touched = Set.of(3, 5, 998);
                for (int r = 0; r < rows; r++) {
                    boolean changed = false;
                    for (int c = 0; c < dim; c++) changed |= before[r * dim + c] != after[r * dim + c];
                    assertEquals(touched.contains(r), changed, "row " + r);
                }
                assertFalse(java.util.Arrays.equals(wBefore, read(s, w, dim)), "dense variable updated too");
            }
        }
    }

    @Test
    void seededTruncatedNormalInitIsCentredAndRepeatable() {
        float[] a = initValues(11), b = initValues(11), c = initValues(12);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        double mean = 0;
        int negative = 0;
        for (float x : a) {
            mean += x;
            if (x < 0) negative++;
            assertTrue(Math.abs(x) <= 2 * 0.5f + 1e-6, "truncated at 2 stddev");
        }
        mean /= a.length;
        assertTrue(Math.abs(mean) < 0.02, "centred, not the broken [0, limit) uniform: " + mean);
        assertTrue(negative > a.length / 3);
    }

    @Test
    void batchProducerKeepsOrderAndClosesLeftovers() {
        List<Integer> sizes = new ArrayList<>();
        Iterator<Batch> source = new Iterator<>() {
            int n = 0;

            public boolean hasNext() {
                return n < 50;
            }

            public Batch next() {
                return new Batch(++n);
            }
        };
        try (BatchProducer p = new BatchProducer(source, 4)) {
            for (int i = 0; i < 10 && p.hasNext(); i++) {
                try (Batch b = p.next()) {
                    sizes.add(b.size());
                }
            }
        }
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), sizes);
    }

    private static float[] initValues(long seed) {
        try (Graph g = new Graph()) {
            GraphBuilder b = new GraphBuilder(g, seed, true);
            Variable<TFloat32> v = b.variable("v", new long[]{100, 50}, 0.5f);
            try (Session s = new Session(g)) {
                s.initialize();
                return read(s, v, 5000);
            }
        }
    }

    static float[] read(Session s, Operand<TFloat32> v, int n) {
        float[] out = new float[n];
        try (Result r = s.runner().fetch(v).run()) {
            ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
        }
        return out;
    }
}
