package dev.penchant.serving.models;

import dev.penchant.core.artifact.ArtifactFormats;
import dev.penchant.core.artifact.ModelArchive;
import dev.penchant.core.artifact.ServableModel;
import dev.penchant.experiments.assignment.Assignment;
import dev.penchant.schema.Channels;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.config.ServingConfig;
import dev.penchant.support.db.PgListener;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The node's serving set: the model each surface serves (table serving_models; a surface without a
 * row serves the most recently promoted model) plus every model a running experiment's variants use
 * (a model id, a baseline = the newest registered model of that type, or 'current' = the surface's
 * model). Read at start, on NOTIFY model_promoted / serving_changed / experiments_changed and on a slow
 * poll. New models are loaded beside the old ones and the whole set is swapped with one atomic
 * reference write; a model that left the set closes when its last in-flight request releases it. An
 * artifact that fails to load is logged and remembered, and the rest keeps serving.
 */
@ApplicationScoped
public class ModelHolder {
    private static final Logger LOG = Logger.getLogger(ModelHolder.class);
    public static final String USER = "user";
    public static final String SESSION = "session";
    public static final String SIMILAR = "similar";
    static final List<String> SURFACES = List.of(USER, SESSION, SIMILAR);

    /** audience: kind all | new_users | percentage (0..100). */
    public record Audience(String kind, double percentage) {
        static final Audience ALL = new Audience("all", 100);

        static Audience of(JsonObject json) {
            if (json == null) return ALL;
            String kind = json.getString("kind", "all");
            Number p = json.getNumber("percentage");
            return new Audience(kind, p == null ? 100 : p.doubleValue());
        }
    }

    /** A variant as routing needs it; modelId resolved at refresh (null: nothing to serve, a labelled fallback answers). */
    public record Variant(long id, String name, double weight, Long modelId, String baseline) {
    }

    /** A running experiment; variants in position order (0 = control), which fixes the weight ranges on every node. */
    public record Experiment(long id, String key, String surface, String salt, Audience audience, Instant startedAt,
                             List<Variant> variants, double[] weights) {
    }

    /**
     * What one request serves with: the model (acquired: release it; null when none is loaded) and, when
     * the request was assigned, the experiment and variant.
     */
    public record Route(LoadedModel model, Experiment experiment, Variant variant) {
        public void release() {
            if (model != null) model.release();
        }
    }

    /** What requests see: immutable, replaced as a whole. */
    private record Snapshot(Map<Long, LoadedModel> byId, Map<String, Long> surfaces, Map<String, Experiment> experiments,
                            int maxHistoryLength) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Map.of(), 0);
    }

    /** A registry row to load. */
    private record Wanted(long id, String name, int version, String modelType, Long artifactId, String sha256) {
    }

    private final Pool pool;
    private final PgListener listener;
    private final ServingConfig config;
    /** Session runs in flight over every loaded model's batcher (penchant.serving.batching.node-concurrency). */
    private final java.util.concurrent.Semaphore scoringSlots;
    private final ItemCatalog catalog;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(Snapshot.EMPTY);
    private final Set<Long> failed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicLong refreshes = new AtomicLong();
    private volatile Instant lastRegistryRead;
    private ScheduledExecutorService worker;

    public ModelHolder(Pool pool, PgListener listener, ServingConfig config, ItemCatalog catalog) {
        this.pool = pool;
        this.listener = listener;
        this.config = config;
        this.scoringSlots = new java.util.concurrent.Semaphore(Math.max(1, config.batching().nodeConcurrency()));
        this.catalog = catalog;
    }

    /** Called by the startup sequence: loads the serving set now, then listens and polls. */
    public synchronized void start() {
        if (worker != null) return;
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "model-registry");
            t.setDaemon(true);
            return t;
        });
        try {
            worker.submit(this::refreshNow).get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("initial model load did not finish; serving fallbacks until it does", e);
        }
        long poll = Math.max(1000, config.models().pollInterval().toMillis());
        worker.scheduleWithFixedDelay(this::refreshNow, poll, poll, TimeUnit.MILLISECONDS);
        if (config.models().listen()) listen();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (worker != null) worker.shutdownNow();
        Snapshot s = current.getAndSet(Snapshot.EMPTY);
        s.byId().values().forEach(LoadedModel::release);
    }

    // ------------------------------------------------------------------------------------------
    // what requests use

    /**
     * The route of one request on surface: with a running experiment on it and an assignable unit
     * (userId) in its audience, the assigned variant's model; else the surface's model. Computed, never
     * written: the same on every node.
     *
     * @param newSince for audience new_users: whether the user has no event before the given instant
     */
    public Route route(String surface, String userId, Predicate<Instant> newSince) {
        while (true) {
            Snapshot s = current.get();
            Experiment e = userId == null ? null : s.experiments().get(surface);
            Variant v = null;
            if (e != null && inAudience(e, userId, newSince)) {
                int i = Assignment.assign(e.salt(), userId, e.weights());
                if (i >= 0) v = e.variants().get(i);
            }
            Long modelId = v != null ? v.modelId() : s.surfaces().get(surface);
            LoadedModel m = modelId == null ? null : s.byId().get(modelId);
            if (m == null || m.acquire()) return new Route(m, v == null ? null : e, v);
            // swapped out and drained between the read and the acquire: route on the new snapshot
        }
    }

    private static boolean inAudience(Experiment e, String userId, Predicate<Instant> newSince) {
        return switch (e.audience().kind()) {
            case "percentage" -> Assignment.inAudience(e.salt(), userId, e.audience().percentage());
            case "new_users" -> e.startedAt() != null && newSince != null && newSince.test(e.startedAt());
            default -> true;
        };
    }

    /** The model of surface (null = user) with a reference the caller must release; null when none is loaded. */
    public LoadedModel acquire(String surface) {
        return route(surface == null ? USER : surface, null, null).model();
    }

    /** A loaded model by registry id, acquired; null when it is not in the serving set. */
    public LoadedModel acquireById(long modelId) {
        while (true) {
            LoadedModel m = current.get().byId().get(modelId);
            if (m == null || m.acquire()) return m;
        }
    }

    /** The longest history window of the loaded models: one history read serves whichever model a request routes to. */
    public int maxHistoryLength() {
        return current.get().maxHistoryLength();
    }

    public Collection<LoadedModel> loaded() {
        return current.get().byId().values();
    }

    /** The running experiments by surface. */
    public Map<String, Experiment> experiments() {
        return current.get().experiments();
    }

    public boolean hasModel() {
        return !current.get().byId().isEmpty();
    }

    /** Model ids whose artifacts failed to load (kept out until promoted again under a new id). */
    public Set<Long> failedIds() {
        return Set.copyOf(failed);
    }

    /** Completed registry reads, for tests and metrics. */
    public long refreshCount() {
        return refreshes.get();
    }

    public Instant lastRegistryRead() {
        return lastRegistryRead;
    }

    /**
     * Stops serving the loaded model with this registry id at once (privacy: it lists a forgotten user),
     * on the registry thread, then re-reads the registry (which serves its rewritten artifact, or not).
     */
    public void unload(long modelId) {
        if (worker == null) return;
        try {
            worker.submit(() -> {
                Snapshot s = current.get();
                LoadedModel gone = s.byId().get(modelId);
                if (gone == null) return;
                Map<Long, LoadedModel> next = new LinkedHashMap<>(s.byId());
                next.remove(modelId);
                // surfaces and variants that named it answer with a labelled fallback until the refresh
                current.set(new Snapshot(Map.copyOf(next), s.surfaces(), s.experiments(), s.maxHistoryLength()));
                LOG.info("unloaded " + gone + " (model id " + modelId + ")");
                gone.release();
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("could not unload model " + modelId, e);
        }
        requestRefresh();
    }

    /** Queues a registry read on the registry thread (coalesced). */
    public void requestRefresh() {
        if (worker == null || !refreshQueued.compareAndSet(false, true)) return;
        worker.execute(() -> {
            refreshQueued.set(false);
            refreshNow();
        });
    }

    // ------------------------------------------------------------------------------------------
    // registry thread

    private void refreshNow() {
        Map<String, Long> surfaces;
        Map<String, Experiment> experiments;
        Map<Long, Wanted> wanted;
        try {
            surfaces = readSurfaces();
            experiments = readExperiments(surfaces);
            Set<Long> ids = new LinkedHashSet<>(surfaces.values());
            for (Experiment e : experiments.values()) for (Variant v : e.variants()) if (v.modelId() != null) ids.add(v.modelId());
            wanted = readModels(ids);
            lastRegistryRead = Instant.now();
        } catch (RuntimeException e) {
            LOG.warn("model registry unreachable, keeping " + current.get().byId().values() + ": " + e.getMessage());
            return;
        } finally {
            refreshes.incrementAndGet();
        }
        Snapshot before = current.get(); // only this thread writes, so get/set is atomic enough
        Map<Long, LoadedModel> next = new LinkedHashMap<>();
        for (Wanted w : wanted.values()) {
            LoadedModel have = before.byId().get(w.id());
            if (have != null) {
                next.put(w.id(), have);
                continue;
            }
            if (failed.contains(w.id())) continue;
            if (w.artifactId() == null) {
                LOG.warn("model " + w.name() + " v" + w.version() + " has no artifact; skipped");
                failed.add(w.id());
                continue;
            }
            byte[] content;
            try {
                content = readArtifact(w.artifactId());
            } catch (RuntimeException e) {
                LOG.warn("could not read artifact of " + w.name() + " v" + w.version() + ": " + e.getMessage());
                continue; // database trouble: try again on the next refresh
            }
            try {
                next.put(w.id(), load(w, content));
            } catch (Exception | LinkageError e) {
                failed.add(w.id());
                LOG.error("corrupt or unloadable artifact for " + w.name() + " v" + w.version() + " (model id " + w.id() + ")", e);
            }
        }
        // a surface whose new model failed to load keeps serving its previous one
        Map<String, Long> served = new HashMap<>(surfaces);
        for (Map.Entry<String, Long> s : surfaces.entrySet()) {
            if (next.containsKey(s.getValue())) continue;
            Long previous = before.surfaces().get(s.getKey());
            if (previous != null && before.byId().containsKey(previous)) {
                next.put(previous, before.byId().get(previous));
                served.put(s.getKey(), previous);
            }
        }
        int maxLength = next.values().stream().mapToInt(LoadedModel::historyLength).max().orElse(0);
        Snapshot after = new Snapshot(Map.copyOf(next), Map.copyOf(served), Map.copyOf(experiments), maxLength);
        if (after.equals(before)) return;
        current.set(after);
        for (Map.Entry<String, Long> s : served.entrySet()) {
            if (!s.getValue().equals(before.surfaces().get(s.getKey()))) LOG.info("surface " + s.getKey() + " serves " + next.get(s.getValue()));
        }
        if (!describe(experiments).equals(describe(before.experiments()))) LOG.info("running experiments: " + describe(experiments));
        for (Map.Entry<Long, LoadedModel> old : before.byId().entrySet()) {
            if (next.get(old.getKey()) != old.getValue()) old.getValue().release(); // closes once in-flight requests are done
        }
    }

    private static String describe(Map<String, Experiment> experiments) {
        return experiments.values().stream().map(e -> e.key() + "@" + e.surface() + e.variants().stream()
                .map(v -> v.name() + ":" + v.weight() + "->" + v.modelId()).toList()).sorted().toList().toString();
    }

    /** serving_models, and for surfaces without a row the most recently promoted model (a node before any per-surface promotion). */
    private Map<String, Long> readSurfaces() {
        Map<String, Long> out = new HashMap<>();
        for (Row r : pool.query("select surface, model_id from serving_models").execute().await().atMost(Duration.ofSeconds(10))) {
            out.put(r.getString(0), r.getLong(1));
        }
        if (out.size() < SURFACES.size()) {
            RowSet<Row> rows = pool.preparedQuery("""
                            select id from models where status = 'promoted'
                             order by (name = $1) desc, promoted_at desc nulls last, id desc limit 1""")
                    .execute(Tuple.of(config.models().defaultName().orElse(""))).await().atMost(Duration.ofSeconds(10));
            if (rows.size() > 0) {
                long latest = rows.iterator().next().getLong(0);
                for (String s : SURFACES) out.putIfAbsent(s, latest);
            }
        }
        return out;
    }

    private Map<String, Experiment> readExperiments(Map<String, Long> surfaces) {
        RowSet<Row> rows = pool.query("""
                        select e.id, e.key, e.surface, e.salt, e.audience, e.started_at,
                               v.id, v.name, v.weight, v.model_id, v.baseline
                          from experiments e join experiment_variants v on v.experiment_id = e.id
                         where e.status = 'running'
                         order by e.started_at desc nulls last, e.id desc, v.position""")
                .execute().await().atMost(Duration.ofSeconds(10));
        // baselines: the newest registered model of that type with an artifact
        Set<String> baselines = new LinkedHashSet<>();
        for (Row r : rows) {
            String b = r.getString(10);
            if (b != null && !b.equals("current")) baselines.add(b);
        }
        Map<String, Long> baselineModels = new HashMap<>();
        if (!baselines.isEmpty()) {
            for (Row r : pool.preparedQuery("""
                            select distinct on (model_type) model_type, id from models
                             where model_type = any($1) and artifact_id is not null order by model_type, id desc""")
                    .execute(Tuple.of(baselines.toArray(new String[0]))).await().atMost(Duration.ofSeconds(10))) {
                baselineModels.put(r.getString(0), r.getLong(1));
            }
        }
        Map<Long, Experiment> byId = new LinkedHashMap<>();
        Map<Long, List<Variant>> variants = new HashMap<>();
        for (Row r : rows) {
            long id = r.getLong(0);
            String surface = r.getString(2);
            byId.computeIfAbsent(id, k -> {
                OffsetDateTime started = r.getOffsetDateTime(5);
                Object audience = r.getValue(4);
                return new Experiment(id, r.getString(1), surface, r.getString(3),
                        Audience.of(audience instanceof JsonObject j ? j : audience == null ? null : new JsonObject(audience.toString())),
                        started == null ? null : started.toInstant(), null, null);
            });
            String baseline = r.getString(10);
            Long model = r.getLong(9);
            if (model == null && baseline != null) model = baseline.equals("current") ? surfaces.get(surface) : baselineModels.get(baseline);
            variants.computeIfAbsent(id, k -> new ArrayList<>()).add(new Variant(r.getLong(6), r.getString(7), r.getDouble(8), model, baseline));
        }
        Map<String, Experiment> bySurface = new HashMap<>();
        for (Experiment e : byId.values()) {
            List<Variant> v = List.copyOf(variants.get(e.id()));
            double[] w = v.stream().mapToDouble(Variant::weight).toArray();
            Experiment full = new Experiment(e.id(), e.key(), e.surface(), e.salt(), e.audience(), e.startedAt(), v, w);
            // newest first: a second running experiment on a surface is ignored (and said so)
            Experiment other = bySurface.putIfAbsent(e.surface(), full);
            if (other != null) LOG.warnf("experiments %s and %s both run on surface %s; routing by %s", other.key(), e.key(), e.surface(), other.key());
        }
        return bySurface;
    }

    private Map<Long, Wanted> readModels(Set<Long> ids) {
        Map<Long, Wanted> out = new LinkedHashMap<>();
        if (ids.isEmpty()) return out;
        RowSet<Row> rows = pool.preparedQuery("""
                        select m.id, m.name, m.version, m.model_type, m.artifact_id, a.sha256
                          from models m left join model_artifacts a on a.id = m.artifact_id
                         where m.id = any($1) order by m.id""")
                .execute(Tuple.of(ids.toArray(new Long[0]))).await().atMost(Duration.ofSeconds(10));
        for (Row r : rows) {
            out.put(r.getLong(0), new Wanted(r.getLong(0), r.getString(1), r.getInteger(2), r.getString(3), r.getLong(4), r.getString(5)));
        }
        return out;
    }

    private byte[] readArtifact(long artifactId) {
        RowSet<Row> rows = pool.preparedQuery("select content from model_artifacts where id = $1")
                .execute(Tuple.of(artifactId)).await().atMost(Duration.ofSeconds(120));
        if (rows.size() == 0) throw new IllegalStateException("artifact " + artifactId + " is gone");
        return rows.iterator().next().getBuffer(0).getBytes();
    }

    private LoadedModel load(Wanted p, byte[] content) throws Exception {
        if (p.sha256() != null) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            if (!sha.equalsIgnoreCase(p.sha256())) throw new IllegalStateException("artifact sha256 mismatch: " + sha);
        }
        Path base = config.models().workDir().map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "penchant-model-" + p.id() + "-");
        ServableModel model = null;
        try {
            ModelArchive.unzip(new ByteArrayInputStream(content), dir);
            long t0 = System.nanoTime();
            // the archive's format (model.json) says who opens it: TensorFlow SavedModels, baselines, ...
            model = ArtifactFormats.open(dir);
            float[][] emb = model.itemEmbeddings(); // for /similar; null when the model has none
            ServingConfig.Batching b = config.batching();
            MicroBatcher batcher = b.enabled()
                    ? new MicroBatcher(model, p.name() + "-v" + p.version(), b.maxSize(), b.maxWaitMicros(), b.threads(), scoringSlots)
                    : null;
            LoadedModel m = new LoadedModel(new LoadedModel.Identity(p.id(), p.name(), p.version(), p.modelType()),
                    model, dir, batcher, emb, catalog::inItemTable);
            // one warm-up run, so the first request does not pay for lazy graph setup
            m.score(-1, new int[0]).get(30, TimeUnit.SECONDS);
            LOG.info("loaded " + m + " (" + ArtifactFormats.formatOf(dir) + ") in " + (System.nanoTime() - t0) / 1_000_000 + " ms: "
                    + model.numItems() + " items, history " + m.historyLength()
                    + (emb == null ? ", no item embeddings" : ", item embeddings " + emb[0].length + "d"));
            return m;
        } catch (Exception | LinkageError e) {
            if (model != null) model.close();
            ModelArchive.deleteTree(dir);
            throw e;
        }
    }

    /** Each channel triggers a serving-set read; so does every (re)subscription, since notifications may be lost. */
    private void listen() {
        for (String channel : List.of(Channels.MODEL_PROMOTED, Channels.SERVING_CHANGED, Channels.EXPERIMENTS_CHANGED)) {
            boolean listening = listener.listen(channel, payload -> {
                LOG.info(channel + " " + payload);
                requestRefresh();
            }, this::requestRefresh);
            if (!listening) LOG.warn("not listening on " + channel + "; polling every " + config.models().pollInterval());
        }
    }
}
