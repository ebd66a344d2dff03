package dev.penchant.api.privacy;

import dev.penchant.support.audit.AuditLog;
import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** privacy_requests as the API reads and creates them (JDBC, worker threads). */
@Singleton
public class PrivacyRequests {
    public static final List<String> STATUSES = List.of("received", "in_progress", "completed", "failed");
    public static final List<String> KINDS = List.of("delete", "export");

    private final AgroalDataSource db;
    private final PrivacyHash hash;
    private final PrivacyConfig config;

    public PrivacyRequests(AgroalDataSource db, PrivacyHash hash, PrivacyConfig config) {
        this.db = db;
        this.hash = hash;
        this.config = config;
    }

    /** A request as the API shows it: never the user id, only whether the request still holds it. */
    public record View(long id, String kind, String status, String step, Instant requestedAt, Instant deadline,
                       Instant startedAt, Instant completedAt, Instant updatedAt, boolean overdue, int attempts,
                       Map<String, Object> counts, Map<String, Object> verification, String error, String requestedBy,
                       String subjectHash) {
    }

    /** @param created false when an open request of this kind for the user existed and is returned */
    public record Created(View request, boolean created) {
    }

    /**
     * Creates a request, or returns the open one for the same user and kind (the partial unique index
     * privacy_requests_open_idx makes concurrent POSTs agree on one row). Audited, without the user id.
     */
    public Created create(String kind, String userId, String actor) {
        String subject = hash.subject(userId);
        return Jdbc.inTransaction(db, c -> {
            Long id = Jdbc.query(c, """
                    insert into privacy_requests (subject_hash, user_id, kind, status, requested_at, deadline,
                                                  requested_by, counts)
                    values (?, ?, ?, 'received', now(), now() + ?::interval, ?, '{}'::jsonb)
                    on conflict (subject_hash, kind) where status in ('received', 'in_progress') do nothing
                    returning id""", ps -> {
                ps.setString(1, subject);
                ps.setString(2, userId);
                ps.setString(3, kind);
                ps.setString(4, config.deadline().toString());
                ps.setString(5, actor);
            }, rs -> rs.next() ? rs.getLong(1) : null);
            boolean created = id != null;
            if (!created) {
                id = Jdbc.query(c, """
                        select id from privacy_requests where subject_hash = ? and kind = ?
                           and status in ('received', 'in_progress')""", ps -> {
                    ps.setString(1, subject);
                    ps.setString(2, kind);
                }, rs -> rs.next() ? rs.getLong(1) : null);
                if (id == null) throw new IllegalStateException("open request vanished; retry");
            } else {
                audit(c, actor, "privacy-request.received", id, subject, Map.of("kind", kind));
            }
            long found = id;
            return new Created(find(c, found).orElseThrow(), created);
        });
    }

    /**
     * An audit row about a request: the subject is the request id, user_id the keyed hash (never the id;
     * AuditLog leaves user_id to the privacy workflow).
     */
    static void audit(java.sql.Connection c, String actor, String action, long requestId, String subjectHash,
                      Map<String, Object> details) throws SQLException {
        AuditLog.write(c, new AuditLog.Entry(actor, action, Long.toString(requestId), details));
        Jdbc.update(c, "update audit_log set user_id = ? where id = currval(pg_get_serial_sequence('audit_log', 'id'))",
                ps -> ps.setString(1, subjectHash));
    }

    static final String COLUMNS = """
            id, kind, status, step, requested_at, deadline, started_at, completed_at, updated_at,
            (status in ('received', 'in_progress') and deadline < now()) as overdue, attempts, counts::text,
            verification::text, error, requested_by, subject_hash""";

    public Optional<View> find(long id) {
        try (var c = db.getConnection()) {
            return find(c, id);
        } catch (SQLException e) {
            throw new dev.penchant.training.store.StoreException(e);
        }
    }

    Optional<View> find(java.sql.Connection c, long id) throws SQLException {
        return Jdbc.query(c, "select " + COLUMNS + " from privacy_requests where id = ?", ps -> ps.setLong(1, id),
                rs -> rs.next() ? Optional.of(view(rs)) : Optional.empty());
    }

    /**
     * Newest first, keyset-paged on (requested_at, id). overdue: open past the deadline, or failed
     * (both need someone's attention); null for no filter.
     */
    public List<View> list(String status, Boolean overdue, Instant beforeTime, Long beforeId, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from privacy_requests where true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" and status = ?");
            args.add(status);
        }
        if (overdue != null) {
            sql.append(overdue ? " and (status = 'failed' or (status in ('received', 'in_progress') and deadline < now()))"
                    : " and not (status = 'failed' or (status in ('received', 'in_progress') and deadline < now()))");
        }
        if (beforeTime != null) {
            sql.append(" and (requested_at, id) < (?, ?)");
            args.add(Timestamp.from(beforeTime));
            args.add(beforeId);
        }
        sql.append(" order by requested_at desc, id desc limit ?");
        args.add(limit);
        return Jdbc.query(db, sql.toString(), ps -> {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
        }, rs -> {
            List<View> out = new ArrayList<>();
            while (rs.next()) out.add(view(rs));
            return out;
        });
    }

    /** The export document of a completed export request; empty when none (yet, or expired, or deleted). */
    public Optional<String> exportDocument(long id) {
        return Jdbc.query(db, "select document::text from privacy_exports where request_id = ? and expires_at > now()",
                ps -> ps.setLong(1, id), rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.empty());
    }

    /** Counts for the metrics: open past deadline, failed. */
    public long[] attention() {
        return Jdbc.query(db, """
                select count(*) filter (where status in ('received', 'in_progress') and deadline < now()),
                       count(*) filter (where status = 'failed'),
                       count(*) filter (where status in ('received', 'in_progress'))
                  from privacy_requests""", Jdbc.NONE, rs -> {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        });
    }

    static View view(ResultSet rs) throws SQLException {
        String v = rs.getString(13);
        return new View(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Jdbc.instant(rs.getTimestamp(5)),
                Jdbc.instant(rs.getTimestamp(6)), Jdbc.instant(rs.getTimestamp(7)), Jdbc.instant(rs.getTimestamp(8)),
                Jdbc.instant(rs.getTimestamp(9)), rs.getBoolean(10), rs.getInt(11), Json.objectMap(rs.getString(12)),
                v == null ? null : Json.objectMap(v), rs.getString(14), rs.getString(15), rs.getString(16));
    }
}
