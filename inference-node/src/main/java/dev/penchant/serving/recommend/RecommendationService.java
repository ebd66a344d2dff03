package dev.penchant.serving.recommend;

import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Explainer;
import dev.penchant.serving.catalog.ContentIndex;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.config.ServingConfig;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.models.ModelHolder;
import dev.penchant.serving.recommend.Dtos.Because;
import dev.penchant.serving.recommend.Dtos.ModelRef;
import dev.penchant.serving.recommend.Dtos.Query;
import dev.penchant.serving.recommend.Dtos.RecommendationResponse;
import dev.penchant.serving.recommend.Dtos.ScoredItem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Builds a recommendation: latest history from PostgreSQL, scoring off the event loop (micro-batched
 * per model), filters, a few content-matched slots for items the model has never seen, and the
 * trending list whenever a model cannot answer (no model, unknown user, scoring failure).
 */
@ApplicationScoped
public class RecommendationService {
    private static final Logger LOG = Logger.getLogger(RecommendationService.class);

    /** Catalogue facts per model item index, rebuilt when the model or the catalogue copy changes. */
    private record ModelView(long modelId, ItemCatalog.Items items, ItemCatalog.Item[] byIndex, List<String> coldItems) {
    }

    private final ModelHolder models;
    private final ItemCatalog catalog;
    private final HistoryReader history;
    private final ServingConfig config;
    private volatile ModelView view;

    public RecommendationService(ModelHolder models, ItemCatalog catalog, HistoryReader history, ServingConfig config) {
        this.models = models;
        this.catalog = catalog;
        this.history = history;
        this.config = config;
    }

    public Uni<RecommendationResponse> forUser(String userId, Query q) {
        return Uni.createFrom().deferred(() -> {
            LoadedModel m = models.acquire(null);
            int limit = Math.max(config.history().seenLimit(), m == null ? 0 : m.historyLength());
            return history.latest(userId, limit)
                    .map(Optional::of)
                    .onFailure().recoverWithItem(e -> {
                        LOG.warn("history of " + userId + " unavailable: " + e);
                        return Optional.empty();
                    })
                    .chain(h -> answer(userId, h.map(RecommendationService::reversed).orElse(List.of()), h.isEmpty(), m, q))
                    .onTermination().invoke(() -> {
                        if (m != null) m.release();
                    });
        });
    }

    /** An anonymous session: the recent items stand in for the history and for what was seen. */
    public Uni<RecommendationResponse> forSession(List<String> recentItems, Query q) {
        return Uni.createFrom().deferred(() -> {
            LoadedModel m = models.acquire(null);
            return answer(null, recentItems, false, m, q).onTermination().invoke(() -> {
                if (m != null) m.release();
            });
        });
    }

    private Uni<RecommendationResponse> answer(String userId, List<String> oldestFirst, boolean historyFailed,
                                               LoadedModel m, Query q) {
        if (m != null) {
            int user = userId == null ? -1 : m.users().indexOf(userId);
            int[] hist = indices(m.items(), oldestFirst, m.historyLength());
            if (user >= 0 || hist.length > 0) {
                return Uni.createFrom().completionStage(() -> m.score(user, hist))
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(scores -> rank(userId, m, scores, hist, user, oldestFirst, historyFailed, q))
                        .onFailure().recoverWithItem(e -> {
                            LOG.warn("scoring with " + m + " failed, answering with trending items: " + e);
                            return trending(userId, oldestFirst, q, "scoring-failed");
                        });
            }
        }
        String reason = m == null ? "no-model" : historyFailed ? "history-unavailable" : "cold-start";
        return Uni.createFrom().item(() -> trending(userId, oldestFirst, q, reason));
    }

    private RecommendationResponse rank(String userId, LoadedModel m, LoadedModel.Scores scored, int[] hist, int user,
                                        List<String> oldestFirst, boolean historyFailed, Query q) {
        float[] scores = scored.scores();
        ModelView v = view(m);
        Vocabulary vocab = m.items();
        int n = Math.min(scores.length, m.numItems());
        boolean[] seen = new boolean[n];
        Set<String> seenIds = q.excludeSeen() ? new HashSet<>(oldestFirst) : Set.of();
        if (q.excludeSeen()) {
            for (String id : oldestFirst) {
                int i = vocab.indexOf(id);
                if (i >= 0 && i < n) seen[i] = true;
            }
        }

        // content-matched slots for items the model cannot score (added after it was trained)
        List<ScoredItem> cold = coldItems(v, oldestFirst, seenIds, q);

        int want = q.k() - cold.size();
        PriorityQueue<Integer> heap = new PriorityQueue<>(want + 1, (a, b) -> Float.compare(scores[a], scores[b]));
        for (int i = 0; i < n; i++) {
            if (seen[i] || !eligible(v.byIndex()[i], q)) continue;
            if (heap.size() < want) heap.add(i);
            else if (want > 0 && scores[i] > scores[heap.peek()]) {
                heap.poll();
                heap.add(i);
            }
        }
        List<Integer> top = new ArrayList<>(heap);
        top.sort((a, b) -> Float.compare(scores[b], scores[a]));
        List<List<Because>> because = because(m, user, hist, top, scored);
        List<ScoredItem> out = new ArrayList<>(q.k());
        for (int j = 0; j < top.size(); j++) {
            int i = top.get(j);
            out.add(new ScoredItem(vocab.idOf(i), scores[i], because.get(j)));
        }
        out.addAll(cold);
        LoadedModel.Identity id = m.identity();
        return new RecommendationResponse(userId, new ModelRef(id.name(), id.version()), historyFailed,
                historyFailed ? "history-unavailable" : null, out);
    }

    /** Per item, the history items with the most attention (at most three); nulls for non-attention models. */
    private static List<List<Because>> because(LoadedModel m, int user, int[] hist, List<Integer> items,
                                                LoadedModel.Scores scored) {
        if (!m.explains() || hist.length == 0) return java.util.Collections.nCopies(items.size(), null);
        int[] ids = items.stream().mapToInt(Integer::intValue).toArray();
        List<List<Because>> out = new ArrayList<>(ids.length);
        List<Explainer.Attribution> previous = null;
        for (List<Explainer.Attribution> attributions : m.explain(user, hist, ids, scored)) {
            if (attributions == previous) { // self-attention: one list shared by every item
                out.add(out.get(out.size() - 1));
                continue;
            }
            previous = attributions;
            out.add(attributions.stream()
                    .sorted((a, b) -> Double.compare(b.weight(), a.weight()))
                    .limit(3)
                    .map(a -> new Because(m.items().idOf(a.item()), a.weight()))
                    .toList());
        }
        return out;
    }

    private List<ScoredItem> coldItems(ModelView v, List<String> oldestFirst, Set<String> seen, Query q) {
        ServingConfig.ColdItems c = config.coldItems();
        int slots = Math.min(c.maxSlots(), q.k());
        if (slots <= 0 || v.coldItems().isEmpty() || oldestFirst.isEmpty()) return List.of();
        ContentIndex content = v.items().content();
        List<String> recent = oldestFirst.subList(Math.max(0, oldestFirst.size() - c.recentItems()), oldestFirst.size());
        List<ContentIndex.Vector> vectors = new ArrayList<>();
        List<String> vectorIds = new ArrayList<>();
        for (String id : recent) {
            ContentIndex.Vector vec = content.vector(id);
            if (!vec.isEmpty()) {
                vectors.add(vec);
                vectorIds.add(id);
            }
        }
        if (vectors.isEmpty()) return List.of();
        List<ScoredItem> found = new ArrayList<>();
        for (String id : v.coldItems()) {
            if (seen.contains(id) || !eligible(v.items().byId().get(id), q)) continue;
            ContentIndex.Vector vec = content.vector(id);
            double best = 0;
            String because = null;
            for (int i = 0; i < vectors.size(); i++) {
                double s = vec.dot(vectors.get(i));
                if (s > best) {
                    best = s;
                    because = vectorIds.get(i);
                }
            }
            if (best >= c.minSimilarity()) found.add(new ScoredItem(id, best, List.of(new Because(because, best))));
        }
        found.sort((a, b) -> Double.compare(b.score(), a.score()));
        return found.subList(0, Math.min(slots, found.size()));
    }

    private RecommendationResponse trending(String userId, Collection<String> seen, Query q, String reason) {
        ItemCatalog.Items items = catalog.items();
        Set<String> skip = q.excludeSeen() ? new HashSet<>(seen) : Set.of();
        List<ScoredItem> out = new ArrayList<>(q.k());
        for (ItemCatalog.Trend t : catalog.trending().items()) {
            if (out.size() >= q.k()) break;
            if (skip.contains(t.itemId()) || !eligible(items.byId().get(t.itemId()), q)) continue;
            out.add(new ScoredItem(t.itemId(), t.count(), null));
        }
        return new RecommendationResponse(userId, null, true, reason, out);
    }

    /** Items missing from the catalogue table count as available and without categories. */
    private static boolean eligible(ItemCatalog.Item item, Query q) {
        if (q.excludeUnavailable() && item != null && !item.available()) return false;
        return q.category() == null || (item != null && item.categories().contains(q.category()));
    }

    private ModelView view(LoadedModel m) {
        ItemCatalog.Items items = catalog.items();
        ModelView v = view;
        if (v != null && v.modelId() == m.identity().id() && v.items() == items) return v;
        Vocabulary vocab = m.items();
        ItemCatalog.Item[] byIndex = new ItemCatalog.Item[m.numItems()];
        for (int i = 0; i < byIndex.length; i++) byIndex[i] = items.byId().get(vocab.idOf(i));
        List<String> cold = new ArrayList<>();
        for (Map.Entry<String, ItemCatalog.Item> e : items.byId().entrySet()) {
            if (vocab.indexOf(e.getKey()) < 0) cold.add(e.getKey());
        }
        v = new ModelView(m.identity().id(), items, byIndex, List.copyOf(cold));
        view = v; // last writer wins; two models alternating only rebuild more often
        return v;
    }

    /** The last `length` known items of the history as model indices, oldest first. */
    static int[] indices(Vocabulary vocab, List<String> oldestFirst, int length) {
        int[] buf = new int[Math.min(length, oldestFirst.size())];
        int n = 0;
        for (int i = oldestFirst.size() - 1; i >= 0 && n < buf.length; i--) {
            int idx = vocab.indexOf(oldestFirst.get(i));
            if (idx >= 0) buf[buf.length - 1 - n++] = idx;
        }
        int[] out = new int[n];
        System.arraycopy(buf, buf.length - n, out, 0, n);
        return out;
    }

    private static List<String> reversed(List<String> newestFirst) {
        List<String> out = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(out);
        return out;
    }
}
