package dev.penchant.api.privacy;

import dev.penchant.training.store.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The proof of a deletion: every column of every table that can hold a user id, discovered from
 * information_schema by name ({@link UserDataRegistry#USER_ID_LIKE}: text compared, arrays searched,
 * JSON values searched at any depth), counted for the user; plus every model artifact's model.json.
 * Only the request's own open rows (their user_id is cleared by the complete step) are not residue.
 */
@Singleton
public class PrivacyVerification {
    private final AgroalDataSource db;
    private final PrivacyArtifacts artifacts;

    public PrivacyVerification(AgroalDataSource db, PrivacyArtifacts artifacts) {
        this.db = db;
        this.artifacts = artifacts;
    }

    /** A user-id-like column of the live schema. kind: text, array or json. */
    public record Discovered(String table, String column, String kind) {
    }

    public record Result(Map<String, Long> residue, long artifacts, int columnsScanned, int artifactsScanned) {
        public boolean clean() {
            return artifacts == 0 && residue.values().stream().allMatch(n -> n == 0);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("clean", clean());
            m.put("residue", residue);
            m.put("artifactsWithUser", artifacts);
            m.put("columnsScanned", columnsScanned);
            m.put("artifactsScanned", artifactsScanned);
            return m;
        }
    }

    /**
     * The user-id-like columns of the current schema's tables (partitions excluded: their parent is
     * scanned), as information_schema names them.
     */
    public static List<Discovered> discover(DataSource db) {
        return Jdbc.query(db, """
                select col.table_name, col.column_name,
                       case when col.data_type = 'ARRAY' then 'array'
                            when col.data_type in ('json', 'jsonb') then 'json' else 'text' end
                  from information_schema.columns col
                  join information_schema.tables t
                    on t.table_schema = col.table_schema and t.table_name = col.table_name and t.table_type = 'BASE TABLE'
                  join pg_class pc on pc.relname = col.table_name
                   and pc.relnamespace = (select oid from pg_namespace where nspname = col.table_schema)
                 where col.table_schema = current_schema() and not pc.relispartition
                   and (col.data_type in ('text', 'character varying', 'character', 'json', 'jsonb')
                        or (col.data_type = 'ARRAY' and col.udt_name in ('_text', '_varchar')))
                   and """ + UserDataRegistry.USER_ID_LIKE.replace("column_name", "col.column_name") + """
                 order by 1, 2""", Jdbc.NONE, rs -> {
            List<Discovered> out = new ArrayList<>();
            while (rs.next()) out.add(new Discovered(rs.getString(1), rs.getString(2), rs.getString(3)));
            return out;
        });
    }

    static boolean exists(DataSource db, String table) {
        return Jdbc.query(db, "select to_regclass(?) is not null", ps -> ps.setString(1, table), rs -> {
            rs.next();
            return rs.getBoolean(1);
        });
    }

    public Result scan(String userId, String subjectHash) {
        Map<String, Long> residue = new LinkedHashMap<>();
        List<Discovered> columns = discover(db);
        for (Discovered d : columns) {
            String match = switch (d.kind()) {
                case "array" -> "? = any(" + q(d.column()) + ")";
                case "json" -> "jsonb_path_exists(" + q(d.column()) + "::jsonb, '$.** ? (@ == $u)', jsonb_build_object('u', ?::text))";
                default -> q(d.column()) + " = ?";
            };
            String sql = "select count(*) from " + q(d.table()) + " where " + match;
            boolean requests = d.table().equals("privacy_requests");
            // the open requests of this subject hold the id until their complete step
            if (requests) sql += " and not (subject_hash = ? and status in ('received', 'in_progress'))";
            String s = sql;
            long n = Jdbc.query(db, s, ps -> {
                ps.setString(1, userId);
                if (requests) ps.setString(2, subjectHash);
            }, rs -> {
                rs.next();
                return rs.getLong(1);
            });
            residue.put(d.table() + "." + d.column(), n);
        }
        // JSON documents that may hold the id in any value: the audit details, export documents
        residue.put("audit_log.details", count("""
                select count(*) from audit_log where jsonb_path_exists(details, '$.** ? (@ == $u)', jsonb_build_object('u', ?::text))""", userId));
        residue.put("privacy_exports.document", count("""
                select count(*) from privacy_exports where jsonb_path_exists(document, '$.** ? (@ == $u)', jsonb_build_object('u', ?::text))""", userId));
        residue.put("privacy_event_tombstones", 0L); // keyed hashes of event ids only
        int scanned = Jdbc.query(db, "select count(*)::int from model_artifacts", Jdbc.NONE, rs -> {
            rs.next();
            return rs.getInt(1);
        });
        long withUser = artifacts.containing(userId).size();
        return new Result(residue, withUser, columns.size() + 2, scanned);
    }

    private long count(String sql, String arg) {
        return Jdbc.query(db, sql, ps -> ps.setString(1, arg), rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    private static String q(String ident) {
        return '"' + ident.replace("\"", "\"\"") + '"';
    }
}
