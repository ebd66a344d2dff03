package dev.penchant.core.model;

import java.util.List;

/**
 * The one place that maps model names (as used by the launcher, jobs and reports) to classes.
 * Add a case per model.
 */
public final class ModelCatalog {
    private ModelCatalog() {
    }

    /** Baselines, computed by the same evaluator as the models, shown beside them in every report. */
    public static final List<String> BASELINES = List.of("popularity", "transition", "itemknn");

    public static Recommender create(String name, Hyperparameters hp) {
        return switch (name) {
            // cases added by each model's implementation
            case "popularity" -> new dev.penchant.core.baselines.PopularityRecommender();
            case "transition" -> new dev.penchant.core.baselines.TransitionRecommender();
            case "itemknn" -> new dev.penchant.core.baselines.ItemKnnRecommender(hp);
            case "dnn" -> new dev.penchant.core.models.dnn.DnnRecommender(hp);
            case "neumf" -> new dev.penchant.core.models.neumf.NeuMfRecommender(hp);
            case "gan" -> new dev.penchant.core.models.gan.GanRecommender(hp);
            case "sasrec" -> new dev.penchant.core.models.sasrec.SasRecRecommender(hp);
            case "din" -> new dev.penchant.core.models.din.DinRecommender(hp);
            case "bilstm" -> new dev.penchant.core.models.bilstm.BiLstmRecommender(hp);
            default -> throw new IllegalArgumentException("unknown model '" + name + "'; known: " + known());
        };
    }

    public static List<String> known() {
        return List.of("popularity", "transition", "itemknn", "dnn", "neumf", "gan", "sasrec", "din", "bilstm");
    }
}
