package dev.penchant.training.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where model artifacts (an exported model directory as one zip) live. The default keeps them in
 * PostgreSQL (model_artifacts); an object store can replace it. Implementations called inside a JTA
 * transaction should join it, so an artifact exists only if the model row that points at it does.
 */
public interface ArtifactStore {
    /** What was stored. */
    record StoredArtifact(long id, String sha256, long sizeBytes) {
    }

    StoredArtifact put(InputStream content) throws IOException;

    default StoredArtifact put(byte[] content) throws IOException {
        return put(new ByteArrayInputStream(content));
    }

    /** Metadata of a stored artifact, without its content. */
    Optional<StoredArtifact> describe(long id);

    /** Copies the content to out; false when there is no such artifact. */
    boolean copyTo(long id, OutputStream out) throws IOException;
}
