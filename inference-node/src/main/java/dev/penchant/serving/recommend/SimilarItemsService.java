package dev.penchant.serving.recommend;

import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.exposure.ExposureLog;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.recommend.Dtos.ExperimentRef;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import dev.penchant.serving.models.ModelHolder;
import dev.penchant.serving.recommend.Dtos.ModelRef;
import dev.penchant.serving.recommend.Dtos.ScoredItem;
import dev.penchant.serving.recommend.Dtos.SimilarResponse;
import dev.penchant.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Similar items: cosine of the model's item embeddings when the artifact has them and knows the item;
 * otherwise content similarity (TF-IDF of title/description + categories), which also covers items
 * added after the model was trained.
 */
@ApplicationScoped
public class SimilarItemsService {
    private final ModelHolder models;
    private final ItemCatalog catalog;

    private final ExposureLog exposures;

    public SimilarItemsService(ModelHolder models, ItemCatalog catalog, ExposureLog exposures) {
        this.models = models;
        this.catalog = catalog;
        this.exposures = exposures;
    }

    /** @param userId optional: makes the request assignable to an experiment on the similar surface */
    public SimilarResponse similar(String itemId, String userId, int k, boolean excludeUnavailable) {
        ModelHolder.Route route = models.route(ModelHolder.SIMILAR, userId, null);
        try {
            SimilarResponse r = answer(itemId, route.model(), k, excludeUnavailable);
            UUID id = UUID.randomUUID();
            String[] shown = r.items().stream().map(ScoredItem::itemId).toArray(String[]::new);
            boolean assigned = route.variant() != null;
            exposures.log(new ExposureLog.Exposure(id, OffsetDateTime.now(ZoneOffset.UTC), userId, ModelHolder.SIMILAR,
                    assigned ? route.experiment().id() : null, assigned ? route.variant().id() : null,
                    r.model() != null && route.model() != null ? route.model().identity().id() : null,
                    r.model() == null ? r.method() : null, shown));
            return r.served(id.toString(), assigned ? new ExperimentRef(route.experiment().key(), route.variant().name()) : null);
        } finally {
            route.release();
        }
    }

    private SimilarResponse answer(String itemId, LoadedModel m, int k, boolean excludeUnavailable) {
        ItemCatalog.Items items = catalog.items();
        {
            if (m != null && m.itemEmbeddings() != null) {
                int idx = m.items().indexOf(itemId);
                if (idx >= 0) {
                    return new SimilarResponse(itemId, "embedding",
                            new ModelRef(m.identity().name(), m.identity().version()),
                            byEmbedding(m, idx, k, items, excludeUnavailable));
                }
            }
            boolean known = items.byId().containsKey(itemId) || (m != null && m.items().indexOf(itemId) >= 0);
            if (!known) throw ProblemException.notFound("Unknown item '" + itemId + "'");
            List<ScoredItem> out = new ArrayList<>();
            for (Map.Entry<String, Double> e : items.content().similar(itemId, k, id -> keep(items, id, excludeUnavailable))) {
                out.add(new ScoredItem(e.getKey(), e.getValue(), null));
            }
            return new SimilarResponse(itemId, "content", null, out);
        }
    }

    private static boolean keep(ItemCatalog.Items items, String id, boolean excludeUnavailable) {
        ItemCatalog.Item i = items.byId().get(id);
        return !excludeUnavailable || i == null || i.available();
    }

    private static List<ScoredItem> byEmbedding(LoadedModel m, int idx, int k, ItemCatalog.Items items,
                                                boolean excludeUnavailable) {
        float[][] e = m.itemEmbeddings();
        float[] q = e[idx];
        double qn = norm(q);
        int n = e.length;
        double[] sim = new double[n];
        PriorityQueue<Integer> heap = new PriorityQueue<>((a, b) -> Double.compare(sim[a], sim[b]));
        for (int i = 0; i < n; i++) {
            if (i == idx || !keep(items, m.items().idOf(i), excludeUnavailable)) continue;
            double dot = 0;
            for (int d = 0; d < q.length; d++) dot += q[d] * e[i][d];
            double denom = qn * norm(e[i]);
            sim[i] = denom == 0 ? 0 : dot / denom;
            if (heap.size() < k) heap.add(i);
            else if (sim[i] > sim[heap.peek()]) {
                heap.poll();
                heap.add(i);
            }
        }
        List<Integer> top = new ArrayList<>(heap);
        top.sort((a, b) -> Double.compare(sim[b], sim[a]));
        List<ScoredItem> out = new ArrayList<>(top.size());
        for (int i : top) out.add(new ScoredItem(m.items().idOf(i), sim[i], null));
        return out;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += x * x;
        return Math.sqrt(s);
    }
}
