package dev.penchant.core.artifact;

import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Explainer;
import dev.penchant.core.preprocess.HistoryEncoder;
import dev.penchant.core.preprocess.HistoryRules;

import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the inference node serves, whatever the artifact's format (a TensorFlow SavedModel, a baseline's
 * counts): the vocabularies and history rules the model was trained with, and scores for every item.
 * Thread-safe; close it to free native resources.
 */
public interface ServableModel extends AutoCloseable {
    /**
     * One batch's scores [batch][numItems] and, for self-attention models, the attention windows of the
     * same run (null otherwise).
     */
    record Scored(float[][] scores, float[][] attention) {
    }

    Vocabulary users();

    Vocabulary items();

    int numItems();

    /** History items the model reads (the newest). */
    int historyLength();

    /** How the training histories were built. */
    HistoryRules historyRules();

    /** Builds a request's history from raw events as training did (see {@link HistoryEncoder}). */
    default HistoryEncoder historyEncoder(Predicate<String> inItemTable) {
        return new HistoryEncoder(historyRules(), items(), historyLength(), inItemTable);
    }

    /** Whether the answer for this user and history would be its own (else the node answers with a labelled fallback). */
    boolean canPersonalise(int user, HistoryEncoder.Encoded history);

    /** Scores every item for each user; users index users(), -1 = unknown. */
    Scored score(int[] users, int[][] histories);

    /** Item representations [numItems][d] for similar items; null when the model has none. */
    default float[][] itemEmbeddings() {
        return null;
    }

    /** Whether {@link #explainAll} returns attributions. */
    default boolean explains() {
        return false;
    }

    /** Attention over the history per item; empty lists for models that cannot explain. */
    default List<List<Explainer.Attribution>> explainAll(int user, int[] history, int[] items) {
        return Collections.nCopies(items.length, List.of());
    }

    @Override
    void close();
}
