package dev.penchant.core.model;

import java.nio.file.Path;
import java.util.Map;

/** A trained model that can write a self-contained serving artifact (SavedModel + model.json). */
public interface Exportable {
    void export(Path dir, Map<String, Double> metrics);
}
