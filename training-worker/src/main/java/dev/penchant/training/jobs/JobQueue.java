package dev.penchant.training.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The training job queue in PostgreSQL, safe for any number of workers on any number of nodes. Every
 * operation is one SQL statement (atomic on its own), so it needs no transaction manager and also runs
 * from a plain JVM; completion, which spans tables, lives in {@code JobCompletion}.
 *
 * Ownership: a claim writes worker_id; heartbeats, failure and cancellation are conditioned on
 * (id, worker_id, status = running). A worker that stopped heartbeating for longer than the timeout
 * loses its job to the next claimer, and its later writes match no row.
 */
public final class JobQueue {
    /** What a heartbeat learned about the job. */
    public enum Heartbeat { OWNED, CANCEL_REQUESTED, LOST }

    /** What a cancel request did. */
    public enum CancelOutcome { NOT_FOUND, ALREADY_FINISHED, CANCELLED, REQUESTED }

    static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource db;
    private final Duration heartbeatTimeout;
    private final int maxAttempts;

    public JobQueue(DataSource db, Duration heartbeatTimeout, int maxAttempts) {
        this.db = db;
        this.heartbeatTimeout = heartbeatTimeout;
        this.maxAttempts = maxAttempts;
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public long submit(String dataset, String modelType, Map<String, String> hyperparameters, long seed) {
        return query("""
                insert into training_jobs (dataset, model_type, hyperparameters, seed)
                values (?, ?, ?::jsonb, ?) returning id""", ps -> {
            ps.setString(1, dataset);
            ps.setString(2, modelType);
            ps.setString(3, json(hyperparameters));
            ps.setLong(4, seed);
        }, rs -> rs.next() ? rs.getLong(1) : -1L);
    }

    /**
     * Claims the oldest queued job, or a running one whose worker stopped heartbeating and that still
     * has attempts left. One statement: the row lock taken by FOR UPDATE SKIP LOCKED makes concurrent
     * claimers pick different rows without waiting on each other.
     */
    public Optional<ClaimedJob> claim(String workerId) {
        return query("""
                update training_jobs
                   set status = 'running', worker_id = ?, attempts = attempts + 1, heartbeat_at = now(),
                       started_at = now(), error = null, progress = '{}'::jsonb
                 where id = (select id from training_jobs
                              where (status = 'queued' and not cancel_requested)
                                 or (status = 'running' and heartbeat_at < now() - make_interval(secs => ?)
                                     and attempts < ? and not cancel_requested)
                              order by created_at, id
                              for update skip locked
                              limit 1)
                returning id, dataset, model_type, hyperparameters::text, seed, attempts""", ps -> {
            ps.setString(1, workerId);
            ps.setDouble(2, seconds(heartbeatTimeout));
            ps.setInt(3, maxAttempts);
        }, rs -> rs.next()
                ? Optional.of(new ClaimedJob(rs.getLong(1), workerId, rs.getString(2), rs.getString(3),
                        stringMap(rs.getString(4)), rs.getLong(5), rs.getInt(6)))
                : Optional.empty());
    }

    /**
     * Settles jobs whose worker died and that will not be claimed again: out of attempts -> failed,
     * cancel requested -> cancelled. Any worker may run it; returns the rows changed.
     */
    public int settleAbandoned() {
        return update("""
                update training_jobs
                   set status = case when cancel_requested then 'cancelled' else 'failed' end,
                       error = case when cancel_requested then error
                                    else format('worker %s stopped heartbeating; gave up after %s attempts',
                                                worker_id, attempts) end,
                       finished_at = now()
                 where status = 'running' and heartbeat_at < now() - make_interval(secs => ?)
                   and (attempts >= ? or cancel_requested)""", ps -> {
            ps.setDouble(1, seconds(heartbeatTimeout));
            ps.setInt(2, maxAttempts);
        });
    }

    /**
     * Writes heartbeat_at, the latest progress and the finished epochs in one statement, only while the
     * job is still this worker's. LOST means another worker took it over (or it was settled): stop.
     */
    public Heartbeat heartbeat(ClaimedJob job, Map<String, Object> progress, List<JobProgress.Epoch> epochs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JobProgress.Epoch e : epochs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", e.epoch());
            r.put("loss", e.loss());
            r.put("metrics", e.metrics());
            rows.add(r);
        }
        Boolean cancel = query("""
                with job as (
                    update training_jobs set heartbeat_at = now(), progress = ?::jsonb
                     where id = ? and worker_id = ? and status = 'running'
                 returning id, cancel_requested),
                epochs as (
                    insert into training_job_epochs (job_id, epoch, loss, metrics)
                    select job.id, e.epoch, e.loss, coalesce(e.metrics, '{}'::jsonb)
                      from job, jsonb_to_recordset(?::jsonb) as e(epoch int, loss double precision, metrics jsonb)
                    on conflict (job_id, epoch) do update
                       set loss = excluded.loss, metrics = excluded.metrics, logged_at = now())
                select cancel_requested from job""", ps -> {
            ps.setString(1, json(progress));
            ps.setLong(2, job.id());
            ps.setString(3, job.workerId());
            ps.setString(4, json(rows));
        }, rs -> rs.next() ? rs.getBoolean(1) : null);
        if (cancel == null) return Heartbeat.LOST;
        return cancel ? Heartbeat.CANCEL_REQUESTED : Heartbeat.OWNED;
    }

    /** Records a failure; false when the job was no longer ours. */
    public boolean fail(ClaimedJob job, String error) {
        return update("""
                update training_jobs set status = 'failed', error = ?, finished_at = now(), heartbeat_at = now()
                 where id = ? and worker_id = ? and status = 'running'""", ps -> {
            ps.setString(1, error);
            ps.setLong(2, job.id());
            ps.setString(3, job.workerId());
        }) == 1;
    }

    /** The worker stopped training on request; false when the job was no longer ours. */
    public boolean markCancelled(ClaimedJob job, Map<String, Object> progress) {
        return update("""
                update training_jobs set status = 'cancelled', progress = ?::jsonb, finished_at = now(),
                       heartbeat_at = now()
                 where id = ? and worker_id = ? and status = 'running'""", ps -> {
            ps.setString(1, json(progress));
            ps.setLong(2, job.id());
            ps.setString(3, job.workerId());
        }) == 1;
    }

    /** Hands a running job back to the queue (graceful shutdown); the attempt is not counted. */
    public boolean release(ClaimedJob job) {
        return update("""
                update training_jobs set status = 'queued', worker_id = null, heartbeat_at = null,
                       attempts = greatest(attempts - 1, 0)
                 where id = ? and worker_id = ? and status = 'running'""", ps -> {
            ps.setLong(1, job.id());
            ps.setString(2, job.workerId());
        }) == 1;
    }

    /** A queued job is cancelled at once; a running one is flagged and its worker stops at the next heartbeat. */
    public CancelOutcome requestCancel(long id) {
        String status = query("""
                with prev as (select id, status from training_jobs where id = ? for update),
                upd as (
                    update training_jobs j
                       set cancel_requested = true,
                           status = case when j.status = 'queued' then 'cancelled' else j.status end,
                           finished_at = case when j.status = 'queued' then now() else j.finished_at end
                      from prev where j.id = prev.id and prev.status in ('queued', 'running')
                 returning j.status)
                select coalesce((select status from upd), 'finished:' || (select status from prev))""",
                ps -> ps.setLong(1, id), rs -> rs.next() ? rs.getString(1) : null);
        if (status == null) return CancelOutcome.NOT_FOUND;
        return switch (status) {
            case "cancelled" -> CancelOutcome.CANCELLED;
            case "running" -> CancelOutcome.REQUESTED;
            default -> CancelOutcome.ALREADY_FINISHED;
        };
    }

    // ---------------------------------------------------------------------------------------------
    // reads for the API

    /** A job as the API shows it. */
    public record JobView(long id, String dataset, String modelType, Map<String, Object> hyperparameters, long seed,
                          String status, boolean cancelRequested, String workerId, int attempts, Instant heartbeatAt,
                          Map<String, Object> progress, Map<String, Object> report, String error, Instant createdAt,
                          Instant startedAt, Instant finishedAt, Long modelId, List<EpochView> epochs) {
    }

    public record EpochView(int epoch, Double loss, Map<String, Object> metrics, Instant loggedAt) {
    }

    private static final String VIEW_COLUMNS = """
            j.id, j.dataset, j.model_type, j.hyperparameters::text, j.seed, j.status, j.cancel_requested,
            j.worker_id, j.attempts, j.heartbeat_at, j.progress::text, j.report::text, j.error, j.created_at,
            j.started_at, j.finished_at, (select m.id from models m where m.job_id = j.id)""";

    public Optional<JobView> find(long id) {
        Optional<JobView> job = query("select " + VIEW_COLUMNS + " from training_jobs j where j.id = ?",
                ps -> ps.setLong(1, id), rs -> rs.next() ? Optional.of(view(rs, null)) : Optional.empty());
        if (job.isEmpty()) return job;
        List<EpochView> epochs = query("""
                select epoch, loss, metrics::text, logged_at from training_job_epochs where job_id = ? order by epoch""",
                ps -> ps.setLong(1, id), rs -> {
                    List<EpochView> out = new ArrayList<>();
                    while (rs.next()) {
                        double l = rs.getDouble(2);
                        Double loss = rs.wasNull() ? null : l;
                        out.add(new EpochView(rs.getInt(1), loss, objectMap(rs.getString(3)),
                                instant(rs.getTimestamp(4))));
                    }
                    return out;
                });
        JobView j = job.get();
        return Optional.of(new JobView(j.id(), j.dataset(), j.modelType(), j.hyperparameters(), j.seed(), j.status(),
                j.cancelRequested(), j.workerId(), j.attempts(), j.heartbeatAt(), j.progress(), j.report(), j.error(),
                j.createdAt(), j.startedAt(), j.finishedAt(), j.modelId(), epochs));
    }

    /** Newest first; status null for all. */
    public List<JobView> list(String status, int limit) {
        return query("select " + VIEW_COLUMNS + " from training_jobs j where (?::text is null or j.status = ?)"
                + " order by j.created_at desc, j.id desc limit ?", ps -> {
            ps.setString(1, status);
            ps.setString(2, status);
            ps.setInt(3, limit);
        }, rs -> {
            List<JobView> out = new ArrayList<>();
            while (rs.next()) out.add(view(rs, null));
            return out;
        });
    }

    private static JobView view(ResultSet rs, List<EpochView> epochs) throws SQLException {
        long modelId = rs.getLong(17);
        Long model = rs.wasNull() ? null : modelId;
        return new JobView(rs.getLong(1), rs.getString(2), rs.getString(3), objectMap(rs.getString(4)), rs.getLong(5),
                rs.getString(6), rs.getBoolean(7), rs.getString(8), rs.getInt(9), instant(rs.getTimestamp(10)),
                objectMap(rs.getString(11)), rs.getString(12) == null ? null : objectMap(rs.getString(12)),
                rs.getString(13), instant(rs.getTimestamp(14)), instant(rs.getTimestamp(15)),
                instant(rs.getTimestamp(16)), model, epochs);
    }

    // ---------------------------------------------------------------------------------------------
    // small JDBC helpers

    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String sql, Binder binder, Reader<T> reader) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        } catch (SQLException e) {
            throw new JobQueueException(e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new JobQueueException(e);
        }
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Map<String, Object> objectMap(String json) {
        if (json == null) return null;
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad json in database: " + json, e);
        }
    }

    /** Hyperparameters are stored as a JSON object; the core reads them as strings. */
    static Map<String, String> stringMap(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JSON.readTree(json).properties().forEach(e -> {
                JsonNode v = e.getValue();
                out.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad hyperparameters in database: " + json, e);
        }
        return out;
    }

    /** A database error in a queue operation. */
    public static final class JobQueueException extends RuntimeException {
        JobQueueException(SQLException e) {
            super(e.getMessage(), e);
        }
    }
}
