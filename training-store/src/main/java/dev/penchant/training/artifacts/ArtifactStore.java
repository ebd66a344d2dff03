package dev.penchant.training.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Where model artifacts (an exported model directory as one zip) live. The default keeps them in
 * PostgreSQL (model_artifacts); an object store can replace it. {@link #put} runs on the caller's
 * connection, inside the job's completion transaction, so an artifact exists only if the model row
 * that points at it does.
 */
public interface ArtifactStore {
    /** What was stored. */
    record StoredArtifact(long id, String sha256, long sizeBytes) {
    }

    StoredArtifact put(Connection c, InputStream content) throws IOException, SQLException;

    /** Metadata of a stored artifact, without its content. */
    Optional<StoredArtifact> describe(long id);

    /** Copies the content to out; false when there is no such artifact. */
    boolean copyTo(long id, OutputStream out) throws IOException;
}
