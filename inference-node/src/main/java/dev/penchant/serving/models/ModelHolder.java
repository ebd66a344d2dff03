package dev.penchant.serving.models;

import dev.penchant.core.artifact.ModelArchive;

import dev.penchant.schema.Channels;
import dev.penchant.support.db.PgListener;
import dev.penchant.tf.ExportedModel;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.config.ServingConfig;
import io.quarkus.runtime.ShutdownEvent;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The promoted model versions this node serves, one per model name (so an A/B router can pick by
 * name). Loads them from the registry at start, then on every NOTIFY model_promoted and on a slow poll.
 * A new version is loaded beside the old one and swapped in with one atomic reference write; the old
 * one's session closes when its last in-flight request releases it. An artifact that fails to load is
 * logged and remembered, and the last good version keeps serving.
 */
@ApplicationScoped
public class ModelHolder {
    private static final Logger LOG = Logger.getLogger(ModelHolder.class);

    /** What requests see: immutable, replaced as a whole. */
    private record Snapshot(Map<String, LoadedModel> byName, String defaultName) {
    }

    /** A promoted row of the registry. */
    private record Promoted(long id, String name, int version, String modelType, Long artifactId, String sha256) {
    }

    private final Pool pool;
    private final PgListener listener;
    private final ServingConfig config;
    private final ItemCatalog catalog;
    private final AtomicReference<Snapshot> current = new AtomicReference<>(new Snapshot(Map.of(), null));
    private final Set<Long> failed = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicLong refreshes = new AtomicLong();
    private volatile Instant lastRegistryRead;
    private ScheduledExecutorService worker;

    public ModelHolder(Pool pool, PgListener listener, ServingConfig config, ItemCatalog catalog) {
        this.pool = pool;
        this.listener = listener;
        this.config = config;
        this.catalog = catalog;
    }

    /** Called by the startup sequence: loads what is promoted now, then listens and polls. */
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
        Snapshot s = current.getAndSet(new Snapshot(Map.of(), null));
        s.byName().values().forEach(LoadedModel::release);
    }

    // ------------------------------------------------------------------------------------------
    // what requests use

    /**
     * The model for name (null = the default), with a reference the caller must release; null when
     * no such model is loaded.
     */
    public LoadedModel acquire(String name) {
        while (true) {
            Snapshot s = current.get();
            String n = name == null ? s.defaultName() : name;
            LoadedModel m = n == null ? null : s.byName().get(n);
            if (m == null) return null;
            if (m.acquire()) return m;
            // swapped out and drained between the read and the acquire: read the new snapshot
        }
    }

    /** Same as {@link #acquire(String)} by registry id (an A/B variant names a model id). */
    public LoadedModel acquireById(long modelId) {
        while (true) {
            LoadedModel m = current.get().byName().values().stream()
                    .filter(x -> x.identity().id() == modelId).findFirst().orElse(null);
            if (m == null || m.acquire()) return m;
        }
    }

    public Collection<LoadedModel> loaded() {
        return current.get().byName().values();
    }

    public boolean hasModel() {
        return !current.get().byName().isEmpty();
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
                Map<String, LoadedModel> next = new LinkedHashMap<>(s.byName());
                LoadedModel gone = null;
                for (var it = next.entrySet().iterator(); it.hasNext(); ) {
                    LoadedModel m = it.next().getValue();
                    if (m.identity().id() == modelId) {
                        gone = m;
                        it.remove();
                    }
                }
                if (gone == null) return;
                String def = next.containsKey(s.defaultName()) ? s.defaultName() : next.keySet().stream().findFirst().orElse(null);
                current.set(new Snapshot(Map.copyOf(next), def));
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
        List<Promoted> promoted;
        try {
            promoted = readPromoted();
            lastRegistryRead = Instant.now();
        } catch (RuntimeException e) {
            LOG.warn("model registry unreachable, keeping " + current.get().byName().values() + ": " + e.getMessage());
            return;
        } finally {
            refreshes.incrementAndGet();
        }
        for (Promoted p : promoted) {
            LoadedModel have = current.get().byName().get(p.name());
            if (have != null && have.identity().id() == p.id()) continue;
            if (failed.contains(p.id())) continue;
            if (p.artifactId() == null) {
                LOG.warn("promoted model " + p.name() + " v" + p.version() + " has no artifact; skipped");
                failed.add(p.id());
                continue;
            }
            byte[] content;
            try {
                content = readArtifact(p.artifactId());
            } catch (RuntimeException e) {
                LOG.warn("could not read artifact of " + p.name() + " v" + p.version() + ": " + e.getMessage());
                continue; // database trouble: try again on the next refresh
            }
            try {
                LoadedModel m = load(p, content);
                install(m, promoted);
            } catch (Exception | LinkageError e) {
                failed.add(p.id());
                LOG.error("corrupt or unloadable artifact for " + p.name() + " v" + p.version() + " (model id "
                        + p.id() + "); keeping " + (have == null ? "no model" : have), e);
            }
        }
        // the default follows the most recently promoted name that is loaded
        Snapshot s = current.get();
        String def = defaultName(s.byName(), promoted);
        if (!java.util.Objects.equals(def, s.defaultName())) current.set(new Snapshot(s.byName(), def));
    }

    private String defaultName(Map<String, LoadedModel> byName, List<Promoted> promoted) {
        Optional<String> configured = config.models().defaultName();
        if (configured.isPresent() && byName.containsKey(configured.get())) return configured.get();
        for (Promoted p : promoted) if (byName.containsKey(p.name())) return p.name();
        return byName.isEmpty() ? null : byName.keySet().iterator().next();
    }

    private void install(LoadedModel m, List<Promoted> promoted) {
        Snapshot before = current.get(); // only this thread writes, so get/set is atomic enough
        Map<String, LoadedModel> next = new LinkedHashMap<>(before.byName());
        LoadedModel old = next.put(m.identity().name(), m);
        current.set(new Snapshot(Map.copyOf(next), defaultName(next, promoted)));
        LOG.info("serving " + m + " (model id " + m.identity().id() + ")" + (old == null ? "" : ", replacing " + old));
        if (old != null) old.release(); // closes once in-flight requests are done
    }

    private List<Promoted> readPromoted() {
        RowSet<Row> rows = pool.query("""
                        select m.id, m.name, m.version, m.model_type, m.artifact_id, a.sha256
                          from models m left join model_artifacts a on a.id = m.artifact_id
                         where m.status = 'promoted'
                         order by m.promoted_at desc nulls last, m.id desc""")
                .execute().await().atMost(Duration.ofSeconds(10));
        List<Promoted> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(new Promoted(r.getLong(0), r.getString(1), r.getInteger(2), r.getString(3), r.getLong(4), r.getString(5)));
        }
        return out;
    }

    private byte[] readArtifact(long artifactId) {
        RowSet<Row> rows = pool.preparedQuery("select content from model_artifacts where id = $1")
                .execute(Tuple.of(artifactId)).await().atMost(Duration.ofSeconds(120));
        if (rows.size() == 0) throw new IllegalStateException("artifact " + artifactId + " is gone");
        return rows.iterator().next().getBuffer(0).getBytes();
    }

    private LoadedModel load(Promoted p, byte[] content) throws Exception {
        if (p.sha256() != null) {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
            if (!sha.equalsIgnoreCase(p.sha256())) throw new IllegalStateException("artifact sha256 mismatch: " + sha);
        }
        Path base = config.models().workDir().map(Path::of).orElse(Path.of(System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "penchant-model-" + p.id() + "-");
        ExportedModel model = null;
        try {
            ModelArchive.unzip(new ByteArrayInputStream(content), dir);
            long t0 = System.nanoTime();
            model = ExportedModel.open(dir);
            float[][] emb = model.itemEmbeddings(); // for /similar; null when the model has none
            ServingConfig.Batching b = config.batching();
            MicroBatcher batcher = b.enabled()
                    ? new MicroBatcher(model, p.name() + "-v" + p.version(), b.maxSize(), b.maxWaitMicros(), b.threads())
                    : null;
            LoadedModel m = new LoadedModel(new LoadedModel.Identity(p.id(), p.name(), p.version(), p.modelType()),
                    model, dir, batcher, emb, catalog::inItemTable);
            // one warm-up run, so the first request does not pay for lazy graph setup
            m.score(-1, new int[0]).get(30, TimeUnit.SECONDS);
            LOG.info("loaded " + m + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + model.numItems()
                    + " items, history " + m.historyLength() + (emb == null ? ", no item embeddings" : ", item embeddings " + emb[0].length + "d"));
            return m;
        } catch (Exception | LinkageError e) {
            if (model != null) model.close();
            ModelArchive.deleteTree(dir);
            throw e;
        }
    }

    /** NOTIFY model_promoted triggers a registry read; so does every (re)subscription, since notifications may be lost. */
    private void listen() {
        boolean listening = listener.listen(Channels.MODEL_PROMOTED, payload -> {
            LOG.info(Channels.MODEL_PROMOTED + " " + payload);
            requestRefresh();
        }, this::requestRefresh);
        if (!listening) LOG.warn("not listening for promotions; polling every " + config.models().pollInterval());
    }
}
