package dev.penchant.api.privacy;

import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The export document (GDPR Art. 15 access / Art. 20 portability): one JSON object with everything
 * Penchant holds about the user, read in one repeatable-read transaction so its parts agree: profile,
 * events, experiment assignments and exposures (the recommendations shown, where those tables
 * exist), and the models trained on their data. Stored in privacy_exports for download.
 */
@Singleton
public class PrivacyExport {
    private final AgroalDataSource db;
    private final PrivacyArtifacts artifacts;
    private final PrivacyConfig config;

    public PrivacyExport(AgroalDataSource db, PrivacyArtifacts artifacts, PrivacyConfig config) {
        this.db = db;
        this.artifacts = artifacts;
        this.config = config;
    }

    /** Builds and stores the document of request id; returns its size in bytes. Idempotent (replaces). */
    long build(long requestId, String userId) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("format", "penchant-export/1");
        doc.put("userId", userId);
        doc.put("generatedAt", Instant.now().toString());
        Jdbc.inTransaction(db, c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            doc.put("profile", json(c, """
                    select jsonb_build_object('userId', user_id, 'attributes', attributes, 'createdAt', created_at,
                                              'updatedAt', updated_at)::text from users where user_id = ?""", userId));
            doc.put("events", json(c, """
                    select coalesce(jsonb_agg(jsonb_strip_nulls(jsonb_build_object('eventId', event_id, 'itemId', item_id,
                               'type', type, 'value', value, 'timestamp', occurred_at, 'receivedAt', received_at,
                               'context', context)) order by occurred_at, seq), '[]'::jsonb)::text
                      from events where user_id = ?""", userId));
            if (PrivacyVerification.exists(db, "experiment_assignments")) {
                doc.put("experimentAssignments", json(c, """
                        select coalesce(jsonb_agg(jsonb_build_object('experiment', e.name, 'variant', v.name,
                                   'assignedAt', a.assigned_at) order by a.assigned_at), '[]'::jsonb)::text
                          from experiment_assignments a join experiments e on e.id = a.experiment_id
                          join experiment_variants v on v.id = a.variant_id where a.user_id = ?""", userId));
            }
            if (PrivacyVerification.exists(db, "exposures")) {
                // V4: every recommendation shown (generic: the table's own columns, whatever they become)
                doc.put("exposures", json(c, """
                        select coalesce(jsonb_agg(to_jsonb(x) - 'user_id'), '[]'::jsonb)::text
                          from exposures x where x.user_id = ?""", userId));
            }
            return null;
        });
        List<Map<String, Object>> models = new ArrayList<>();
        for (PrivacyArtifacts.Hit hit : artifacts.containing(userId)) {
            for (long id : hit.modelIds()) {
                models.add(Jdbc.query(db, """
                        select id, name, version, model_type, status, created_at from models where id = ?""",
                        ps -> ps.setLong(1, id), rs -> {
                            rs.next();
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("modelId", rs.getLong(1));
                            m.put("name", rs.getString(2));
                            m.put("version", rs.getInt(3));
                            m.put("modelType", rs.getString(4));
                            m.put("status", rs.getString(5));
                            m.put("trainedAt", rs.getTimestamp(6).toInstant().toString());
                            m.put("holdsPerUserWeights", hit.perUserWeights());
                            return m;
                        }));
            }
        }
        doc.put("modelsTrainedOnTheirData", models);
        String text = Json.write(doc);
        Jdbc.update(db, """
                insert into privacy_exports (request_id, document, expires_at) values (?, ?::jsonb, now() + make_interval(secs => ?))
                on conflict (request_id) do update set document = excluded.document, created_at = now(),
                                                       expires_at = excluded.expires_at""", ps -> {
            ps.setLong(1, requestId);
            ps.setString(2, text);
            ps.setDouble(3, config.exportRetention().toSeconds());
        });
        return text.length();
    }

    private static Object json(Connection c, String sql, String userId) throws Exception {
        String s = Jdbc.query(c, sql, ps -> ps.setString(1, userId), rs -> rs.next() ? rs.getString(1) : null);
        return s == null ? null : Json.MAPPER.readValue(s, Object.class);
    }
}
