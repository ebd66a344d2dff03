package dev.penchant.support.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * Writes audit rows (table audit_log): who (the identity's actor, "key:NAME" / "user:NAME"), did what
 * (an action such as "api-key.revoked"), to what (subject: a key or user name, a model or job id),
 * when, with details. Always on the caller's connection, inside the transaction of the change it
 * records, so the change and its row commit together; reactive and JDBC callers alike. Subjects and
 * details never hold an end user's id (the privacy workflow requires the log to be free of them).
 */
public final class AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    // text first: the reactive client sends a String bound to a jsonb parameter as a JSON string value
    private static final String INSERT_REACTIVE =
            "insert into audit_log (actor, action, subject, details) values ($1, $2, $3, $4::text::jsonb)";
    private static final String INSERT_JDBC =
            "insert into audit_log (actor, action, subject, details) values (?, ?, ?, ?::jsonb)";

    /** One audit row. */
    public record Entry(String actor, String action, String subject, Map<String, Object> details) {
        public Entry {
            details = details == null ? Map.of() : details;
        }
    }

    private AuditLog() {
    }

    public static Uni<Void> write(SqlClient client, Entry e) {
        return client.preparedQuery(INSERT_REACTIVE).execute(Tuple.of(e.actor(), e.action(), e.subject(), json(e)))
                .replaceWithVoid();
    }

    public static void write(Connection c, Entry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_JDBC)) {
            ps.setString(1, e.actor());
            ps.setString(2, e.action());
            ps.setString(3, e.subject());
            ps.setString(4, json(e));
            ps.executeUpdate();
        }
    }

    private static String json(Entry e) {
        try {
            return JSON.writeValueAsString(e.details());
        } catch (JsonProcessingException ex) {
            throw new IllegalArgumentException(ex);
        }
    }
}
