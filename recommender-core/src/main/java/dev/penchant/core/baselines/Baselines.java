package dev.penchant.core.baselines;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelProvider;
import dev.penchant.core.model.Recommender;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The pure-Java baselines, for {@link dev.penchant.core.model.ModelCatalog} (their specs live there). */
public final class Baselines implements ModelProvider {
    @Override
    public Map<String, Function<Hyperparameters, Recommender>> factories() {
        Map<String, Function<Hyperparameters, Recommender>> m = new LinkedHashMap<>();
        m.put("popularity", hp -> new PopularityRecommender());
        m.put("transition", hp -> new TransitionRecommender());
        m.put("itemknn", ItemKnnRecommender::new);
        m.put("seqknn", SeqKnnRecommender::new);
        return m;
    }
}
