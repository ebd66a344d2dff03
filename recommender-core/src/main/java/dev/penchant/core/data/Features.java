package dev.penchant.core.data;

import java.util.List;

/**
 * Side features after preprocessing, as dense matrices indexed by user or item index.
 * Categorical features are one-hot / multi-hot, numeric ones standardised, text as TF-IDF.
 *
 * @param names    one name per column, e.g. "age(z)", "gender=F", "genre=Comedy", "tfidf:star"
 * @param matrix   matrix[row][column]; rows are user or item indices
 */
public record Features(List<String> names, float[][] matrix) {
    public int width() {
        return names.size();
    }

    public static Features empty(int rows) {
        return new Features(List.of(), new float[rows][0]);
    }
}
