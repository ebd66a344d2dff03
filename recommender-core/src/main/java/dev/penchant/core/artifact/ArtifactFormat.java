package dev.penchant.core.artifact;

import java.nio.file.Path;

/**
 * Opens one artifact format for serving. Found with {@link java.util.ServiceLoader}
 * (META-INF/services), like {@link dev.penchant.core.model.ModelProvider}: the TensorFlow-free core
 * opens baselines, recommender-tf adds SavedModels; {@link ArtifactFormats#open} picks by the
 * "format" field of the unpacked archive's model.json.
 */
public interface ArtifactFormat {
    /** The model.json "format" value this opens, e.g. "penchant-tf/1". */
    String format();

    /** Opens an unpacked archive directory. */
    ServableModel open(Path dir);
}
