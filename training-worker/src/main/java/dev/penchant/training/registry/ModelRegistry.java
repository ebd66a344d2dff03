package dev.penchant.training.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The model registry (table models). Versions are numbered per name under a per-name advisory lock,
 * so concurrent registrations of one name never collide; promotion takes the same lock, so a name has
 * at most one promoted model, and announces the new one on channel model_promoted (delivered on commit).
 */
@ApplicationScoped
public class ModelRegistry {
    public static final String PROMOTED_CHANNEL = "model_promoted";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A registered model as the API shows it. */
    public record ModelView(long id, String name, int version, String modelType, Long jobId,
                            Map<String, Object> dataSnapshot, Map<String, Object> hyperparameters,
                            Map<String, Object> metrics, Long artifactId, String artifactSha256, Long artifactSizeBytes,
                            String status, Instant createdAt, Instant promotedAt) {
    }

    /** What to register. */
    public record Registration(String name, String modelType, long jobId, Map<String, Object> dataSnapshot,
                               Map<String, Object> hyperparameters, Map<String, Double> metrics, Long artifactId) {
    }

    private final AgroalDataSource db;

    public ModelRegistry(AgroalDataSource db) {
        this.db = db;
    }

    /**
     * Registers the model of a job, once: a second registration for the same job changes nothing and
     * returns the first one's id. Must run inside the caller's transaction (the completion).
     */
    @Transactional(value = Transactional.TxType.MANDATORY, rollbackOn = Exception.class)
    public long register(Registration r) throws SQLException {
        try (Connection c = db.getConnection()) {
            lockName(c, r.name());
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into models (name, version, model_type, job_id, data_snapshot, hyperparameters, metrics,
                                        artifact_id)
                    select ?, coalesce(max(version), 0) + 1, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?
                      from models where name = ?
                    on conflict (job_id) do nothing
                    returning id""")) {
                ps.setString(1, r.name());
                ps.setString(2, r.modelType());
                ps.setLong(3, r.jobId());
                ps.setString(4, json(r.dataSnapshot()));
                ps.setString(5, json(r.hyperparameters()));
                ps.setString(6, json(r.metrics()));
                if (r.artifactId() == null) ps.setNull(7, Types.BIGINT);
                else ps.setLong(7, r.artifactId());
                ps.setString(8, r.name());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) return rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("select id from models where job_id = ?")) {
                ps.setLong(1, r.jobId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /**
     * Promotes a model and archives the previously promoted one of the same name, in one transaction,
     * then NOTIFYs model_promoted with the id. Empty when there is no such model.
     */
    @Transactional(rollbackOn = Exception.class)
    public Optional<ModelView> promote(long id) throws SQLException {
        Optional<ModelView> model = find(id);
        if (model.isEmpty()) return model;
        try (Connection c = db.getConnection()) {
            lockName(c, model.get().name());
            try (PreparedStatement ps = c.prepareStatement("""
                    update models set status = 'archived' where name = ? and status = 'promoted' and id <> ?""")) {
                ps.setString(1, model.get().name());
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    update models set status = 'promoted', promoted_at = now() where id = ?""")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
                ps.setString(1, PROMOTED_CHANNEL);
                ps.setString(2, Long.toString(id));
                ps.executeQuery().close();
            }
        }
        return find(id);
    }

    private static final String COLUMNS = """
            m.id, m.name, m.version, m.model_type, m.job_id, m.data_snapshot::text, m.hyperparameters::text,
            m.metrics::text, m.artifact_id, a.sha256, a.size_bytes, m.status, m.created_at, m.promoted_at
            from models m left join model_artifacts a on a.id = m.artifact_id""";

    public Optional<ModelView> find(long id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " where m.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    /** Newest first; null filters match everything. */
    public List<ModelView> list(String name, String status, int limit) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                     + " where (?::text is null or m.name = ?) and (?::text is null or m.status = ?)"
                     + " order by m.created_at desc, m.id desc limit ?")) {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, status);
            ps.setString(4, status);
            ps.setInt(5, limit);
            List<ModelView> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(view(rs));
            }
            return out;
        }
    }

    private static void lockName(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(hashtext('penchant.models:' || ?))")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        }
    }

    private static ModelView view(ResultSet rs) throws SQLException {
        long jobId = rs.getLong(5);
        Long job = rs.wasNull() ? null : jobId;
        long artifactId = rs.getLong(9);
        Long artifact = rs.wasNull() ? null : artifactId;
        long size = rs.getLong(11);
        Long sizeBytes = rs.wasNull() ? null : size;
        return new ModelView(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), job, map(rs.getString(6)),
                map(rs.getString(7)), map(rs.getString(8)), artifact, rs.getString(10), sizeBytes, rs.getString(12),
                instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o == null ? Map.of() : o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, Object> map(String json) {
        try {
            return json == null ? null : JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
