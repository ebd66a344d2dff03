package dev.penchant.serving.models;

import dev.penchant.core.artifact.ModelArchive;
import dev.penchant.core.artifact.ServableModel;

import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Explainer;
import dev.penchant.core.preprocess.HistoryEncoder;
import dev.penchant.core.preprocess.HistoryRules;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * One loaded model version with a reference count: the holder owns one reference while the version is
 * current, each request one while it scores. The TF session is closed when the count reaches zero,
 * i.e. after the holder swapped it out and the last in-flight request finished.
 */
public final class LoadedModel {
    private static final Logger LOG = Logger.getLogger(LoadedModel.class);

    /**
     * One user's scores and, for self-attention models, the attention window of the same run (null
     * otherwise), so explaining the answer costs no further session run.
     */
    public record Scores(float[] scores, float[] attention) {
        static Scores row(ServableModel.Scored batch, int i) {
            return new Scores(batch.scores()[i], batch.attention() == null ? null : batch.attention()[i]);
        }
    }

    /** Registry identity of the version. */
    public record Identity(long id, String name, int version, String modelType) {
    }

    private final Identity identity;
    /** Per-model scoring state derived from another object (e.g. the catalogue copy), rebuilt when that object changes. */
    private record Cached(Object key, Object value) {
    }

    private final ServableModel model;
    private final Path dir;
    private final MicroBatcher batcher;
    private final float[][] itemEmbeddings;
    private final HistoryEncoder encoder;
    private final AtomicInteger refs = new AtomicInteger(1);
    private volatile boolean closed;
    private volatile Cached cached;

    /** @param inItemTable whether an item is in the platform's item table (for models trained with that filter) */
    LoadedModel(Identity identity, ServableModel model, Path dir, MicroBatcher batcher, float[][] itemEmbeddings,
                Predicate<String> inItemTable) {
        this.identity = identity;
        this.model = model;
        this.dir = dir;
        this.batcher = batcher;
        this.itemEmbeddings = itemEmbeddings;
        this.encoder = model.historyEncoder(inItemTable);
        if (!model.historyRules().orderMatches()) {
            LOG.warnf("%s was trained with histories ordered by '%s'; this node orders them by '%s': scores may differ",
                    identity.name(), model.historyRules().order(), HistoryRules.ORDER);
        }
    }

    public Identity identity() {
        return identity;
    }

    public Vocabulary items() {
        return model.items();
    }

    public Vocabulary users() {
        return model.users();
    }

    public int numItems() {
        return model.numItems();
    }

    public int historyLength() {
        return model.historyLength();
    }

    /** Builds a request's history the way the model's training data was built. */
    public HistoryEncoder encoder() {
        return encoder;
    }

    /**
     * This model's own state derived from key (one slot: a new key rebuilds it), so requests that
     * alternate between models never rebuild each other's catalogue-sized arrays.
     */
    @SuppressWarnings("unchecked")
    public <K, V> V derived(K key, Function<K, V> build) {
        Cached c = cached;
        if (c != null && c.key() == key) return (V) c.value();
        V v = build.apply(key);
        cached = new Cached(key, v);
        return v;
    }

    /** Whether the model's answer for this user and history would be personal (see ServableModel). */
    public boolean canPersonalise(int user, HistoryEncoder.Encoded history) {
        return model.canPersonalise(user, history);
    }

    /** Item embeddings [numItems][dim] when the artifact has them, else null. */
    public float[][] itemEmbeddings() {
        return itemEmbeddings;
    }

    public boolean explains() {
        return model.explains();
    }

    /**
     * Attention of each item over the history (oldest first), one list per item; empty lists when the
     * model cannot explain. Self-attention reuses the window its scoring run returned; target attention
     * takes one more run for all the items together.
     */
    public List<List<Explainer.Attribution>> explain(int user, int[] history, int[] items, Scores scored) {
        if (!model.explains() || history.length == 0) return java.util.Collections.nCopies(items.length, List.of());
        if (scored.attention() != null) {
            return java.util.Collections.nCopies(items.length, Explainer.fromWindow(history, scored.attention()));
        }
        return model.explainAll(user, history, items);
    }

    /** Scores every item for one user; through the micro-batcher when there is one. */
    public CompletableFuture<Scores> score(int user, int[] history) {
        if (batcher != null) return batcher.submit(user, history);
        try {
            return CompletableFuture.completedFuture(Scores.row(model.score(new int[]{user}, new int[][]{history}), 0));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Takes a reference; false when the model is already closing (the caller re-reads the holder). */
    public boolean acquire() {
        while (true) {
            int n = refs.get();
            if (n <= 0) return false;
            if (refs.compareAndSet(n, n + 1)) return true;
        }
    }

    public void release() {
        int n = refs.decrementAndGet();
        if (n == 0) close();
        else if (n < 0) throw new IllegalStateException("released more often than acquired: " + identity);
    }

    public boolean isClosed() {
        return closed;
    }

    int references() {
        return refs.get();
    }

    private void close() {
        if (batcher != null) batcher.close();
        model.close();
        ModelArchive.deleteTree(dir);
        closed = true;
        LOG.info("closed model " + identity.name() + " v" + identity.version() + " (id " + identity.id() + ")");
    }

    @Override
    public String toString() {
        return identity.name() + " v" + identity.version();
    }
}
