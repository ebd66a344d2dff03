package dev.penchant.core.baselines;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelProvider;
import dev.penchant.core.model.Recommender;

import java.util.List;

/** The pure-Java baselines, for {@link dev.penchant.core.model.ModelCatalog}. */
public final class Baselines implements ModelProvider {
    @Override
    public List<String> names() {
        return List.of("popularity", "transition", "itemknn", "seqknn");
    }

    @Override
    public Recommender create(String name, Hyperparameters hp) {
        return switch (name) {
            case "popularity" -> new PopularityRecommender();
            case "transition" -> new TransitionRecommender();
            case "itemknn" -> new ItemKnnRecommender(hp);
            case "seqknn" -> new SeqKnnRecommender(hp);
            default -> throw new IllegalArgumentException("not a baseline: " + name);
        };
    }
}
