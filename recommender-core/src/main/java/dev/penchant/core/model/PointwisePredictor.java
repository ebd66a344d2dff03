package dev.penchant.core.model;

/**
 * Models with point-wise heads (the seed's "will like" classifier and rating regressor) implement
 * this beside Scorer; the evaluator then reports accuracy / precision / recall / F1 / AUC and
 * MAE / MSE / RMSE on held-out interactions that carry an explicit value.
 */
public interface PointwisePredictor {
    /** Probability in [0,1] that each user likes the paired item (rating >= like threshold). */
    float[] predictLike(int[] users, int[][] histories, int[] items);

    /** Predicted explicit rating for each (user, item) pair, on the data set's scale. */
    float[] predictRating(int[] users, int[][] histories, int[] items);
}
