package dev.penchant.training.queue;

import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;
import dev.penchant.training.store.TransactionStep;

import javax.sql.DataSource;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.penchant.training.store.Jdbc.instant;

/**
 * The training job queue in PostgreSQL, safe for any number of workers on any number of nodes. Every
 * worker operation is one SQL statement (atomic on its own); submit and cancel take a caller's
 * {@link TransactionStep} (the audit row) into their transaction; completion, which spans tables,
 * lives in {@link JobCompletion}.
 *
 * Ownership: a claim writes worker_id and counts the attempt; heartbeats, failure, cancellation and
 * completion are conditioned on (id, worker_id, attempts, status = running), a lease fenced by the
 * attempt. A worker that stopped heartbeating for longer than the timeout loses its job to the next
 * claimer (even a later claim by the same worker id is a new attempt), and its later writes match no row.
 */
public final class JobQueue {
    /** What a heartbeat learned about the job. */
    public enum Heartbeat { OWNED, CANCEL_REQUESTED, LOST }

    /** What a cancel request did. */
    public enum CancelOutcome { NOT_FOUND, ALREADY_FINISHED, CANCELLED, REQUESTED }

    public static final List<String> STATUSES = List.of("queued", "running", "succeeded", "failed", "cancelled");

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

    public long submit(DatasetFilter dataset, String modelType, Map<String, String> hyperparameters, long seed) {
        return submit(dataset, null, modelType, hyperparameters, seed, null, id -> TransactionStep.NONE);
    }

    public long submit(DatasetFilter dataset, String modelType, Map<String, String> hyperparameters, long seed,
                       String submittedBy, java.util.function.LongFunction<TransactionStep> also) {
        return submit(dataset, null, modelType, hyperparameters, seed, submittedBy, also);
    }

    /**
     * Queues a job whose model will be registered as {@code name} (null: the model type); {@code also}
     * gets the new id and runs in the same transaction (the audit row).
     */
    public long submit(DatasetFilter dataset, String name, String modelType, Map<String, String> hyperparameters, long seed,
                       String submittedBy, java.util.function.LongFunction<TransactionStep> also) {
        return Jdbc.inTransaction(db, c -> {
            long id = Jdbc.query(c, """
                    insert into training_jobs (dataset, name, model_type, hyperparameters, seed, submitted_by)
                    values (?::jsonb, coalesce(?, ?), ?, ?::jsonb, ?, ?) returning id""", ps -> {
                ps.setString(1, dataset.toJson());
                ps.setString(2, name);
                ps.setString(3, modelType);
                ps.setString(4, modelType);
                ps.setString(5, Json.write(hyperparameters));
                ps.setLong(6, seed);
                ps.setString(7, submittedBy);
            }, rs -> {
                rs.next();
                return rs.getLong(1);
            });
            also.apply(id).run(c);
            return id;
        });
    }

    /**
     * Claims the oldest queued job, or a running one whose worker stopped heartbeating and that still
     * has attempts left. One statement: the row lock taken by FOR UPDATE SKIP LOCKED makes concurrent
     * claimers pick different rows without waiting on each other.
     */
    public Optional<ClaimedJob> claim(String workerId) {
        return Jdbc.query(db, """
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
                returning id, dataset::text, model_type, hyperparameters::text, seed, attempts, name""", ps -> {
            ps.setString(1, workerId);
            ps.setDouble(2, seconds(heartbeatTimeout));
            ps.setInt(3, maxAttempts);
        }, rs -> rs.next()
                ? Optional.of(new ClaimedJob(rs.getLong(1), workerId, DatasetFilter.fromJson(rs.getString(2)),
                        rs.getString(3), Json.stringMap(rs.getString(4)), rs.getLong(5), rs.getInt(6), rs.getString(7)))
                : Optional.empty());
    }

    /**
     * Settles jobs whose worker died and that will not be claimed again: out of attempts -> failed,
     * cancel requested -> cancelled. Any worker may run it; returns the rows changed.
     */
    public int settleAbandoned() {
        return Jdbc.update(db, """
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
    public Heartbeat heartbeat(ClaimedJob job, Map<String, Object> progress, List<Epoch> epochs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Epoch e : epochs) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("epoch", e.epoch());
            r.put("loss", e.loss());
            r.put("metrics", e.metrics());
            rows.add(r);
        }
        Boolean cancel = Jdbc.query(db, """
                with job as (
                    update training_jobs set heartbeat_at = now(), progress = ?::jsonb
                     where id = ? and worker_id = ? and attempts = ? and status = 'running'
                 returning id, cancel_requested),
                epochs as (
                    insert into training_job_epochs (job_id, epoch, loss, metrics)
                    select job.id, e.epoch, e.loss, coalesce(e.metrics, '{}'::jsonb)
                      from job, jsonb_to_recordset(?::jsonb) as e(epoch int, loss double precision, metrics jsonb)
                    on conflict (job_id, epoch) do update
                       set loss = excluded.loss, metrics = excluded.metrics, logged_at = now())
                select cancel_requested from job""", ps -> {
            ps.setString(1, Json.write(progress));
            ps.setLong(2, job.id());
            ps.setString(3, job.workerId());
            ps.setInt(4, job.attempts());
            ps.setString(5, Json.write(rows));
        }, rs -> rs.next() ? rs.getBoolean(1) : null);
        if (cancel == null) return Heartbeat.LOST;
        return cancel ? Heartbeat.CANCEL_REQUESTED : Heartbeat.OWNED;
    }

    /** Records a failure with the one-line message clients see; false when the job was no longer ours. */
    public boolean fail(ClaimedJob job, String error) {
        return Jdbc.update(db, """
                update training_jobs set status = 'failed', error = ?, finished_at = now(), heartbeat_at = now()
                 where id = ? and worker_id = ? and attempts = ? and status = 'running'""", ps -> {
            ps.setString(1, error);
            ps.setLong(2, job.id());
            ps.setString(3, job.workerId());
            ps.setInt(4, job.attempts());
        }) == 1;
    }

    /** The worker stopped training on request; false when the job was no longer ours. */
    public boolean markCancelled(ClaimedJob job, Map<String, Object> progress) {
        return Jdbc.update(db, """
                update training_jobs set status = 'cancelled', progress = ?::jsonb, finished_at = now(),
                       heartbeat_at = now()
                 where id = ? and worker_id = ? and attempts = ? and status = 'running'""", ps -> {
            ps.setString(1, Json.write(progress));
            ps.setLong(2, job.id());
            ps.setString(3, job.workerId());
            ps.setInt(4, job.attempts());
        }) == 1;
    }

    /** Hands a running job back to the queue (graceful shutdown); the attempt is not counted. */
    public boolean release(ClaimedJob job) {
        return Jdbc.update(db, """
                update training_jobs set status = 'queued', worker_id = null, heartbeat_at = null,
                       attempts = greatest(attempts - 1, 0)
                 where id = ? and worker_id = ? and attempts = ? and status = 'running'""", ps -> {
            ps.setLong(1, job.id());
            ps.setString(2, job.workerId());
            ps.setInt(3, job.attempts());
        }) == 1;
    }

    public CancelOutcome requestCancel(long id) {
        return requestCancel(id, TransactionStep.NONE);
    }

    /**
     * A queued job is cancelled at once; a running one is flagged and its worker stops at the next
     * heartbeat. {@code also} runs in the same transaction when the request changed something.
     */
    public CancelOutcome requestCancel(long id, TransactionStep also) {
        return Jdbc.inTransaction(db, c -> {
            String status = Jdbc.query(c, """
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
            CancelOutcome outcome = status == null ? CancelOutcome.NOT_FOUND : switch (status) {
                case "cancelled" -> CancelOutcome.CANCELLED;
                case "running" -> CancelOutcome.REQUESTED;
                default -> CancelOutcome.ALREADY_FINISHED;
            };
            if (outcome == CancelOutcome.CANCELLED || outcome == CancelOutcome.REQUESTED) also.run(c);
            return outcome;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // reads for the API

    /** A job as the API shows it. */
    public record JobView(long id, Map<String, Object> dataset, String name, String modelType, Map<String, Object> hyperparameters,
                          long seed, String status, boolean cancelRequested, String workerId, int attempts,
                          Instant heartbeatAt, Map<String, Object> progress, Map<String, Object> report, String error,
                          String submittedBy, Instant createdAt, Instant startedAt, Instant finishedAt, Long modelId,
                          List<EpochView> epochs) {
    }

    public record EpochView(int epoch, Double loss, Map<String, Object> metrics, Instant loggedAt) {
    }

    private static final String VIEW_COLUMNS = """
            j.id, j.dataset::text, j.model_type, j.hyperparameters::text, j.seed, j.status, j.cancel_requested,
            j.worker_id, j.attempts, j.heartbeat_at, j.progress::text, j.report::text, j.error, j.submitted_by,
            j.created_at, j.started_at, j.finished_at, (select m.id from models m where m.job_id = j.id), j.name""";

    public Optional<JobView> find(long id) {
        Optional<JobView> job = Jdbc.query(db, "select " + VIEW_COLUMNS + " from training_jobs j where j.id = ?",
                ps -> ps.setLong(1, id), rs -> rs.next() ? Optional.of(view(rs, null)) : Optional.empty());
        if (job.isEmpty()) return job;
        List<EpochView> epochs = Jdbc.query(db, """
                select epoch, loss, metrics::text, logged_at from training_job_epochs where job_id = ? order by epoch""",
                ps -> ps.setLong(1, id), rs -> {
                    List<EpochView> out = new ArrayList<>();
                    while (rs.next()) {
                        double l = rs.getDouble(2);
                        Double loss = rs.wasNull() ? null : l;
                        out.add(new EpochView(rs.getInt(1), loss, Json.objectMap(rs.getString(3)),
                                instant(rs.getTimestamp(4))));
                    }
                    return out;
                });
        JobView j = job.get();
        return Optional.of(new JobView(j.id(), j.dataset(), j.name(), j.modelType(), j.hyperparameters(), j.seed(), j.status(),
                j.cancelRequested(), j.workerId(), j.attempts(), j.heartbeatAt(), j.progress(), j.report(), j.error(),
                j.submittedBy(), j.createdAt(), j.startedAt(), j.finishedAt(), j.modelId(), epochs));
    }

    /** Newest first; status null for all. */
    public List<JobView> list(String status, int limit) {
        return Jdbc.query(db, "select " + VIEW_COLUMNS + " from training_jobs j where (?::text is null or j.status = ?)"
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

    /** The report a finished job recorded (its results hold the baselines), if any. */
    public Optional<Map<String, Object>> report(long jobId) {
        return Jdbc.query(db, "select report::text from training_jobs where id = ?", ps -> ps.setLong(1, jobId),
                rs -> rs.next() && rs.getString(1) != null ? Optional.of(Json.objectMap(rs.getString(1))) : Optional.empty());
    }

    /** Jobs per status (every status present, zeros included). */
    public Map<String, Long> countByStatus() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : STATUSES) out.put(s, 0L);
        Jdbc.query(db, "select status, count(*) from training_jobs group by status", Jdbc.NONE, rs -> {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
            return null;
        });
        return out;
    }

    private static JobView view(ResultSet rs, List<EpochView> epochs) throws SQLException {
        return new JobView(rs.getLong(1), Json.objectMap(rs.getString(2)), rs.getString(19), rs.getString(3), Json.objectMap(rs.getString(4)),
                rs.getLong(5), rs.getString(6), rs.getBoolean(7), rs.getString(8), rs.getInt(9),
                instant(rs.getTimestamp(10)), Json.objectMap(rs.getString(11)),
                rs.getString(12) == null ? null : Json.objectMap(rs.getString(12)), rs.getString(13), rs.getString(14),
                instant(rs.getTimestamp(15)), instant(rs.getTimestamp(16)), instant(rs.getTimestamp(17)),
                Jdbc.nullableLong(rs, 18), epochs);
    }

    static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
