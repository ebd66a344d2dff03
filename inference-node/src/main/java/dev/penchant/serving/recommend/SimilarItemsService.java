package dev.penchant.serving.recommend;

import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.models.LoadedModel;
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

    public SimilarItemsService(ModelHolder models, ItemCatalog catalog) {
        this.models = models;
        this.catalog = catalog;
    }

    public SimilarResponse similar(String itemId, int k, boolean excludeUnavailable) {
        ItemCatalog.Items items = catalog.items();
        LoadedModel m = models.acquire(null);
        try {
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
        } finally {
            if (m != null) m.release();
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
