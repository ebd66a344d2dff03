package dev.penchant.tf.dnn;

import dev.penchant.core.data.Features;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.PointwisePredictor;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.tf.Batch;
import dev.penchant.tf.EmbeddingTable;
import dev.penchant.tf.Examples;
import dev.penchant.tf.GraphBuilder;
import dev.penchant.tf.Ops2;
import dev.penchant.tf.Sequences;
import dev.penchant.tf.TfRecommender;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * YouTube-DNN style user-interest model (Covington et al. 2016). User tower: masked mean of the last L
 * (history_length, 20) history item vectors, the latest item (mean of the last `recent`, 1), the user
 * embedding and the user's side features -> ReLU MLP (hidden "256") -> user vector (dim 64). Item vector: item embedding + projection of the item's side
 * features (genres, TF-IDF); score = dot product + item bias. Trained on every training position
 * (history = items before t, target = item t) with a sampled softmax against uniformly sampled
 * negatives shared by the batch (negatives 256; "loss=bce": binary cross-entropy instead). Point-wise
 * heads on the frozen user/item vectors plus per-user/per-item biases, built when the training data
 * carries values: "will like" (sigmoid CE on value >= like_threshold) and rating (MSE).
 *
 * Chosen on ML-100K validation (shared evaluator) among: softmax vs BCE, user embedding on/off,
 * history 50 vs 20, recent 3 vs 1; early stopping (patience 5 validations, at least ~50k examples
 * between validations) makes the defaults stop by themselves on small and large data alike.
 */
public final class DnnRecommender extends TfRecommender implements PointwisePredictor {
    private int dim;
    private int length;
    private int recent;
    private int negatives;
    private int batchSize;
    private int[] hidden;
    private boolean userEmbedding;
    private boolean useFeatures;
    private String loss;
    private float likeThreshold;
    private float meanValue;
    private boolean withHeads;
    private float l2;
    private Features userFeatures;
    private Features itemFeatures;

    // training placeholders
    private Placeholder<TInt32> targetIn;
    private Placeholder<TInt32> negativesIn;
    private Placeholder<TFloat32> valueIn;
    private Placeholder<TFloat32> valueMaskIn;
    private Placeholder<TInt32> historyIn;
    private Placeholder<TInt32> userIn;

    public DnnRecommender(Hyperparameters hp) {
        super(hp);
    }

    @Override
    public String name() {
        return "dnn";
    }

    @Override
    protected boolean usesUser() {
        return userEmbedding;
    }

    @Override
    protected int historyLength() {
        return length;
    }

    @Override
    protected void configure(TrainingContext ctx) {
        dim = hp.getInt("dim");
        length = hp.getInt("window");
        recent = Math.min(length, hp.getInt("recent"));
        negatives = hp.getInt("negatives");
        batchSize = hp.getInt("batch_size");
        hidden = hp.getInts("hidden");
        userEmbedding = hp.getBoolean("user_embedding");
        useFeatures = hp.getBoolean("features");
        loss = hp.getString("loss");
        likeThreshold = (float) hp.getDouble("like_threshold");
        l2 = (float) hp.getDouble("l2");
        int users = ctx.split().numUsers();
        int items = ctx.split().numItems();
        userFeatures = useFeatures ? padded(ctx.dataset().userFeatures(), users) : null;
        itemFeatures = useFeatures ? padded(ctx.dataset().itemFeatures(), items) : null;
        meanValue = meanValue(ctx);
        // heads need explicit values; on implicit-only data they would train on nothing
        withHeads = hp.getBoolean("pointwise_heads", !Float.isNaN(meanValue));
    }

    @Override
    protected Outputs build(GraphBuilder b, boolean training) {
        Ops tf = b.tf();
        int pad = numItems;
        historyIn = b.intInput("in_history", -1, length);
        userIn = b.intInput("in_user", -1);
        Placeholder<TInt32> itemIn = b.intInput("in_item", -1);
        float init = 1f / (float) Math.sqrt(dim);
        EmbeddingTable itemEmb = b.embedding("item_emb", numItems + 1, dim, init);
        EmbeddingTable itemBias = b.embedding("item_bias", numItems + 1, 1, 0.0001f);
        EmbeddingTable userEmb = userEmbedding ? b.embedding("user_emb", numUsers + 1, dim, init) : null;

        Variable<TFloat32> itemFeat = null;
        Variable<TFloat32> itemProj = null;
        if (itemFeatures != null && itemFeatures.width() > 0) {
            itemFeat = b.constantTable("item_features", itemFeatures.matrix(), itemFeatures.width());
            itemProj = b.variable("item_feat_proj", new long[]{itemFeatures.width(), dim},
                    (float) Math.sqrt(1.0 / itemFeatures.width()));
        }
        Variable<TFloat32> userFeat = null;
        if (userFeatures != null && userFeatures.width() > 0) {
            userFeat = b.constantTable("user_features", userFeatures.matrix(), userFeatures.width());
        }
        final Variable<TFloat32> fItemFeat = itemFeat;
        final Variable<TFloat32> fItemProj = itemProj;

        Operand<TFloat32> histProj = null, targetProj = null, negProj = null;
        if (training) {
            targetIn = b.intInput("in_target", -1);
            negativesIn = b.intInput("in_negatives", negatives);
            valueIn = b.floatInput("in_value", -1);
            valueMaskIn = b.floatInput("in_value_mask", -1);
            if (fItemFeat != null) {
                // project the side features once per distinct item of the whole step (history, targets,
                // negatives), then hand each part its rows
                Operand<TInt32> flatHist = tf.reshape(historyIn, tf.constant(new int[]{-1}));
                Operand<TInt32> union = tf.concat(List.of(flatHist, targetIn, negativesIn), tf.constant(0));
                org.tensorflow.op.core.Unique<TInt32, TInt32> u = tf.unique(union, tf.constant(new int[]{0}));
                Operand<TFloat32> distinct = tf.linalg.matMul(tf.gather(fItemFeat, u.y(), tf.constant(0)), fItemProj);
                Operand<TFloat32> rows = tf.gather(distinct, u.idx(), tf.constant(0));
                Operand<TInt32> sizes = tf.stack(List.of(tf.size(flatHist), tf.size(targetIn), tf.constant(negatives)));
                List<org.tensorflow.Output<TFloat32>> parts = tf.splitV(rows, sizes, tf.constant(0), 3L).output();
                histProj = parts.get(0);
                targetProj = parts.get(1);
                negProj = parts.get(2);
            }
        }

        // --- user tower (scoring path projects history features per call; training reuses the
        // step's shared projection: same variables, two applications)
        Operand<TFloat32> user = userTower(b, itemEmb, userEmb, userFeat, fItemFeat, fItemProj, null);
        Operand<TFloat32> userTrain = histProj == null ? user : userTower(b, itemEmb, userEmb, userFeat, fItemFeat, fItemProj, histProj);

        // --- scores over all items (inference path, also used for validation)
        Operand<TFloat32> allItems = itemEmb.firstRows(numItems);
        if (fItemFeat != null) {
            Operand<TFloat32> feats = tf.slice(fItemFeat, tf.constant(new int[]{0, 0}), tf.constant(new int[]{numItems, itemFeatures.width()}));
            allItems = tf.math.add(allItems, tf.linalg.matMul(feats, fItemProj));
        }
        Operand<TFloat32> allBias = tf.reshape(itemBias.firstRows(numItems), tf.constant(new int[]{1, numItems}));
        Operand<TFloat32> scores = tf.withName("scores").math.add(
                tf.linalg.matMul(user, allItems, org.tensorflow.op.linalg.MatMul.transposeB(true)), allBias);

        // --- point-wise heads on frozen towers (only when the training data carries values)
        Operand<TFloat32> like = null, rating = null;
        EmbeddingTable headUserBias = null, headItemBias = null;
        Operand<TInt32> headUser = tf.math.minimum(userIn, tf.constant(numUsers));
        if (withHeads) {
            Operand<TFloat32> pointItem = itemVectors(b, itemEmb, fItemFeat, fItemProj, itemIn);
            headUserBias = b.embedding("head_user_bias", numUsers + 1, 2, 0.0001f);
            headItemBias = b.embedding("head_item_bias", numItems + 1, 2, 0.0001f);
            Operand<TFloat32>[] heads = heads(b, tf.stopGradient(user), tf.stopGradient(pointItem),
                    tf.math.add(headUserBias.lookup(headUser), headItemBias.lookup(itemIn)));
            like = tf.withName("like").math.sigmoid(heads[0]);
            rating = tf.withName("rating").identity(heads[1]);
        }

        Operand<TFloat32> totalLoss = null;
        if (training) {
            Operand<TFloat32> pos = itemVectors(b, itemEmb, fItemFeat, fItemProj, targetIn, targetProj); // [B, d]
            Operand<TFloat32> posLogit = tf.math.add(Ops2.rowDot(tf, userTrain, pos),
                    tf.reshape(itemBias.lookup(targetIn), tf.constant(new int[]{-1})));
            Operand<TFloat32> neg = itemVectors(b, itemEmb, fItemFeat, fItemProj, negativesIn, negProj); // [N, d]
            Operand<TFloat32> negLogits = tf.math.add(
                    tf.linalg.matMul(userTrain, neg, org.tensorflow.op.linalg.MatMul.transposeB(true)),
                    tf.reshape(itemBias.lookup(negativesIn), tf.constant(new int[]{1, negatives}))); // [B, N]
            // a sampled negative equal to the target is not a negative
            Operand<TFloat32> hit = tf.dtypes.cast(tf.math.equal(tf.expandDims(targetIn, tf.constant(1)),
                    tf.expandDims(negativesIn, tf.constant(0))), TFloat32.class);
            Operand<TFloat32> retrieval;
            if (loss.equals("bce")) {
                // positives and negatives weighted equally: mean softplus(-pos) + mean softplus(neg)
                Operand<TFloat32> p = tf.math.softplus(tf.math.neg(posLogit));
                Operand<TFloat32> n = tf.math.mul(tf.math.softplus(negLogits), tf.math.sub(tf.constant(1f), hit));
                retrieval = tf.math.add(Ops2.mean(tf, p), Ops2.mean(tf, n));
            } else {
                Operand<TFloat32> masked = tf.math.sub(negLogits, tf.math.mul(hit, tf.constant(1e4f)));
                Operand<TFloat32> logits = tf.concat(List.of(tf.expandDims(posLogit, tf.constant(1)), masked), tf.constant(1));
                retrieval = Ops2.mean(tf, tf.math.sub(Ops2.logSumExp(tf, logits), posLogit));
            }
            totalLoss = retrieval;
            if (withHeads) {
                Operand<TFloat32> likeLabel = tf.dtypes.cast(tf.math.greaterEqual(valueIn, tf.constant(likeThreshold)), TFloat32.class);
                Operand<TFloat32>[] targetHeads = heads(b, tf.stopGradient(userTrain), tf.stopGradient(pos),
                        tf.math.add(headUserBias.lookup(headUser), headItemBias.lookup(targetIn)));
                Operand<TFloat32> denom = tf.math.maximum(tf.sum(valueMaskIn, tf.constant(0)), tf.constant(1f));
                Operand<TFloat32> likeLoss = tf.math.div(tf.sum(tf.math.mul(valueMaskIn,
                        Ops2.sigmoidCrossEntropy(tf, targetHeads[0], likeLabel)), tf.constant(0)), denom);
                Operand<TFloat32> rateLoss = tf.math.div(tf.sum(tf.math.mul(valueMaskIn,
                        tf.math.squaredDifference(targetHeads[1], valueIn)), tf.constant(0)), denom);
                totalLoss = tf.math.add(totalLoss, tf.math.add(likeLoss, rateLoss));
            }
            if (l2 > 0) {
                Operand<TFloat32> reg = tf.math.add(Ops2.mean(tf, tf.math.square(pos)), Ops2.mean(tf, tf.math.square(neg)));
                totalLoss = tf.math.add(totalLoss, tf.math.mul(tf.constant(l2), reg));
            }
            totalLoss = tf.withName("loss").identity(totalLoss);
        }
        Operand<TFloat32> itemVectors = tf.withName("item_vectors").identity(allItems);
        return new Outputs(historyIn, userIn, scores, withHeads ? itemIn : null, like, rating, totalLoss, itemVectors);
    }

    /**
     * Approximate multiply-add FLOPs of one training example (forward matmuls and pooling x 3 for the
     * backward pass; the per-batch feature projection and the optimiser are left out). Used by the
     * benchmark to relate examples/s to the raw MatMul ceiling.
     */
    public double trainingFlopsPerExample() {
        double f = 2.0 * 2 * length * dim; // two masked means over the history
        int in = 2 * dim + (userEmbedding ? dim : 0) + (userFeatures == null ? 0 : userFeatures.width());
        for (int h : hidden) {
            f += 2.0 * in * h;
            in = h;
        }
        f += 2.0 * in * dim;
        f += 2.0 * (negatives + 1) * dim; // logits against the target and the shared negatives
        f += 2.0 * (3 * dim * 64 + 64 * 2); // point-wise heads on the target
        return 3 * f;
    }

    private Operand<TFloat32> userTower(GraphBuilder b, EmbeddingTable itemEmb, EmbeddingTable userEmb,
                                        Variable<TFloat32> userFeat, Variable<TFloat32> fItemFeat,
                                        Variable<TFloat32> fItemProj, Operand<TFloat32> histProj) {
        Ops tf = b.tf();
        int pad = numItems;
        Operand<TFloat32> histEmb = itemVectors(b, itemEmb, fItemFeat, fItemProj, historyIn, histProj); // [B, L, d]
        Operand<TFloat32> mask = tf.dtypes.cast(tf.math.notEqual(historyIn, tf.constant(pad)), TFloat32.class); // [B, L]
        Operand<TFloat32> all = maskedMean(tf, histEmb, mask);
        Operand<TFloat32> last;
        if (recent == 1) {
            // the latest item is the last column (right-aligned); a slice is cheaper than a masked mean
            Operand<TFloat32> col = tf.reshape(tf.slice(histEmb, tf.constant(new int[]{0, length - 1, 0}), tf.constant(new int[]{-1, 1, -1})),
                    tf.constant(new int[]{-1, dim}));
            Operand<TFloat32> present = tf.slice(mask, tf.constant(new int[]{0, length - 1}), tf.constant(new int[]{-1, 1}));
            last = tf.math.mul(col, present);
        } else {
            last = maskedMean(tf, histEmb, tf.math.mul(mask, tf.constant(recentWeights())));
        }
        List<Operand<TFloat32>> parts = new java.util.ArrayList<>(List.of(all, last));
        int width = 2 * dim;
        Operand<TInt32> safeUser = tf.math.minimum(userIn, tf.constant(numUsers));
        if (userEmb != null) {
            Operand<TFloat32> known = tf.expandDims(tf.dtypes.cast(tf.math.less(userIn, tf.constant(numUsers)), TFloat32.class), tf.constant(1));
            parts.add(tf.math.mul(userEmb.lookup(safeUser), known));
            width += dim;
        }
        if (userFeat != null) {
            parts.add(tf.gather(userFeat, safeUser, tf.constant(0)));
            width += userFeatures.width();
        }
        Operand<TFloat32> towerIn = tf.concat(parts, tf.constant(1));
        int[] widths = Arrays.copyOf(hidden, hidden.length + 1);
        widths[hidden.length] = dim;
        return b.mlp("user_mlp", towerIn, width, widths, true); // [B, d]

    }

    /** Two heads sharing one hidden layer: like logit and rating, from [u, v, u*v] plus biases. */
    @SuppressWarnings("unchecked")
    private Operand<TFloat32>[] heads(GraphBuilder b, Operand<TFloat32> u, Operand<TFloat32> v, Operand<TFloat32> biases) {
        Ops tf = b.tf();
        Operand<TFloat32> x = tf.concat(List.of(u, v, tf.math.mul(u, v)), tf.constant(1));
        Variable<TFloat32> headW1 = b.variable("head_hidden_w", new long[]{3L * dim, 64}, (float) Math.sqrt(2.0 / (3 * dim + 64)));
        Variable<TFloat32> headB1 = b.zerosVariable("head_hidden_b", 64);
        Variable<TFloat32> headW2 = b.variable("head_out_w", new long[]{64, 2}, (float) Math.sqrt(2.0 / 66));
        Variable<TFloat32> headB2 = b.zerosVariable("head_out_b", 2);
        Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(tf.linalg.matMul(x, headW1), headB1));
        // + per-user and per-item biases of both heads (a user's rating level, an item's appeal),
        // trained only by the heads' losses
        Operand<TFloat32> o = tf.math.add(tf.nn.biasAdd(tf.linalg.matMul(h, headW2), headB2), biases);
        Operand<TFloat32> likeLogit = tf.reshape(tf.slice(o, tf.constant(new int[]{0, 0}), tf.constant(new int[]{-1, 1})), tf.constant(new int[]{-1}));
        Operand<TFloat32> rate = tf.math.add(tf.reshape(tf.slice(o, tf.constant(new int[]{0, 1}), tf.constant(new int[]{-1, 1})), tf.constant(new int[]{-1})),
                tf.constant(meanValue));
        return new Operand[]{likeLogit, rate};
    }


    /**
     * Item vectors for indices of any shape: embedding + projected side features. The features are
     * projected once per distinct item of the call (unique + gather back), not once per occurrence, so
     * wide TF-IDF features cost little even when the same items fill every history.
     */
    private Operand<TFloat32> itemVectors(GraphBuilder b, EmbeddingTable emb, Variable<TFloat32> feat,
                                          Variable<TFloat32> proj, Operand<TInt32> idx) {
        return itemVectors(b, emb, feat, proj, idx, null);
    }

    private Operand<TFloat32> itemVectors(GraphBuilder b, EmbeddingTable emb, Variable<TFloat32> feat,
                                          Variable<TFloat32> proj, Operand<TInt32> idx, Operand<TFloat32> precomputed) {
        Ops tf = b.tf();
        Operand<TFloat32> e = emb.lookup(idx);
        if (feat == null) return e;
        if (precomputed != null) return tf.math.add(e, tf.reshape(precomputed, tf.shape(e)));
        Operand<TInt32> flat = tf.reshape(idx, tf.constant(new int[]{-1}));
        org.tensorflow.op.core.Unique<TInt32, TInt32> u = tf.unique(flat, tf.constant(new int[]{0}));
        Operand<TFloat32> projected = tf.linalg.matMul(tf.gather(feat, u.y(), tf.constant(0)), proj); // [distinct, d]
        Operand<TFloat32> f = tf.gather(projected, u.idx(), tf.constant(0)); // [n, d]
        return tf.math.add(e, tf.reshape(f, tf.shape(e)));
    }

    private static Operand<TFloat32> maskedMean(Ops tf, Operand<TFloat32> x, Operand<TFloat32> mask) {
        Operand<TFloat32> m = tf.expandDims(mask, tf.constant(2));
        Operand<TFloat32> sum = tf.sum(tf.math.mul(x, m), tf.constant(1));
        Operand<TFloat32> count = tf.math.maximum(tf.sum(mask, tf.constant(1), org.tensorflow.op.core.Sum.keepDims(true)), tf.constant(1f));
        return tf.math.div(sum, count);
    }

    /** 1 for the last `recent` positions of the right-aligned history window, 0 before. */
    private float[] recentWeights() {
        float[] w = new float[length];
        for (int i = length - recent; i < length; i++) w[i] = 1f;
        return w;
    }

    @Override
    protected long examplesPerEpoch(TrainingContext ctx) {
        return new Examples(ctx.split().train(), 0).size();
    }

    @Override
    protected Iterator<Batch> epoch(TrainingContext ctx, Random rng) {
        int[][] train = ctx.split().train();
        float[][] values = ctx.dataset().interactions() == null ? null : ctx.dataset().interactions().values();
        Examples ex = new Examples(train, 0);
        int[] order = ex.shuffled(rng);
        int pad = numItems;
        return Batch.chunks(order.length, batchSize, (next, n) -> {
            int[] hist = new int[n * length];
            int[] users = new int[n];
            int[] target = new int[n];
            float[] value = new float[n];
            float[] valueMask = new float[n];
            for (int i = 0; i < n; i++) {
                int e = order[next + i];
                int u = ex.users[e];
                int t = ex.positions[e];
                Sequences.fillHistory(train[u], t, length, pad, hist, i * length);
                users[i] = u;
                target[i] = train[u][t];
                float v = Examples.value(values, u, t);
                if (!Float.isNaN(v)) {
                    value[i] = v;
                    valueMask[i] = 1f;
                }
            }
            int[] neg = new int[negatives];
            for (int j = 0; j < negatives; j++) neg[j] = rng.nextInt(numItems);
            return new Batch(n).ints(historyIn, hist, n, length).ints(userIn, users, n).ints(targetIn, target, n)
                    .ints(negativesIn, neg, negatives).floats(valueIn, value, n).floats(valueMaskIn, valueMask, n);
        });
    }

    private float meanValue(TrainingContext ctx) {
        float[][] values = ctx.dataset().interactions() == null ? null : ctx.dataset().interactions().values();
        int[][] train = ctx.split().train();
        double sum = 0;
        long n = 0;
        for (int u = 0; u < train.length; u++) {
            for (int t = 0; t < train[u].length; t++) {
                float v = Examples.value(values, u, t);
                if (!Float.isNaN(v)) {
                    sum += v;
                    n++;
                }
            }
        }
        return n == 0 ? Float.NaN : (float) (sum / n);
    }

    /** Features with one extra all-zero row for the padding / unknown index; null when empty. */
    private static Features padded(Features f, int rows) {
        if (f == null || f.width() == 0) return null;
        float[][] m = new float[rows + 1][];
        for (int i = 0; i < rows; i++) m[i] = i < f.matrix().length ? f.matrix()[i] : new float[f.width()];
        m[rows] = new float[f.width()];
        return new Features(f.names(), m);
    }
}
