package dev.penchant.api.experiments;

import dev.penchant.schema.Channels;
import dev.penchant.support.audit.AuditLog;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.Problem.FieldError;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.training.registry.ModelRegistry;
import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;
import dev.penchant.training.store.StoreException;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Experiments: create and edit drafts, the state machine draft -> running -> stopped -> concluded,
 * a running experiment's weights changed only with a restart (a new salt: every user is assigned
 * afresh), and promote-winner (stop + promote the winner's model on the surface, one transaction).
 * Every change is audited in its own transaction and announced on experiments_changed (payload: key),
 * which inference nodes hear to reload their serving set. Blocking JDBC: called on worker threads.
 */
@Singleton
public class ExperimentService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String UNIQUE_VIOLATION = "23505";

    private final AgroalDataSource db;
    private final ModelRegistry registry;

    public ExperimentService(AgroalDataSource db, ModelRegistry registry) {
        this.db = db;
        this.registry = registry;
    }

    /** 128 random bits, hex: what assignment hashes with the user id. */
    static String newSalt() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public Experiment create(ExperimentSpec spec, String actor) {
        checkModels(spec);
        try {
            Jdbc.inTransaction(db, c -> {
                long id = Jdbc.query(c, """
                        insert into experiments (key, hypothesis, surface, salt, audience, primary_metric, guardrails,
                                                 attribution_window, created_by)
                        values (?, ?, ?, ?, ?::jsonb, ?, ?, make_interval(secs => ?), ?) returning id""", ps -> {
                    ps.setString(1, spec.key());
                    ps.setString(2, spec.hypothesis());
                    ps.setString(3, spec.surface());
                    ps.setString(4, newSalt());
                    ps.setString(5, Json.write(spec.audience()));
                    ps.setString(6, spec.primaryMetric());
                    ps.setArray(7, ps.getConnection().createArrayOf("text", spec.guardrails().toArray()));
                    ps.setDouble(8, (double) spec.attributionWindow().getSeconds());
                    ps.setString(9, actor);
                }, rs -> {
                    rs.next();
                    return rs.getLong(1);
                });
                insertVariants(c, id, spec.variants());
                changed(c, actor, "experiment.created", spec.key(), summary(spec));
                return null;
            });
        } catch (StoreException e) {
            if (UNIQUE_VIOLATION.equals(e.sqlState())) throw ProblemException.conflict("An experiment with key " + spec.key() + " exists");
            throw e;
        }
        return get(spec.key());
    }

    public Experiment get(String key) {
        return find(key).orElseThrow(() -> ProblemException.notFound("No experiment " + key));
    }

    public List<Experiment> list(String status, String limit) {
        String s = QueryParams.oneOf("status", status, Experiment.STATUSES);
        int n = QueryParams.integer("limit", limit, 100, 1, 1000);
        List<String> keys = Jdbc.query(db, """
                select key from experiments where (?::text is null or status = ?)
                 order by created_at desc, id desc limit ?""", ps -> {
            ps.setString(1, s);
            ps.setString(2, s);
            ps.setInt(3, n);
        }, rs -> {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        });
        List<Experiment> out = new ArrayList<>();
        for (String k : keys) find(k).ifPresent(out::add);
        return out;
    }

    /**
     * A draft is replaced as a whole. A running experiment may change its hypothesis, audience (raising
     * coverage moves no assigned user), metrics and attribution window; its weights only with
     * restart=true (a new salt, results counted from now); its variants and surface never (409).
     * Stopped and concluded experiments are final.
     */
    public Experiment update(String key, ExperimentSpec spec, boolean restart, String actor) {
        checkModels(spec);
        Jdbc.inTransaction(db, c -> {
            Experiment e = lock(c, key);
            switch (e.status()) {
                case "draft" -> {
                    write(c, e.id(), spec, false);
                    Jdbc.update(c, "delete from experiment_variants where experiment_id = ?", ps -> ps.setLong(1, e.id()));
                    insertVariants(c, e.id(), spec.variants());
                    changed(c, actor, "experiment.updated", key, summary(spec));
                }
                case "running" -> {
                    if (!spec.surface().equals(e.surface())) {
                        throw ProblemException.conflict("The surface of running experiment " + key + " cannot change; stop it and create another");
                    }
                    if (!sameArms(e.variants(), spec.variants())) {
                        throw ProblemException.conflict("The variants of running experiment " + key
                                + " (names, models, baselines, order) cannot change; stop it and create another");
                    }
                    boolean weightsChanged = !e.variants().stream().map(Experiment.Variant::weight).toList().equals(spec.weights());
                    if (weightsChanged && !restart) {
                        throw new ProblemException(409, Problem.type("restart-required"), "Restart required",
                                "Changing the weights of running experiment " + key + " reassigns users; pass restart=true"
                                        + " to restart it with a new salt (results then count from the restart)", null);
                    }
                    write(c, e.id(), spec, weightsChanged);
                    for (int i = 0; i < spec.variants().size(); i++) {
                        long vid = e.variants().get(i).id();
                        double w = spec.variants().get(i).weight();
                        Jdbc.update(c, "update experiment_variants set weight = ? where id = ?", ps -> {
                            ps.setDouble(1, w);
                            ps.setLong(2, vid);
                        });
                    }
                    Map<String, Object> details = summary(spec);
                    if (weightsChanged) details.put("previousWeights", e.variants().stream().map(Experiment.Variant::weight).toList());
                    changed(c, actor, weightsChanged ? "experiment.restarted" : "experiment.updated", key, details);
                }
                default -> throw ProblemException.conflict("Experiment " + key + " is " + e.status() + "; it can no longer change");
            }
            return null;
        });
        return get(key);
    }

    /** draft -> running; 409 when another experiment runs on the same surface. */
    public Experiment start(String key, String actor) {
        try {
            Jdbc.inTransaction(db, c -> {
                Experiment e = lock(c, key);
                if (!e.status().equals("draft")) throw ProblemException.conflict("Experiment " + key + " is " + e.status() + "; only a draft starts");
                String other = Jdbc.query(c, "select key from experiments where surface = ? and status = 'running'",
                        ps -> ps.setString(1, e.surface()), rs -> rs.next() ? rs.getString(1) : null);
                if (other != null) throw runningOnSurface(e.surface(), other);
                Jdbc.update(c, "update experiments set status = 'running', started_at = now(), updated_at = now() where id = ?",
                        ps -> ps.setLong(1, e.id()));
                changed(c, actor, "experiment.started", key, Map.of("surface", e.surface()));
                return null;
            });
        } catch (StoreException ex) {
            // two starts raced past the check: the partial unique index on running surfaces decided
            if (UNIQUE_VIOLATION.equals(ex.sqlState())) throw runningOnSurface(get(key).surface(), "another experiment");
            throw ex;
        }
        return get(key);
    }

    /** running -> stopped: the inference nodes stop assigning; results stay readable. */
    public Experiment stop(String key, String actor) {
        Jdbc.inTransaction(db, c -> {
            Experiment e = lock(c, key);
            if (!e.status().equals("running")) throw ProblemException.conflict("Experiment " + key + " is " + e.status() + "; only a running one stops");
            stopRow(c, e.id());
            changed(c, actor, "experiment.stopped", key, Map.of());
            return null;
        });
        return get(key);
    }

    /**
     * Running or stopped -> concluded, with the winner recorded and its model promoted on the
     * experiment's surface, all in one transaction. The winner 'current' (what the surface serves
     * today) concludes without a promotion; another baseline has no model to promote (409).
     */
    public Experiment promoteWinner(String key, String variant, String actor) {
        if (variant == null) throw ProblemException.badField("variant", "required: the name of the winning variant");
        Jdbc.inTransaction(db, c -> {
            Experiment e = lock(c, key);
            if (!e.status().equals("running") && !e.status().equals("stopped")) {
                throw ProblemException.conflict("Experiment " + key + " is " + e.status() + "; only a running or stopped one concludes");
            }
            Experiment.Variant v = e.variant(variant);
            if (v == null) throw ProblemException.badField("variant", "no variant \"" + variant + "\"; variants: "
                    + e.variants().stream().map(Experiment.Variant::name).toList());
            if (v.modelId() == null && !"current".equals(v.baseline())) {
                throw ProblemException.conflict("Variant " + variant + " is the " + v.baseline()
                        + " baseline, which has no registered model to promote; train one and promote it instead");
            }
            if (e.status().equals("running")) stopRow(c, e.id());
            Jdbc.update(c, "update experiments set status = 'concluded', winner_variant_id = ?, updated_at = now() where id = ?", ps -> {
                ps.setLong(1, v.id());
                ps.setLong(2, e.id());
            });
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("variant", variant);
            details.put("surface", e.surface());
            if (v.modelId() != null) {
                registry.promoteOn(c, v.modelId(), e.surface(), actor);
                details.put("modelId", v.modelId());
            } else {
                details.put("baseline", v.baseline());
            }
            changed(c, actor, "experiment.winner-promoted", key, details);
            return null;
        });
        return get(key);
    }

    // ---------------------------------------------------------------------------------------------

    private static ProblemException runningOnSurface(String surface, String other) {
        return ProblemException.conflict("Experiment " + other + " is already running on surface " + surface
                + "; stop it first (one experiment per surface)");
    }

    /** Variant models must exist and not be archived; each bad one is a 400 naming its field. */
    private void checkModels(ExperimentSpec spec) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < spec.variants().size(); i++) {
            Long id = spec.variants().get(i).modelId();
            if (id == null) continue;
            String status = Jdbc.query(db, "select status from models where id = ?", ps -> ps.setLong(1, id),
                    rs -> rs.next() ? rs.getString(1) : null);
            if (status == null) errors.add(FieldError.of("variants[" + i + "].modelId", "no model " + id));
            else if (status.equals("archived")) {
                errors.add(FieldError.of("variants[" + i + "].modelId", "model " + id + " is archived; only registered or promoted models serve"));
            }
        }
        if (!errors.isEmpty()) throw ProblemException.badRequest("Invalid experiment: " + errors.size() + " invalid field(s)", errors);
    }

    private static boolean sameArms(List<Experiment.Variant> now, List<ExperimentSpec.Variant> next) {
        if (now.size() != next.size()) return false;
        for (int i = 0; i < now.size(); i++) {
            Experiment.Variant a = now.get(i);
            ExperimentSpec.Variant b = next.get(i);
            if (!a.name().equals(b.name()) || !Objects.equals(a.modelId(), b.modelId()) || !Objects.equals(a.baseline(), b.baseline())) {
                return false;
            }
        }
        return true;
    }

    private static void write(Connection c, long id, ExperimentSpec spec, boolean newSalt) throws SQLException {
        Jdbc.update(c, """
                update experiments
                   set hypothesis = ?, surface = ?, audience = ?::jsonb, primary_metric = ?, guardrails = ?,
                       attribution_window = make_interval(secs => ?), updated_at = now(),
                       salt = coalesce(?, salt), started_at = case when ? then now() else started_at end
                 where id = ?""", ps -> {
            ps.setString(1, spec.hypothesis());
            ps.setString(2, spec.surface());
            ps.setString(3, Json.write(spec.audience()));
            ps.setString(4, spec.primaryMetric());
            ps.setArray(5, ps.getConnection().createArrayOf("text", spec.guardrails().toArray()));
            ps.setDouble(6, (double) spec.attributionWindow().getSeconds());
            if (newSalt) ps.setString(7, newSalt());
            else ps.setNull(7, Types.VARCHAR);
            ps.setBoolean(8, newSalt);
            ps.setLong(9, id);
        });
    }

    private static void insertVariants(Connection c, long experimentId, List<ExperimentSpec.Variant> variants) throws SQLException {
        for (int i = 0; i < variants.size(); i++) {
            ExperimentSpec.Variant v = variants.get(i);
            int position = i;
            Jdbc.update(c, """
                    insert into experiment_variants (experiment_id, position, name, weight, model_id, baseline)
                    values (?, ?, ?, ?, ?, ?)""", ps -> {
                ps.setLong(1, experimentId);
                ps.setInt(2, position);
                ps.setString(3, v.name());
                ps.setDouble(4, v.weight());
                if (v.modelId() == null) ps.setNull(5, Types.BIGINT);
                else ps.setLong(5, v.modelId());
                ps.setString(6, v.baseline());
            });
        }
    }

    private static void stopRow(Connection c, long id) throws SQLException {
        Jdbc.update(c, "update experiments set status = 'stopped', stopped_at = now(), updated_at = now() where id = ?",
                ps -> ps.setLong(1, id));
    }

    /** The audit row and the NOTIFY, in the change's transaction (both take effect on commit). */
    private static void changed(Connection c, String actor, String action, String key, Map<String, Object> details) throws SQLException {
        AuditLog.write(c, new AuditLog.Entry(actor, action, key, details));
        Jdbc.query(c, "select pg_notify(?, ?)", ps -> {
            ps.setString(1, Channels.EXPERIMENTS_CHANGED);
            ps.setString(2, key);
        }, rs -> null);
    }

    private static Map<String, Object> summary(ExperimentSpec spec) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("surface", spec.surface());
        List<Map<String, Object>> vs = new ArrayList<>();
        for (ExperimentSpec.Variant v : spec.variants()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", v.name());
            m.put("weight", v.weight());
            if (v.modelId() != null) m.put("modelId", v.modelId());
            else m.put("baseline", v.baseline());
            vs.add(m);
        }
        d.put("variants", vs);
        d.put("audience", spec.audience());
        d.put("primaryMetric", spec.primaryMetric());
        return d;
    }

    // ---------------------------------------------------------------------------------------------
    // reads

    private static final String COLUMNS = """
            e.id, e.key, e.hypothesis, e.surface, e.status, e.audience::text, e.primary_metric, e.guardrails,
            extract(epoch from e.attribution_window)::bigint, (select v.name from experiment_variants v where v.id = e.winner_variant_id),
            e.created_by, e.created_at, e.updated_at, e.started_at, e.stopped_at, e.salt
            from experiments e""";

    public Optional<Experiment> find(String key) {
        return Jdbc.query(db, "select " + COLUMNS + " where e.key = ?", ps -> ps.setString(1, key), rs -> {
            if (!rs.next()) return Optional.<Experiment>empty();
            return Optional.of(read(rs, variants(rs.getStatement().getConnection(), rs.getLong(1))));
        });
    }

    /** The experiment, its row locked for the transaction's state change; 404 when absent. */
    private static Experiment lock(Connection c, String key) throws SQLException {
        Experiment e = Jdbc.query(c, "select " + COLUMNS + " where e.key = ? for update of e", ps -> ps.setString(1, key),
                rs -> rs.next() ? read(rs, null) : null);
        if (e == null) throw ProblemException.notFound("No experiment " + key);
        List<Experiment.Variant> vs = variants(c, e.id());
        return new Experiment(e.id(), e.key(), e.hypothesis(), e.surface(), e.status(), vs, e.audience(), e.primaryMetric(),
                e.guardrails(), e.attributionWindow(), e.winner(), e.createdBy(), e.createdAt(), e.updatedAt(), e.startedAt(),
                e.stoppedAt(), e.salt());
    }

    private static List<Experiment.Variant> variants(Connection c, long experimentId) throws SQLException {
        return Jdbc.query(c, """
                select id, name, weight, model_id, baseline from experiment_variants where experiment_id = ? order by position""",
                ps -> ps.setLong(1, experimentId), rs -> {
                    List<Experiment.Variant> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new Experiment.Variant(rs.getLong(1), rs.getString(2), rs.getDouble(3), Jdbc.nullableLong(rs, 4),
                                rs.getString(5)));
                    }
                    return out;
                });
    }

    private static Experiment read(ResultSet rs, List<Experiment.Variant> variants) throws SQLException {
        Array g = rs.getArray(8);
        List<String> guardrails = g == null ? List.of() : List.of((String[]) g.getArray());
        return new Experiment(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), variants,
                Json.objectMap(rs.getString(6)), rs.getString(7), guardrails, Duration.ofSeconds(rs.getLong(9)).toString(),
                rs.getString(10), rs.getString(11), Jdbc.instant(rs.getTimestamp(12)), Jdbc.instant(rs.getTimestamp(13)),
                Jdbc.instant(rs.getTimestamp(14)), Jdbc.instant(rs.getTimestamp(15)), rs.getString(16));
    }
}
