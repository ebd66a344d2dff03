package dev.penchant.api.privacy;

import dev.penchant.schema.Channels;
import dev.penchant.training.store.Jdbc;
import dev.penchant.training.store.Json;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The deletion and export workflow, durable in privacy_requests: any platform-api node claims an open
 * request whose lease is free or expired (FOR UPDATE SKIP LOCKED, as the training queue claims jobs),
 * renews the lease while it works, and runs the steps after the one the row records. Each step is
 * idempotent and committed on its own (a big step commits in batches), so a node killed anywhere
 * leaves a request the next claimer finishes: at worst it repeats part of one step.
 *
 * Deletion: suppress, events, profile, exposures, audit, models, caches, verify, complete.
 * Export: export, complete.
 */
@Singleton
public class PrivacyWorkflow {
    private static final Logger LOG = Logger.getLogger(PrivacyWorkflow.class);
    public static final List<String> DELETE_STEPS =
            List.of("suppress", "events", "profile", "exposures", "audit", "models", "caches", "verify", "complete");
    public static final List<String> EXPORT_STEPS = List.of("export", "complete");

    private final AgroalDataSource db;
    private final PrivacyConfig config;
    private final PrivacyHash hash;
    private final PrivacyArtifacts artifacts;
    private final PrivacyVerification verification;
    private final PrivacyExport export;
    private final PrivacyMetrics metrics;
    private final String nodeId;
    private ScheduledExecutorService executor;

    /** A claimed request. */
    record Claimed(long id, String kind, String userId, String subject, String step, int attempts) {
    }

    /** The lease was lost to another node (this one stalled past the lease): stop without writing. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(long id) {
            super("lease of privacy request " + id + " lost", null, false, false);
        }
    }

    public PrivacyWorkflow(AgroalDataSource db, PrivacyConfig config, PrivacyHash hash, PrivacyArtifacts artifacts,
                           PrivacyVerification verification, PrivacyExport export, PrivacyMetrics metrics) {
        this.metrics = metrics;
        this.db = db;
        this.config = config;
        this.hash = hash;
        this.artifacts = artifacts;
        this.verification = verification;
        this.export = export;
        this.nodeId = "api-" + ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void onStart(@Observes StartupEvent ev) {
        try {
            List<String> unknown = UserDataRegistry.unknown(PrivacyVerification.discover(db));
            if (!unknown.isEmpty()) {
                LOG.warnf("user-id columns unknown to the privacy registry (deletion verifies them but does not delete): %s",
                        unknown);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not check the schema against the privacy registry: " + e.getMessage());
        }
        if (!config.workflowEnabled()) {
            LOG.info("privacy workflow disabled on this node (penchant.privacy.workflow-enabled=false)");
            return;
        }
        executor = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "privacy-workflow");
            t.setDaemon(true);
            return t;
        });
        long poll = Math.max(50, config.pollInterval().toMillis());
        executor.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) executor.shutdownNow();
    }

    public String nodeId() {
        return nodeId;
    }

    /** One poll: claim and run requests until none is left, then schedule due retrains. */
    void poll() {
        try {
            boolean worked = false;
            for (Optional<Claimed> c = claim(); c.isPresent(); c = claim()) {
                run(c.get());
                worked = true;
            }
            metrics.refresh(worked);
            scheduleDueRetrains();
        } catch (Throwable t) {
            LOG.warn("privacy workflow poll failed: " + t);
        }
    }

    Optional<Claimed> claim() {
        return Jdbc.query(db, """
                update privacy_requests
                   set status = 'in_progress', lease_owner = ?, lease_expires_at = now() + make_interval(secs => ?),
                       attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
                 where id = (select id from privacy_requests
                              where status in ('received', 'in_progress')
                                and (lease_expires_at is null or lease_expires_at < now())
                              order by requested_at, id
                              for update skip locked
                              limit 1)
                returning id, kind, user_id, subject_hash, step, attempts""", ps -> {
            ps.setString(1, nodeId);
            ps.setDouble(2, config.lease().toMillis() / 1000.0);
        }, rs -> rs.next() ? Optional.of(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getInt(6))) : Optional.empty());
    }

    private void run(Claimed r) {
        AtomicBoolean lost = new AtomicBoolean();
        long every = Math.max(100, config.lease().toMillis() / 3);
        ScheduledFuture<?> heartbeat = executor.scheduleWithFixedDelay(() -> {
            try {
                if (!renew(r.id())) lost.set(true);
            } catch (RuntimeException e) {
                LOG.warn("privacy lease renewal failed: " + e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            if (r.userId() == null) throw new IllegalStateException("request has no user id (already finished?)");
            List<String> steps = "delete".equals(r.kind()) ? DELETE_STEPS : EXPORT_STEPS;
            int next = r.step() == null ? 0 : steps.indexOf(r.step()) + 1;
            LOG.infof("privacy request %d (%s): %s, attempt %d", r.id(), r.kind(),
                    next == 0 ? "starting" : "resuming after " + r.step(), r.attempts());
            for (int i = next; i < steps.size(); i++) {
                if (lost.get()) throw new LeaseLost(r.id());
                String step = steps.get(i);
                long t0 = System.nanoTime();
                Map<String, Object> result = runStep(r, step, lost);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                commitStep(r, step, result, ms);
                LOG.debugf("privacy request %d: %s done in %d ms %s", r.id(), step, ms, result);
                if (config.pauseAfterStep().filter(step::equals).isPresent()) {
                    LOG.warnf("privacy request %d paused after %s (penchant.privacy.pause-after-step)", r.id(), step);
                    while (!Thread.currentThread().isInterrupted()) Thread.sleep(1000); // holds the lease until killed
                }
            }
        } catch (LeaseLost e) {
            LOG.warn(e.getMessage() + "; another node continues it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            LOG.warnf(t, "privacy request %d failed (attempt %d)", r.id(), r.attempts());
            failAttempt(r, t);
        } finally {
            heartbeat.cancel(false);
        }
    }

    private boolean renew(long id) {
        return Jdbc.update(db, """
                update privacy_requests set lease_expires_at = now() + make_interval(secs => ?)
                 where id = ? and lease_owner = ? and status = 'in_progress'""", ps -> {
            ps.setDouble(1, config.lease().toMillis() / 1000.0);
            ps.setLong(2, id);
            ps.setString(3, nodeId);
        }) == 1;
    }

    /** Records the step as done (with its result under counts.<step>), only while the lease is ours. */
    private void commitStep(Claimed r, String step, Map<String, Object> result, long ms) {
        Map<String, Object> timed = new LinkedHashMap<>(result);
        timed.put("ms", ms);
        int n = Jdbc.update(db, """
                update privacy_requests
                   set step = ?, counts = counts || jsonb_build_object(?::text, ?::jsonb), updated_at = now()
                 where id = ? and lease_owner = ? and status = 'in_progress'""", ps -> {
            ps.setString(1, step);
            ps.setString(2, step);
            ps.setString(3, Json.write(timed));
            ps.setLong(4, r.id());
            ps.setString(5, nodeId);
        });
        if (n != 1 && !"complete".equals(step)) throw new LeaseLost(r.id());
    }

    private void failAttempt(Claimed r, Throwable t) {
        String msg = t.getClass().getSimpleName() + ": " + t.getMessage();
        boolean last = r.attempts() >= config.maxAttempts();
        Jdbc.update(db, """
                update privacy_requests
                   set error = ?, status = case when ? then 'failed' else status end,
                       -- back off: the next claim waits a few seconds
                       lease_expires_at = case when ? then null else now() + interval '5 seconds' end,
                       lease_owner = case when ? then null else lease_owner end, updated_at = now()
                 where id = ? and lease_owner = ?""", ps -> {
            ps.setString(1, msg.length() > 2000 ? msg.substring(0, 2000) : msg);
            ps.setBoolean(2, last);
            ps.setBoolean(3, last);
            ps.setBoolean(4, last);
            ps.setLong(5, r.id());
            ps.setString(6, nodeId);
        });
    }

    // ---------------------------------------------------------------------------------------------
    // steps: each idempotent (re-running after a crash repeats at most part of it, harmlessly)

    private Map<String, Object> runStep(Claimed r, String step, AtomicBoolean lost) throws Exception {
        return switch (step) {
            case "suppress" -> suppress(r);
            case "events" -> events(r, lost);
            case "profile", "exposures" -> deleteColumns(r, step, lost);
            case "audit" -> audit(r);
            case "models" -> models(r);
            case "caches" -> caches(r, lost);
            case "verify" -> verify(r, lost);
            case "export" -> Map.of("bytes", export.build(r.id(), r.userId()));
            case "complete" -> complete(r);
            default -> throw new IllegalStateException("unknown step " + step);
        };
    }

    /** The suppression list first: from here on ingest refuses or drops the user's new events. */
    private Map<String, Object> suppress(Claimed r) {
        int n = Jdbc.update(db, """
                insert into privacy_suppressions (subject_hash, request_id) values (?, ?)
                on conflict (subject_hash) do update set request_id = excluded.request_id""", ps -> {
            ps.setString(1, r.subject());
            ps.setLong(2, r.id());
        });
        return Map.of("suppressed", n);
    }

    /**
     * Events and their idempotency keys, a batch of penchant.privacy.batch-size per transaction so
     * concurrent ingest is not starved: the keys go (their ids kept as keyed-hash tombstones, so a
     * re-import skips them) together with their events; then a sweep for events without a key.
     */
    private Map<String, Object> events(Claimed r, AtomicBoolean lost) throws SQLException {
        byte[] key = hash.tombstoneKey();
        long events = 0, keys = 0;
        while (true) {
            if (lost.get()) throw new LeaseLost(r.id());
            long b0 = System.nanoTime();
            long[] n = Jdbc.inTransaction(db, c -> Jdbc.query(c, """
                    with gone as (
                        delete from event_keys
                         where event_id in (select event_id from event_keys where user_id = ? limit ?)
                           and user_id = ?
                        returning event_id, occurred_at),
                    tomb as (
                        insert into privacy_event_tombstones (event_hash)
                        select sha256(?::bytea || convert_to(event_id, 'UTF8')) from gone
                        on conflict do nothing),
                    ev as (
                        delete from events e using gone g
                         where e.user_id = ? and e.event_id = g.event_id and e.occurred_at = g.occurred_at
                        returning 1)
                    select (select count(*) from gone), (select count(*) from ev)""", ps -> {
                ps.setString(1, r.userId());
                ps.setInt(2, config.batchSize());
                ps.setString(3, r.userId());
                ps.setBytes(4, key);
                ps.setString(5, r.userId());
            }, rs -> {
                rs.next();
                return new long[]{rs.getLong(1), rs.getLong(2)};
            }));
            keys += n[0];
            events += n[1];
            if (n[0] == 0) break;
            yieldAfter(b0);
        }
        events += deleteBatched(r, "events", "user_id", lost);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", events);
        out.put("eventKeys", keys);
        return out;
    }

    /** Deletes every row of table whose column is the user, in batches (works on partitioned tables). */
    private long deleteBatched(Claimed r, String table, String column, AtomicBoolean lost) {
        if (!PrivacyVerification.exists(db, table)) return 0;
        long total = 0;
        String sql = "delete from " + table + " where " + column + " = ? and (tableoid, ctid) in "
                + "(select tableoid, ctid from " + table + " where " + column + " = ? limit ?)";
        while (true) {
            if (lost.get()) throw new LeaseLost(r.id());
            long b0 = System.nanoTime();
            int n = Jdbc.update(db, sql, ps -> {
                ps.setString(1, r.userId());
                ps.setString(2, r.userId());
                ps.setInt(3, config.batchSize());
            });
            total += n;
            if (n == 0) return total;
            yieldAfter(b0);
        }
    }

    /** Waits penchant.privacy.throttle times as long as the batch begun at b0 took (gives ingest the database). */
    private void yieldAfter(long b0) {
        long pause = (long) ((System.nanoTime() - b0) * config.throttle());
        if (pause <= 0) return;
        try {
            TimeUnit.NANOSECONDS.sleep(Math.min(pause, TimeUnit.SECONDS.toNanos(5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseLost(-1);
        }
    }

    /** profile / exposures: every DELETE column of the registry handled by this step. */
    private Map<String, Object> deleteColumns(Claimed r, String step, AtomicBoolean lost) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (UserDataRegistry.Column col : UserDataRegistry.forStep(step)) {
            if (col.handling() != UserDataRegistry.Handling.DELETE) continue;
            if (!PrivacyVerification.exists(db, col.table())) continue;
            out.put(col.table(), deleteBatched(r, col.table(), col.column(), lost));
        }
        if ("profile".equals(step)) {
            // export documents of this user (earlier export requests) are user data too
            out.put("privacy_exports", Jdbc.update(db, """
                    delete from privacy_exports where request_id in (select id from privacy_requests where subject_hash = ?)""",
                    ps -> ps.setString(1, r.subject())));
        }
        return out;
    }

    /** Audit rows keep the action; the user id (user_id, subject, any JSON value in details) becomes the keyed hash. */
    private Map<String, Object> audit(Claimed r) {
        int n = Jdbc.update(db, """
                update audit_log
                   set user_id = case when user_id = ? then ? else user_id end,
                       subject = case when subject = ? then ? else subject end,
                       details = case when jsonb_path_exists(details, '$.** ? (@ == $u)', jsonb_build_object('u', ?::text))
                                      then replace(details::text, to_jsonb(?::text)::text, to_jsonb(?::text)::text)::jsonb
                                      else details end
                 where user_id = ? or subject = ?
                    or jsonb_path_exists(details, '$.** ? (@ == $u)', jsonb_build_object('u', ?::text))""", ps -> {
            String u = r.userId(), h = r.subject();
            ps.setString(1, u);
            ps.setString(2, h);
            ps.setString(3, u);
            ps.setString(4, h);
            ps.setString(5, u);
            ps.setString(6, u);
            ps.setString(7, h);
            ps.setString(8, u);
            ps.setString(9, u);
            ps.setString(10, u);
        });
        return Map.of("pseudonymised", n);
    }

    /**
     * Every artifact whose model.json lists the user is rewritten without them (the models point at the
     * copy, the original is deleted). A model whose scores read a per-user weight row is also withdrawn
     * from serving (archived: its surface falls back to the previous model or popularity) and retrained
     * at once; the others stay served and are retrained within penchant.privacy.retrain-within.
     */
    private Map<String, Object> models(Claimed r) throws Exception {
        int rewritten = 0, withdrawn = 0;
        boolean servingTable = PrivacyVerification.exists(db, "serving_models");
        for (PrivacyArtifacts.Hit hit : artifacts.containing(r.userId())) {
            rewritten++;
            if (hit.perUserWeights()) withdrawn += hit.modelIds().size();
            Jdbc.inTransaction(db, c -> {
                long copy = artifacts.rewriteWithout(c, hit.artifactId(), r.userId());
                Jdbc.update(c, "update models set artifact_id = ? where artifact_id = ?", ps -> {
                    ps.setLong(1, copy);
                    ps.setLong(2, hit.artifactId());
                });
                Jdbc.update(c, "delete from model_artifacts where id = ?", ps -> ps.setLong(1, hit.artifactId()));
                for (long model : hit.modelIds()) {
                    Long job = null;
                    if (hit.perUserWeights()) {
                        withdraw(c, model, servingTable);
                        job = retrain(c, model);
                    }
                    Long j = job;
                    Jdbc.update(c, """
                            insert into privacy_model_marks (request_id, model_id, action, retrain_due_at, retrain_job_id)
                            values (?, ?, ?, now() + make_interval(secs => ?), ?)
                            on conflict (request_id, model_id) do nothing""", ps -> {
                        ps.setLong(1, r.id());
                        ps.setLong(2, model);
                        ps.setString(3, hit.perUserWeights() ? "withdrawn" : "rewritten");
                        ps.setDouble(4, hit.perUserWeights() ? 0 : config.retrainWithin().toSeconds());
                        if (j == null) ps.setNull(5, Types.BIGINT);
                        else ps.setLong(5, j);
                    });
                    // nodes reload their serving set (the rewritten artifact, or without the withdrawn model)
                    Jdbc.query(c, "select pg_notify(?, ?)", ps -> {
                        ps.setString(1, Channels.MODEL_PROMOTED);
                        ps.setString(2, Long.toString(model));
                    }, rs -> null);
                }
                return null;
            });
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("artifactsRewritten", rewritten);
        out.put("modelsWithdrawn", withdrawn);
        out.put("modelsMarked", Jdbc.query(db, "select count(*) from privacy_model_marks where request_id = ?",
                ps -> ps.setLong(1, r.id()), rs -> {
                    rs.next();
                    return rs.getLong(1);
                }));
        return out;
    }

    private static void withdraw(Connection c, long model, boolean servingTable) throws SQLException {
        Jdbc.update(c, "update models set status = 'archived' where id = ? and status = 'promoted'", ps -> ps.setLong(1, model));
        if (servingTable) {
            // V4: the surfaces serving it fall back (inference: the previous model or popularity)
            Jdbc.update(c, "delete from serving_models where model_id = ?", ps -> ps.setLong(1, model));
            for (String surface : List.of("user", "session", "similar")) {
                Jdbc.query(c, "select pg_notify('serving_changed', ?)", ps -> ps.setString(1, surface), rs -> null);
            }
        }
    }

    /** Queues a job like the one that trained the model (same data filter, name, type, hyperparameters, seed). */
    static Long retrain(Connection c, long model) throws SQLException {
        return Jdbc.query(c, """
                insert into training_jobs (dataset, name, model_type, hyperparameters, seed, submitted_by)
                select j.dataset, j.name, j.model_type, j.hyperparameters, j.seed, 'privacy-retrain'
                  from models m join training_jobs j on j.id = m.job_id where m.id = ?
                returning id""", ps -> ps.setLong(1, model), rs -> rs.next() ? rs.getLong(1) : null);
    }

    /** Marked models whose retrain is due: one job per model covers all its marks. */
    void scheduleDueRetrains() {
        Jdbc.inTransaction(db, c -> {
            List<Long> due = Jdbc.query(c, """
                    select model_id from privacy_model_marks
                     where retrain_job_id is null and retrain_due_at <= now()
                     for update skip locked""", Jdbc.NONE, rs -> {
                java.util.Set<Long> out = new java.util.LinkedHashSet<>();
                while (rs.next()) out.add(rs.getLong(1));
                return List.copyOf(out);
            });
            for (long model : due) {
                Long job = retrain(c, model);
                Jdbc.update(c, "update privacy_model_marks set retrain_job_id = ? where model_id = ? and retrain_job_id is null",
                        ps -> {
                            if (job == null) ps.setNull(1, Types.BIGINT);
                            else ps.setLong(1, job);
                            ps.setLong(2, model);
                        });
                if (job == null) {
                    // no job to copy (e.g. an imported model): nothing to retrain from; stop asking
                    Jdbc.update(c, "update privacy_model_marks set retrain_due_at = 'infinity' where model_id = ? and retrain_job_id is null",
                            ps -> ps.setLong(1, model));
                }
            }
            return null;
        });
    }

    /**
     * NOTIFY privacy_forget, then wait until every live inference node (heartbeat within
     * penchant.privacy.node-live-window) has acknowledged; re-notifies meanwhile (a node may have been
     * reconnecting). A node that died stops being live within the window.
     */
    private Map<String, Object> caches(Claimed r, AtomicBoolean lost) throws InterruptedException {
        long deadline = System.nanoTime() + config.ackTimeout().toNanos();
        long nextNotify = 0;
        while (true) {
            if (lost.get()) throw new LeaseLost(r.id());
            if (System.nanoTime() >= nextNotify) {
                Jdbc.query(db, "select pg_notify(?, ?)", ps -> {
                    ps.setString(1, Channels.PRIVACY_FORGET);
                    ps.setString(2, Long.toString(r.id()));
                }, rs -> null);
                nextNotify = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            }
            Map<String, Object> state = ackState(r.id());
            if (((List<?>) state.get("missing")).isEmpty()) return state;
            if (System.nanoTime() >= deadline) {
                throw new IllegalStateException("inference nodes did not acknowledge privacy_forget within "
                        + config.ackTimeout() + ": " + state.get("missing"));
            }
            Thread.sleep(100);
        }
    }

    Map<String, Object> ackState(long requestId) {
        return Jdbc.query(db, """
                select coalesce(array_agg(l.node_id order by l.node_id) filter (where a.node_id is null), '{}'),
                       count(*) filter (where a.node_id is not null), count(*)
                  from privacy_listeners l
                  left join privacy_cache_acks a on a.request_id = ? and a.node_id = l.node_id
                 where l.seen_at > now() - make_interval(secs => ?)""", ps -> {
            ps.setLong(1, requestId);
            ps.setDouble(2, config.nodeLiveWindow().toSeconds());
        }, rs -> {
            rs.next();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("liveNodes", rs.getLong(3));
            out.put("acknowledged", rs.getLong(2));
            out.put("missing", List.of((String[]) rs.getArray(1).getArray()));
            return out;
        });
    }

    /**
     * Scans every user-id column and every artifact; rows that slipped in meanwhile (an ingest statement
     * that began before the suppression committed) are swept once and the scan repeated. Residue left
     * after that fails the attempt (retried; failed after penchant.privacy.max-attempts).
     */
    private Map<String, Object> verify(Claimed r, AtomicBoolean lost) throws Exception {
        PrivacyVerification.Result v = verification.scan(r.userId(), r.subject());
        if (!v.clean()) {
            events(r, lost);
            deleteColumns(r, "profile", lost);
            deleteColumns(r, "exposures", lost);
            audit(r);
            if (v.artifacts() > 0) models(r);
            v = verification.scan(r.userId(), r.subject());
        }
        Map<String, Object> doc = v.toMap();
        doc.put("caches", ackState(r.id()));
        doc.put("verifiedAt", java.time.Instant.now().toString());
        Jdbc.update(db, "update privacy_requests set verification = ?::jsonb where id = ? and lease_owner = ?", ps -> {
            ps.setString(1, Json.write(doc));
            ps.setLong(2, r.id());
            ps.setString(3, nodeId);
        });
        if (!v.clean()) throw new IllegalStateException("residue after deletion: " + v.residue());
        return Map.of("clean", true, "columnsScanned", v.columnsScanned(), "artifactsScanned", v.artifactsScanned());
    }

    /** The request keeps the keyed hash only; so does every other finished request of the subject. */
    private Map<String, Object> complete(Claimed r) {
        int n = Jdbc.inTransaction(db, c -> {
            int done = Jdbc.update(c, """
                    update privacy_requests
                       set status = 'completed', step = 'complete', completed_at = now(), user_id = null,
                           lease_owner = null, lease_expires_at = null, error = null, updated_at = now(),
                           counts = counts || jsonb_build_object('complete', jsonb_build_object('at', now()))
                     where id = ? and lease_owner = ? and status = 'in_progress'""", ps -> {
                ps.setLong(1, r.id());
                ps.setString(2, nodeId);
            });
            if (done != 1) throw new LeaseLost(r.id());
            if ("delete".equals(r.kind())) {
                Jdbc.update(c, "update privacy_requests set user_id = null where subject_hash = ? and status in ('completed', 'failed')",
                        ps -> ps.setString(1, r.subject()));
            }
            PrivacyRequests.audit(c, "privacy-workflow", "privacy-request.completed", r.id(), r.subject(),
                    Map.of("kind", r.kind()));
            return done;
        });
        return Map.of("completed", n);
    }
}
