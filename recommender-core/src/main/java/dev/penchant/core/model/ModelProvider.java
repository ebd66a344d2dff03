package dev.penchant.core.model;

import java.util.Map;
import java.util.function.Function;

/**
 * Implements models declared in {@link ModelCatalog}. Found with {@link java.util.ServiceLoader}
 * (META-INF/services), so the TensorFlow-free core can create the models of modules it does not
 * depend on (recommender-tf); a node without those modules still knows their declarations, and
 * creating one there fails with a message that says which module is missing.
 */
public interface ModelProvider {
    /** One factory per model name; each name must have a spec in the catalogue. */
    Map<String, Function<Hyperparameters, Recommender>> factories();
}
