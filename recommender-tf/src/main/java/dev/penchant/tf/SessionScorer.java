package dev.penchant.tf;

import dev.penchant.core.model.PointwisePredictor;
import dev.penchant.core.model.Scorer;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Scores through a TensorFlow session by tensor names: the training session (for validation) and a
 * loaded SavedModel (for serving) share this code, so both score identically. Thread-safe.
 *
 * Inputs: history [batch, L] item indices, right-aligned and padded with numItems; user [batch]
 * (numUsers = unknown user); item [batch] for the point-wise heads.
 */
public final class SessionScorer implements Scorer, PointwisePredictor {
    /**
     * Tensor names. attention (nullable): weights over the history window, [batch, L] when they do not
     * depend on the candidate (self-attention) or [batch, C, L] for candidates fed to attentionItems
     * [batch, C] (target attention).
     */
    public record Names(String history, String user, String scores, String item, String like, String rating,
                        String attention, String attentionItems) {
        public Names(String history, String user, String scores, String item, String like, String rating) {
            this(history, user, scores, item, like, rating, null, null);
        }
    }

    /** Users per session run unless the model says otherwise. */
    public static final int DEFAULT_ROWS_PER_RUN = 256;
    private final Session session;
    private final Names names;
    private final int numItems;
    private final int numUsers;
    private final int historyLength;
    private final boolean variableWindow;
    private final int rowsPerRun;

    public SessionScorer(Session session, Names names, int numUsers, int numItems, int historyLength) {
        this(session, names, numUsers, numItems, historyLength, false);
    }

    /**
     * @param variableWindow the graph accepts history windows shorter than historyLength (SASRec): each
     *                       run then feeds only as many positions as its longest history needs
     */
    public SessionScorer(Session session, Names names, int numUsers, int numItems, int historyLength,
                         boolean variableWindow) {
        this(session, names, numUsers, numItems, historyLength, variableWindow, DEFAULT_ROWS_PER_RUN);
    }

    /** @param rowsPerRun most users in one session run (bounds the memory of one run) */
    public SessionScorer(Session session, Names names, int numUsers, int numItems, int historyLength,
                         boolean variableWindow, int rowsPerRun) {
        this.rowsPerRun = Math.max(1, rowsPerRun);
        this.session = session;
        this.names = names;
        this.numUsers = numUsers;
        this.numItems = numItems;
        this.historyLength = historyLength;
        this.variableWindow = variableWindow;
    }

    public int numItems() {
        return numItems;
    }

    public boolean hasPointwise() {
        return names.like() != null;
    }

    /**
     * Scores of one batch and, when asked for and the model's attention does not depend on the
     * candidate, the attention windows of the same run (null otherwise): explaining then costs no run.
     */
    public record Scored(float[][] scores, float[][] attention) {
    }

    @Override
    public float[][] scoreAll(int[] users, int[][] histories) {
        return score(users, histories, false).scores();
    }

    /** Scores plus the shared attention windows when {@link #sharedAttention()}, from one session run. */
    public Scored scoreWithAttention(int[] users, int[][] histories) {
        return score(users, histories, sharedAttention());
    }

    private Scored score(int[] users, int[][] histories, boolean withAttention) {
        if (!variableWindow || users.length < 2 || histories == null) return scoreChunks(users, histories, withAttention);
        // one run per window width: a short history is not padded to the longest one of the batch
        // (the attention cost grows with the square of the width)
        int[] widths = new int[users.length];
        Integer[] order = new Integer[users.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            widths[i] = rowWindow(histories[i]);
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> widths[i]));
        float[][] out = new float[users.length][];
        float[][] attention = withAttention ? new float[users.length][] : null;
        for (int start = 0; start < order.length; ) {
            int end = start;
            while (end < order.length && widths[order[end]] == widths[order[start]]) end++;
            int[] u = new int[end - start];
            int[][] h = new int[end - start][];
            for (int i = start; i < end; i++) {
                u[i - start] = users[order[i]];
                h[i - start] = histories[order[i]];
            }
            Scored part = scoreChunks(u, h, withAttention);
            for (int i = start; i < end; i++) {
                out[order[i]] = part.scores()[i - start];
                if (withAttention) attention[order[i]] = part.attention()[i - start];
            }
            start = end;
        }
        return new Scored(out, attention);
    }

    private Scored scoreChunks(int[] users, int[][] histories, boolean withAttention) {
        float[][] out = new float[users.length][];
        float[][] attention = withAttention ? new float[users.length][] : null;
        for (int start = 0; start < users.length; start += rowsPerRun) {
            int n = Math.min(rowsPerRun, users.length - start);
            try (Tensor h = historyTensor(histories, start, n); Tensor u = userTensor(users, start, n)) {
                Session.Runner runner = session.runner().feed(names.history(), h).feed(names.user(), u).fetch(names.scores());
                if (withAttention) runner.fetch(names.attention());
                try (Result r = runner.run()) {
                    float[] flat = new float[n * numItems];
                    ((TFloat32) r.get(0)).copyTo(DataBuffers.of(flat, false, false));
                    for (int i = 0; i < n; i++) out[start + i] = java.util.Arrays.copyOfRange(flat, i * numItems, (i + 1) * numItems);
                    if (withAttention) {
                        int width = (int) h.shape().get(1);
                        float[] w = new float[n * width];
                        ((TFloat32) r.get(1)).copyTo(DataBuffers.of(w, false, false));
                        for (int i = 0; i < n; i++) attention[start + i] = java.util.Arrays.copyOfRange(w, i * width, (i + 1) * width);
                    }
                }
            }
        }
        return new Scored(out, attention);
    }

    @Override
    public float[] predictLike(int[] users, int[][] histories, int[] items) {
        return pointwise(names.like(), users, histories, items);
    }

    @Override
    public float[] predictRating(int[] users, int[][] histories, int[] items) {
        return pointwise(names.rating(), users, histories, items);
    }

    private float[] pointwise(String output, int[] users, int[][] histories, int[] items) {
        if (output == null) throw new UnsupportedOperationException("this model has no point-wise heads");
        float[] out = new float[users.length];
        for (int start = 0; start < users.length; start += rowsPerRun) {
            int n = Math.min(rowsPerRun, users.length - start);
            int[] it = new int[n];
            for (int i = 0; i < n; i++) it[i] = clampItem(items[start + i]);
            try (Tensor h = historyTensor(histories, start, n); Tensor u = userTensor(users, start, n);
                 Tensor i = TInt32.tensorOf(Shape.of(n), DataBuffers.of(it, true, false));
                 Result r = session.runner().feed(names.history(), h).feed(names.user(), u).feed(names.item(), i)
                         .fetch(output).run()) {
                float[] part = new float[n];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(part, false, false));
                System.arraycopy(part, 0, out, start, n);
            }
        }
        return out;
    }

    public boolean hasAttention() {
        return names.attention() != null;
    }

    /** Whether the attention is the same for every candidate (self-attention), so scoring can return it. */
    public boolean sharedAttention() {
        return names.attention() != null && names.attentionItems() == null;
    }

    /** Attention weights over the history window [L] for one scored item, or null without attention. */
    public float[] attention(int user, int[] history, int item) {
        float[][] w = attention(user, history, new int[]{item});
        return w == null ? null : w[0];
    }

    /**
     * Attention weights over the history window, one row [L] per item, from one session run (target
     * attention feeds all the candidates at once); null without attention.
     */
    public float[][] attention(int user, int[] history, int[] items) {
        if (names.attention() == null) return null;
        if (items.length == 0) return new float[0][];
        boolean perItem = names.attentionItems() != null;
        try (Tensor h = historyTensor(new int[][]{history}, 0, 1); Tensor u = userTensor(new int[]{user}, 0, 1);
             Tensor c = perItem ? candidateTensor(items) : null) {
            Session.Runner runner = session.runner().feed(names.history(), h).feed(names.user(), u);
            if (perItem) runner.feed(names.attentionItems(), c);
            try (Result r = runner.fetch(names.attention()).run()) {
                int width = (int) h.shape().get(1);
                int rows = perItem ? items.length : 1;
                float[] flat = new float[rows * width];
                ((TFloat32) r.get(0)).copyTo(DataBuffers.of(flat, false, false));
                float[][] out = new float[items.length][];
                for (int i = 0; i < items.length; i++) {
                    int row = perItem ? i : 0; // self-attention: one window for every item
                    out[i] = java.util.Arrays.copyOfRange(flat, row * width, (row + 1) * width);
                }
                return out;
            }
        }
    }

    /** Candidates [1, C] for target attention. */
    private Tensor candidateTensor(int[] items) {
        int[] c = new int[items.length];
        for (int i = 0; i < c.length; i++) c[i] = clampItem(items[i]);
        return TInt32.tensorOf(Shape.of(1, c.length), DataBuffers.of(c, true, false));
    }

    private int clampItem(int item) {
        return item < 0 || item >= numItems ? numItems : item;
    }

    private Tensor historyTensor(int[][] histories, int start, int n) {
        int width = window(histories, start, n);
        int[] flat = new int[n * width];
        for (int i = 0; i < n; i++) {
            int[] h = histories == null ? null : histories[start + i];
            Sequences.fillHistory(h, h == null ? 0 : h.length, width, numItems, flat, i * width);
        }
        return TInt32.tensorOf(Shape.of(n, width), DataBuffers.of(flat, true, false));
    }

    /** historyLength, or for a variable-window graph the longest history of the rows rounded up to 16. */
    private int window(int[][] histories, int start, int n) {
        if (!variableWindow) return historyLength;
        int widest = rowWindow(null);
        for (int i = 0; i < n && histories != null; i++) widest = Math.max(widest, rowWindow(histories[start + i]));
        return widest;
    }

    /** The window one history needs: its length rounded up to 16, at most historyLength. */
    private int rowWindow(int[] history) {
        int length = history == null ? 1 : Math.max(1, history.length);
        // a few distinct shapes only: TensorFlow and oneDNN cache work per input shape
        return Math.min(historyLength, (length + 15) / 16 * 16);
    }

    private Tensor userTensor(int[] users, int start, int n) {
        int[] u = new int[n];
        for (int i = 0; i < n; i++) {
            int x = users[start + i];
            u[i] = x < 0 || x >= numUsers ? numUsers : x;
        }
        return TInt32.tensorOf(Shape.of(n), DataBuffers.of(u, true, false));
    }
}
