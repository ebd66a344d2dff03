package dev.penchant.training.artifacts;

import dev.penchant.training.store.StoreException;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Artifacts as bytea rows of model_artifacts. The content is spooled to a temporary file while its
 * SHA-256 is computed, then streamed into the row, so the heap never holds it twice.
 */
public final class PostgresArtifactStore implements ArtifactStore {
    private final DataSource db;

    public PostgresArtifactStore(DataSource db) {
        this.db = db;
    }

    @Override
    public StoredArtifact put(Connection c, InputStream content) throws IOException, SQLException {
        Path spool = Files.createTempFile("penchant-artifact", ".bin");
        try {
            MessageDigest sha = sha256();
            long size;
            try (DigestInputStream in = new DigestInputStream(content, sha)) {
                size = Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
            }
            String hex = HexFormat.of().formatHex(sha.digest());
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into model_artifacts (sha256, size_bytes, content) values (?, ?, ?) returning id");
                 InputStream in = Files.newInputStream(spool)) {
                ps.setString(1, hex);
                ps.setLong(2, size);
                ps.setBinaryStream(3, in, size);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new StoredArtifact(rs.getLong(1), hex, size);
                }
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    @Override
    public Optional<StoredArtifact> describe(long id) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select sha256, size_bytes from model_artifacts where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new StoredArtifact(id, rs.getString(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    @Override
    public boolean copyTo(long id, OutputStream out) throws IOException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select content from model_artifacts where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return false;
                try (InputStream in = rs.getBinaryStream(1)) {
                    in.transferTo(out);
                }
                return true;
            }
        } catch (SQLException e) {
            throw new IOException("could not read artifact " + id + ": " + e.getMessage(), e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
