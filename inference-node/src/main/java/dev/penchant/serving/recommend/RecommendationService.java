package dev.penchant.serving.recommend;

import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Explainer;
import dev.penchant.core.preprocess.HistoryEncoder;
import dev.penchant.serving.catalog.ContentIndex;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.config.ServingConfig;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.models.ModelHolder;
import dev.penchant.serving.exposure.ExposureLog;
import dev.penchant.serving.recommend.Dtos.Because;
import dev.penchant.serving.recommend.Dtos.ExperimentRef;
import dev.penchant.serving.recommend.Dtos.ModelRef;
import dev.penchant.serving.recommend.Dtos.Query;
import dev.penchant.serving.recommend.Dtos.RecommendationResponse;
import dev.penchant.serving.recommend.Dtos.ScoredItem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Builds a recommendation: the user's events from PostgreSQL turned into the model's history exactly as
 * its training data was built (the artifact's preprocessing, through the core's HistoryEncoder),
 * scoring off the event loop (micro-batched per model), filters (excludeSeen: the whole history), a
 * few content-matched slots for items the model has never seen, and the trending list, labelled as a
 * fallback, whenever a model cannot answer personally (no model, a user it cannot personalise for, a
 * user its preprocessing drops, a scoring failure).
 */
@ApplicationScoped
public class RecommendationService {
    private static final Logger LOG = Logger.getLogger(RecommendationService.class);

    /** Catalogue facts per model item index, kept by each model and rebuilt when the catalogue copy changes. */
    private record ModelView(ItemCatalog.Items items, ItemCatalog.Item[] byIndex, List<String> coldItems) {
    }

    private final ModelHolder models;
    private final ItemCatalog catalog;
    private final HistoryReader history;
    private final ServingConfig config;
    private final ExposureLog exposures;

    public RecommendationService(ModelHolder models, ItemCatalog catalog, HistoryReader history, ServingConfig config,
                                 ExposureLog exposures) {
        this.models = models;
        this.exposures = exposures;
        this.catalog = catalog;
        this.history = history;
        this.config = config;
    }

    /**
     * What one request knows about the user: the events read (newest ones, oldest first), the history the
     * model reads (built with the model's recorded preprocessing), and for excludeSeen every item the
     * user has an event for. failed: the database did not answer in time.
     */
    private record UserHistory(List<String> recent, HistoryEncoder.Encoded encoded, Set<String> seen, boolean failed) {
        static final UserHistory FAILED = new UserHistory(List.of(), HistoryEncoder.Encoded.EMPTY, Set.of(), true);
    }

    /** Users deleted at their request are answered cold start (their data is gone; this covers the deletion's run). */
    @jakarta.inject.Inject
    dev.penchant.serving.privacy.PrivacyGuard privacy;

    public Uni<RecommendationResponse> forUser(String userId, Query q) {
        if (privacy != null && privacy.suppressed(userId)) {
            return Uni.createFrom().item(() -> trending(userId, Set.of(), q, "cold-start"));
        }
        return Uni.createFrom().deferred(() -> {
            // one read serves whichever model the request routes to (the longest window of the set)
            int limit = Math.max(config.history().maxEvents(), models.maxHistoryLength());
            return history.latest(userId, limit)
                    .onFailure().recoverWithItem(e -> {
                        LOG.warnf("history of %s unavailable: %s", userId, e.toString());
                        return null;
                    })
                    .chain(e -> {
                        ModelHolder.Route route = models.route(ModelHolder.USER, userId, since -> isNew(e, since));
                        LoadedModel m = route.model();
                        Uni<UserHistory> h = e == null ? Uni.createFrom().item(UserHistory.FAILED)
                                : seen(userId, e, encode(m, e), q).onFailure().recoverWithItem(x -> {
                                    LOG.warnf("history of %s unavailable: %s", userId, x.toString());
                                    return UserHistory.FAILED;
                                });
                        return h.chain(uh -> answer(userId, uh, m, q))
                                .map(r -> served(ModelHolder.USER, userId, route, r))
                                .onTermination().invoke(route::release);
                    });
        });
    }

    /** For audience new_users: no event before the experiment started (an unreadable history is not new). */
    private static boolean isNew(HistoryReader.Events e, java.time.Instant since) {
        if (e == null || !e.complete()) return false;
        return e.size() == 0 || e.seconds()[0] >= since.getEpochSecond();
    }

    /** The answer's recommendation id and experiment, and its exposure queued for the writer (never waited for). */
    private RecommendationResponse served(String surface, String userId, ModelHolder.Route route, RecommendationResponse r) {
        UUID id = UUID.randomUUID();
        ExperimentRef exp = route.variant() == null ? null : new ExperimentRef(route.experiment().key(), route.variant().name());
        String[] items = new String[r.items().size()];
        for (int i = 0; i < items.length; i++) items[i] = r.items().get(i).itemId();
        Long modelId = r.model() != null && route.model() != null ? route.model().identity().id() : null;
        exposures.log(new ExposureLog.Exposure(id, OffsetDateTime.now(ZoneOffset.UTC), userId, surface,
                route.variant() == null ? null : route.experiment().id(), route.variant() == null ? null : route.variant().id(),
                modelId, r.fallbackReason(), items));
        return r.served(id.toString(), exp);
    }

    private static HistoryEncoder.Encoded encode(LoadedModel m, HistoryReader.Events e) {
        return m == null ? HistoryEncoder.Encoded.EMPTY : m.encoder().encode(e.items(), e.types(), e.values(), e.seconds(), e.size());
    }

    /** The history with, for excludeSeen, every item of the user: those read, plus (long histories) the rest. */
    private Uni<UserHistory> seen(String userId, HistoryReader.Events e, HistoryEncoder.Encoded encoded, Query q) {
        int from = Math.max(0, e.size() - config.coldItems().recentItems());
        List<String> items = java.util.Arrays.asList(e.items());
        List<String> recent = items.subList(from, e.size());
        if (!q.excludeSeen()) return Uni.createFrom().item(new UserHistory(recent, encoded, Set.of(), false));
        Set<String> read = new HashSet<>(items);
        if (e.complete()) return Uni.createFrom().item(new UserHistory(recent, encoded, read, false));
        return history.seenItems(userId).map(all -> {
            all.addAll(read);
            return new UserHistory(recent, encoded, all, false);
        });
    }

    /**
     * A session: the recent items stand in for the history and for what was seen; userId (optional)
     * makes it assignable to an experiment on the session surface.
     */
    public Uni<RecommendationResponse> forSession(String userId, List<String> recentItems, Query q) {
        return Uni.createFrom().deferred(() -> {
            ModelHolder.Route route = models.route(ModelHolder.SESSION, userId, null);
            LoadedModel m = route.model();
            HistoryEncoder.Encoded encoded = m == null ? HistoryEncoder.Encoded.EMPTY : m.encoder().encodeItems(recentItems);
            int from = Math.max(0, recentItems.size() - config.coldItems().recentItems());
            UserHistory h = new UserHistory(recentItems.subList(from, recentItems.size()), encoded,
                    q.excludeSeen() ? new HashSet<>(recentItems) : Set.of(), false);
            return answer(null, h, m, q).map(r -> served(ModelHolder.SESSION, userId, route, r))
                    .onTermination().invoke(route::release);
        });
    }

    private Uni<RecommendationResponse> answer(String userId, UserHistory h, LoadedModel m, Query q) {
        if (m == null) return Uni.createFrom().item(() -> trending(userId, h.seen(), q, "no-model"));
        int user = userId == null ? -1 : m.users().indexOf(userId);
        // the model never saw users its preprocessing drops (the bot rule): its answer would mean nothing
        if (h.encoded().filtered()) return Uni.createFrom().item(() -> trending(userId, h.seen(), q, "filtered-user"));
        if (!m.canPersonalise(user, h.encoded())) {
            String reason = h.failed() ? "history-unavailable" : "cold-start";
            return Uni.createFrom().item(() -> trending(userId, h.seen(), q, reason));
        }
        int[] hist = h.encoded().items();
        return Uni.createFrom().completionStage(() -> m.score(user, hist))
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(scores -> rank(userId, m, scores, hist, user, h, q))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("scoring with %s failed, answering with trending items: %s", m, e.toString());
                    return trending(userId, h.seen(), q, "scoring-failed");
                });
    }

    private RecommendationResponse rank(String userId, LoadedModel m, LoadedModel.Scores scored, int[] hist, int user,
                                        UserHistory h, Query q) {
        float[] scores = scored.scores();
        ModelView v = view(m, catalog.items());
        Vocabulary vocab = m.items();
        int n = Math.min(scores.length, m.numItems());
        boolean[] seen = new boolean[n];
        for (String id : h.seen()) {
            int i = vocab.indexOf(id);
            if (i >= 0 && i < n) seen[i] = true;
        }

        // content-matched slots for items the model cannot score (added after it was trained)
        List<ScoredItem> cold = coldItems(v, h.recent(), h.seen(), q);

        int want = q.k() - cold.size();
        // the worst of the kept items on top; equal scores rank the lower item index first, so an answer
        // never depends on iteration order
        java.util.Comparator<Integer> better = (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b);
        PriorityQueue<Integer> heap = new PriorityQueue<>(want + 1, better.reversed());
        for (int i = 0; i < n; i++) {
            if (seen[i] || !eligible(v.byIndex()[i], q)) continue;
            if (heap.size() < want) heap.add(i);
            else if (want > 0 && better.compare(i, heap.peek()) < 0) {
                heap.poll();
                heap.add(i);
            }
        }
        List<Integer> top = new ArrayList<>(heap);
        top.sort(better);
        List<List<Because>> because = because(m, user, hist, top, scored);
        List<ScoredItem> out = new ArrayList<>(q.k());
        for (int j = 0; j < top.size(); j++) {
            int i = top.get(j);
            out.add(new ScoredItem(vocab.idOf(i), scores[i], because.get(j)));
        }
        out.addAll(cold);
        LoadedModel.Identity id = m.identity();
        return new RecommendationResponse(userId, new ModelRef(id.name(), id.version()), h.failed(),
                h.failed() ? "history-unavailable" : null, out);
    }

    /**
     * Per item, the past items that weighed most (at most three, each once, weights of repeated items
     * summed); nulls for models without attention. Target attention (DIN) explains each item by itself;
     * self-attention's weights do not depend on the item, so its items share one list.
     */
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
            out.add(Explainer.merged(attributions, 3).stream()
                    .map(a -> new Because(m.items().idOf(a.item()), a.weight()))
                    .toList());
        }
        return out;
    }

    /** @param recent the user's newest items (at most coldItems.recentItems), oldest first */
    private List<ScoredItem> coldItems(ModelView v, List<String> recent, Set<String> seen, Query q) {
        ServingConfig.ColdItems c = config.coldItems();
        int slots = Math.min(c.maxSlots(), q.k());
        if (slots <= 0 || v.coldItems().isEmpty() || recent.isEmpty()) return List.of();
        ContentIndex content = v.items().content();
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

    /** @param seen what excludeSeen removes (empty when it is off) */
    private RecommendationResponse trending(String userId, Set<String> seen, Query q, String reason) {
        ItemCatalog.Items items = catalog.items();
        Set<String> skip = seen;
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

    /** The model's own view of the catalogue copy: consecutive requests on different models rebuild nothing. */
    private static ModelView view(LoadedModel m, ItemCatalog.Items items) {
        return m.derived(items, it -> {
            Vocabulary vocab = m.items();
            ItemCatalog.Item[] byIndex = new ItemCatalog.Item[m.numItems()];
            for (int i = 0; i < byIndex.length; i++) byIndex[i] = it.byId().get(vocab.idOf(i));
            List<String> cold = new ArrayList<>();
            for (Map.Entry<String, ItemCatalog.Item> e : it.byId().entrySet()) {
                if (vocab.indexOf(e.getKey()) < 0) cold.add(e.getKey());
            }
            return new ModelView(it, byIndex, List.copyOf(cold));
        });
    }
}
