package dev.penchant.training.registry;

import dev.penchant.schema.Channels;
import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;
import dev.penchant.training.store.TransactionStep;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.penchant.training.store.Jdbc.instant;

/**
 * The model registry (table models). Versions are numbered per name under a per-name advisory lock,
 * so concurrent registrations of one name never collide. Promotion is per surface (table serving_models):
 * a model is 'promoted' while it serves at least one surface; the change is announced on serving_changed
 * and model_promoted (delivered on commit).
 */
public final class ModelRegistry {
    public static final List<String> STATUSES = List.of("registered", "promoted", "archived");
    /** The recommendation endpoints a model is promoted on: user = GET /v1/recommendations/{userId},
     *  session = POST /v1/recommendations, similar = GET /v1/items/{itemId}/similar. */
    public static final List<String> SURFACES = List.of("user", "session", "similar");

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

    private final DataSource db;

    public ModelRegistry(DataSource db) {
        this.db = db;
    }

    /**
     * Registers the model of a job, once: a second registration for the same job changes nothing and
     * returns the first one's id. Runs on the caller's connection (the completion's transaction).
     */
    public long register(Connection c, Registration r) throws SQLException {
        lockName(c, r.name());
        Long id = Jdbc.query(c, """
                insert into models (name, version, model_type, job_id, data_snapshot, hyperparameters, metrics,
                                    artifact_id)
                select ?, coalesce(max(version), 0) + 1, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb, ?
                  from models where name = ?
                on conflict (job_id) do nothing
                returning id""", ps -> {
            ps.setString(1, r.name());
            ps.setString(2, r.modelType());
            ps.setLong(3, r.jobId());
            ps.setString(4, Json.write(r.dataSnapshot()));
            ps.setString(5, Json.write(r.hyperparameters()));
            ps.setString(6, Json.write(r.metrics()));
            if (r.artifactId() == null) ps.setNull(7, Types.BIGINT);
            else ps.setLong(7, r.artifactId());
            ps.setString(8, r.name());
        }, rs -> rs.next() ? rs.getLong(1) : null);
        if (id != null) return id;
        return Jdbc.query(c, "select id from models where job_id = ?", ps -> ps.setLong(1, r.jobId()), rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    /** Promotes on the user surface (the default); see {@link #promote(long, String, String, TransactionStep)}. */
    public Optional<ModelView> promote(long id, TransactionStep also) {
        return promote(id, "user", null, also);
    }

    /**
     * Makes a model the one that serves {@code surface} (table serving_models), in one transaction with
     * {@code also} (the audit row): it becomes 'promoted', and the model that served the surface before
     * becomes 'archived' unless it still serves another surface. NOTIFYs serving_changed (the surface)
     * and model_promoted (the id). Empty when there is no such model.
     */
    public Optional<ModelView> promote(long id, String surface, String actor, TransactionStep also) {
        if (!SURFACES.contains(surface)) throw new IllegalArgumentException("unknown surface " + surface);
        if (find(id).isEmpty()) return Optional.empty();
        Jdbc.inTransaction(db, c -> {
            promoteOn(c, id, surface, actor);
            also.run(c);
            return null;
        });
        return find(id);
    }

    /**
     * The promotion itself on the caller's connection (the caller's transaction: an experiment's
     * promote-winner stops the experiment in the same one).
     */
    public void promoteOn(Connection c, long id, String surface, String actor) throws SQLException {
        // one lock for the whole serving set: a model's status depends on every surface
        Jdbc.query(c, "select pg_advisory_xact_lock(hashtext('penchant.serving_models'))", Jdbc.NONE, rs -> null);
        Long previous = Jdbc.query(c, "select model_id from serving_models where surface = ?", ps -> ps.setString(1, surface),
                rs -> rs.next() ? rs.getLong(1) : null);
        Jdbc.update(c, """
                insert into serving_models (surface, model_id, promoted_at, promoted_by) values (?, ?, now(), ?)
                on conflict (surface) do update
                   set model_id = excluded.model_id, promoted_at = excluded.promoted_at, promoted_by = excluded.promoted_by""", ps -> {
            ps.setString(1, surface);
            ps.setLong(2, id);
            ps.setString(3, actor);
        });
        Jdbc.update(c, "update models set status = 'promoted', promoted_at = now() where id = ?", ps -> ps.setLong(1, id));
        if (previous != null && previous != id) {
            Jdbc.update(c, """
                    update models set status = 'archived'
                     where id = ? and not exists (select 1 from serving_models s where s.model_id = models.id)""",
                    ps -> ps.setLong(1, previous));
        }
        notify(c, Channels.SERVING_CHANGED, surface);
        notify(c, Channels.MODEL_PROMOTED, Long.toString(id));
    }

    /** What serves each surface now (surfaces nothing serves are absent). */
    public record Serving(String surface, ModelView model, Instant promotedAt, String promotedBy) {
    }

    public List<Serving> serving() {
        List<Object[]> rows = Jdbc.query(db, "select surface, model_id, promoted_at, promoted_by from serving_models order by surface",
                Jdbc.NONE, rs -> {
                    List<Object[]> out = new ArrayList<>();
                    while (rs.next()) out.add(new Object[]{rs.getString(1), rs.getLong(2), instant(rs.getTimestamp(3)), rs.getString(4)});
                    return out;
                });
        List<Serving> out = new ArrayList<>();
        for (Object[] r : rows) {
            find((Long) r[1]).ifPresent(m -> out.add(new Serving((String) r[0], m, (Instant) r[2], (String) r[3])));
        }
        return out;
    }

    private static void notify(Connection c, String channel, String payload) throws SQLException {
        Jdbc.query(c, "select pg_notify(?, ?)", ps -> {
            ps.setString(1, channel);
            ps.setString(2, payload);
        }, rs -> null);
    }

    private static final String COLUMNS = """
            m.id, m.name, m.version, m.model_type, m.job_id, m.data_snapshot::text, m.hyperparameters::text,
            m.metrics::text, m.artifact_id, a.sha256, a.size_bytes, m.status, m.created_at, m.promoted_at
            from models m left join model_artifacts a on a.id = m.artifact_id""";

    public Optional<ModelView> find(long id) {
        return Jdbc.query(db, "select " + COLUMNS + " where m.id = ?", ps -> ps.setLong(1, id),
                rs -> rs.next() ? Optional.of(view(rs)) : Optional.empty());
    }

    /** Newest first; null filters match everything. */
    public List<ModelView> list(String name, String status, int limit) {
        return Jdbc.query(db, "select " + COLUMNS
                + " where (?::text is null or m.name = ?) and (?::text is null or m.status = ?)"
                + " order by m.created_at desc, m.id desc limit ?", ps -> {
            ps.setString(1, name);
            ps.setString(2, name);
            ps.setString(3, status);
            ps.setString(4, status);
            ps.setInt(5, limit);
        }, rs -> {
            List<ModelView> out = new ArrayList<>();
            while (rs.next()) out.add(view(rs));
            return out;
        });
    }

    /** Models per status (every status present, zeros included). */
    public Map<String, Long> countByStatus() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : STATUSES) out.put(s, 0L);
        Jdbc.query(db, "select status, count(*) from models group by status", Jdbc.NONE, rs -> {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            return null;
        });
        return out;
    }

    private static void lockName(Connection c, String name) throws SQLException {
        Jdbc.query(c, "select pg_advisory_xact_lock(hashtext('penchant.models:' || ?))", ps -> ps.setString(1, name),
                rs -> null);
    }

    private static ModelView view(ResultSet rs) throws SQLException {
        return new ModelView(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), Jdbc.nullableLong(rs, 5),
                Json.objectMap(rs.getString(6)), Json.objectMap(rs.getString(7)), Json.objectMap(rs.getString(8)),
                Jdbc.nullableLong(rs, 9), rs.getString(10), Jdbc.nullableLong(rs, 11), rs.getString(12),
                instant(rs.getTimestamp(13)), instant(rs.getTimestamp(14)));
    }
}
