package dev.penchant.tf;

import dev.penchant.core.artifact.ArtifactFormat;
import dev.penchant.core.artifact.ServableModel;

import java.nio.file.Path;

/** "penchant-tf/1": a SavedModel and model.json written by {@link ModelArtifact}, opened as an {@link ExportedModel}. */
public final class TfArtifactFormat implements ArtifactFormat {
    @Override
    public String format() {
        return ModelArtifact.FORMAT;
    }

    @Override
    public ServableModel open(Path dir) {
        return ExportedModel.open(dir);
    }
}
