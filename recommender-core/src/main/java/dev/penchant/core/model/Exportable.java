package dev.penchant.core.model;

import dev.penchant.core.preprocess.HistoryRules;

import java.nio.file.Path;
import java.util.Map;

/** A trained model that can write a self-contained serving artifact (SavedModel + model.json). */
public interface Exportable {
    /**
     * @param history how the training data's per-user histories were built (the preprocessing's
     *                {@link dev.penchant.core.preprocess.PreparedDataset#history()}); recorded so that
     *                serving builds histories the same way
     */
    void export(Path dir, Map<String, Double> metrics, HistoryRules history);
}
