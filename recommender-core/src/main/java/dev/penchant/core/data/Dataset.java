package dev.penchant.core.data;

/**
 * A snapshot of a data set after preprocessing: vocabularies, time-ordered interactions and side
 * features. The pipeline builds it; splits and models read it.
 */
public record Dataset(String name, Vocabulary users, Vocabulary items, Interactions interactions,
                      Features userFeatures, Features itemFeatures) {
    public int numUsers() {
        return users.size();
    }

    public int numItems() {
        return items.size();
    }
}
