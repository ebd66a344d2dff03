package dev.penchant.core.split;

/**
 * A train / validation / test split over dense user and item indices. For leave-one-out,
 * validation[u] and test[u] hold one item each; for a temporal split they may hold several.
 * A user with nothing held out has an empty array there.
 *
 * @param train      train[u]: the user's training items in time order (the history a model sees)
 * @param validation validation[u]: items held out for validation, in time order
 * @param test       test[u]: items held out for testing, in time order; at test time the history is
 *                   train[u] followed by validation[u]
 * @param numItems   size of the item vocabulary
 */
public record Split(String protocol, int[][] train, int[][] validation, int[][] test, int numItems) {
    public int numUsers() {
        return train.length;
    }
}
