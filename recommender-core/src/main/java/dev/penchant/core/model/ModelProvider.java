package dev.penchant.core.model;

import java.util.List;

/**
 * Supplies models to {@link ModelCatalog}. Found with {@link java.util.ServiceLoader}
 * (META-INF/services), so the TensorFlow-free core can create the models of modules it does not
 * depend on (recommender-tf), and a node without those modules simply does not know their names.
 */
public interface ModelProvider {
    /** The model names this provider creates, in the order listings should show them. */
    List<String> names();

    Recommender create(String name, Hyperparameters hp);
}
