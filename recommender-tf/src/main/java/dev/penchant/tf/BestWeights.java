package dev.penchant.tf;

import dev.penchant.core.artifact.ModelArchive;
import org.tensorflow.Session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The best weights seen during training, as a TensorFlow checkpoint in a temporary directory: saved
 * when validation improves, restored at the end of training and into the lean export graph.
 */
public final class BestWeights implements AutoCloseable {
    private Path dir;
    private boolean saved;

    public void save(Session session) {
        try {
            if (dir == null) dir = Files.createTempDirectory("penchant-ckpt-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        session.save(prefix());
        saved = true;
    }

    public boolean saved() {
        return saved;
    }

    /** Restores into a session whose graph was built by the same builder. */
    public void restore(Session session) {
        session.restore(prefix());
    }

    private String prefix() {
        return dir.resolve("best").toString();
    }

    @Override
    public void close() {
        ModelArchive.deleteTree(dir);
        dir = null;
        saved = false;
    }
}
