package dev.penchant.api.privacy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.penchant.core.artifact.ModelArchive;
import dev.penchant.training.artifacts.ArtifactStore;
import dev.penchant.training.store.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What model artifacts hold about a user: every artifact's model.json lists the training users ("users",
 * index = the user's embedding row) and says whether scores read the user ("inputs".user). Reads
 * model.json without unpacking the SavedModel; rewrites an artifact with the user's entry replaced by
 * a random placeholder (indices of the other users must not move).
 */
@Singleton
public class PrivacyArtifacts {
    static final String MODEL_JSON = "model.json";
    /** User ids cannot contain NUL (the API refuses them), so a placeholder never collides with a real id. */
    static final String ERASED_PREFIX = "\u0000erased:";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final AgroalDataSource db;
    private final ArtifactStore store;

    public PrivacyArtifacts(AgroalDataSource db, ArtifactStore store) {
        this.db = db;
        this.store = store;
    }

    /** An artifact that lists the user. perUserWeights: its scores read a per-user embedding row. */
    public record Hit(long artifactId, List<Long> modelIds, boolean perUserWeights) {
    }

    /** Every stored artifact whose model.json lists the user, with the models that use it. */
    public List<Hit> containing(String userId) {
        List<Long> ids = Jdbc.query(db, "select id from model_artifacts order by id", Jdbc.NONE, rs -> {
            List<Long> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getLong(1));
            return out;
        });
        List<Hit> hits = new ArrayList<>();
        for (long id : ids) {
            Map<String, Object> meta = modelJson(id);
            if (meta == null || !listsUser(meta, userId)) continue;
            List<Long> models = Jdbc.query(db, "select id from models where artifact_id = ? order by id",
                    ps -> ps.setLong(1, id), rs -> {
                        List<Long> out = new ArrayList<>();
                        while (rs.next()) out.add(rs.getLong(1));
                        return out;
                    });
            hits.add(new Hit(id, models, perUserWeights(meta)));
        }
        return hits;
    }

    static boolean listsUser(Map<String, Object> meta, String userId) {
        return meta.get("users") instanceof List<?> users && users.contains(userId);
    }

    static boolean perUserWeights(Map<String, Object> meta) {
        return !(meta.get("inputs") instanceof Map<?, ?> in) || !Boolean.FALSE.equals(in.get("user"));
    }

    /** The artifact's model.json, null when it has none (not a model archive) or the artifact is gone. */
    @SuppressWarnings("unchecked")
    Map<String, Object> modelJson(long artifactId) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("penchant-privacy-artifact", ".zip");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                if (!store.copyTo(artifactId, out)) return null;
            }
            try (ZipFile zip = new ZipFile(tmp.toFile())) {
                ZipEntry e = zip.getEntry(MODEL_JSON);
                if (e == null) return null;
                try (InputStream in = zip.getInputStream(e)) {
                    return JSON.readValue(in, Map.class);
                }
            }
        } catch (java.util.zip.ZipException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (tmp != null) tmp.toFile().delete();
        }
    }

    /**
     * Stores a copy of the artifact with the user's entry in model.json replaced, on the caller's
     * connection (the same transaction repoints the models and drops the old artifact); returns its id.
     */
    @SuppressWarnings("unchecked")
    long rewriteWithout(Connection c, long artifactId, String userId) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("penchant-privacy-rewrite");
        Path zip = Files.createTempFile("penchant-privacy-rewrite", ".zip");
        try {
            try (OutputStream out = Files.newOutputStream(zip)) {
                if (!store.copyTo(artifactId, out)) throw new IllegalStateException("artifact " + artifactId + " is gone");
            }
            try (InputStream in = Files.newInputStream(zip)) {
                ModelArchive.unzip(in, dir);
            }
            Path json = dir.resolve(MODEL_JSON);
            Map<String, Object> meta = JSON.readValue(json.toFile(), LinkedHashMap.class);
            List<Object> users = new ArrayList<>((List<Object>) meta.get("users"));
            users.replaceAll(u -> userId.equals(u) ? ERASED_PREFIX + UUID.randomUUID() : u);
            meta.put("users", users);
            JSON.writeValue(json.toFile(), meta);
            try (OutputStream out = Files.newOutputStream(zip)) {
                ModelArchive.zip(dir, out);
            }
            try (InputStream in = Files.newInputStream(zip)) {
                return store.put(c, in).id();
            }
        } finally {
            ModelArchive.deleteTree(dir);
            Files.deleteIfExists(zip);
        }
    }
}
