package dev.penchant.api.training;

import dev.penchant.support.audit.AuditLog;
import dev.penchant.support.problem.Problem;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.QueryParams;
import dev.penchant.training.queue.JobQueue;
import dev.penchant.training.registry.ModelRegistry;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry as the control plane shows it, and promotion with its guard (see {@link PromotionGuard}). */
@Singleton
public class ModelService {
    private final ModelRegistry registry;
    private final JobQueue jobs;
    private final AgroalDataSource db;

    public ModelService(ModelRegistry registry, JobQueue jobs, AgroalDataSource db) {
        this.registry = registry;
        this.jobs = jobs;
        this.db = db;
    }

    public List<ModelRegistry.ModelView> list(String name, String status, String limit) {
        String n = QueryParams.text("name", name, 200);
        String s = QueryParams.oneOf("status", status, ModelRegistry.STATUSES);
        return registry.list(n, s, QueryParams.integer("limit", limit, 100, 1, 1000));
    }

    public ModelRegistry.ModelView get(long id) {
        return registry.find(id).orElseThrow(() -> ProblemException.notFound("No model " + id));
    }

    /**
     * Promotes unless the guard refuses (409, audited) and force is false; a forced promotion is
     * audited with the figures it overrode. Baselines are not judged against themselves.
     */
    public ModelRegistry.ModelView promote(long id, boolean force, String surface, String actor) {
        ModelRegistry.ModelView m = get(id);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", m.name());
        details.put("version", m.version());
        details.put("surface", surface);
        if (!JobValidation.isBaseline(m.modelType())) {
            Map<String, Object> report = m.jobId() == null ? null : jobs.report(m.jobId()).orElse(null);
            PromotionGuard.Verdict v = PromotionGuard.judge(m.modelType(), report);
            details.put("guard", v.reason());
            if (v.model() != null) details.put("ndcg10", v.model());
            if (v.baseline() != null) details.put("popularityNdcg10", v.baseline());
            if (!v.passes()) {
                if (!force) {
                    audit(new AuditLog.Entry(actor, "model.promotion-refused", Long.toString(id), details));
                    throw new ProblemException(409, Problem.type("promotion-refused"), "Promotion refused",
                            "Model " + m.name() + " v" + m.version() + " " + v.reason()
                                    + "; pass force=true to promote it anyway", null);
                }
                details.put("forced", true);
            }
        }
        return registry.promote(id, surface, actor, c -> AuditLog.write(c, new AuditLog.Entry(actor, "model.promoted", Long.toString(id), details)))
                .orElseThrow(() -> ProblemException.notFound("No model " + id));
    }

    /** Which model serves each surface. */
    public List<ModelRegistry.Serving> serving() {
        return registry.serving();
    }

    private void audit(AuditLog.Entry entry) {
        try (Connection c = db.getConnection()) {
            AuditLog.write(c, entry);
        } catch (SQLException e) {
            throw new IllegalStateException("could not write the audit log: " + e.getMessage(), e);
        }
    }
}
