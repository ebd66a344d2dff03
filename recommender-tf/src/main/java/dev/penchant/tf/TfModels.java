package dev.penchant.tf;

import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelProvider;
import dev.penchant.core.model.Recommender;
import dev.penchant.tf.bilstm.BiLstmRecommender;
import dev.penchant.tf.din.DinRecommender;
import dev.penchant.tf.dnn.DnnRecommender;
import dev.penchant.tf.gan.GanRecommender;
import dev.penchant.tf.neumf.NeuMfRecommender;
import dev.penchant.tf.sasrec.SasRecRecommender;

import java.util.List;

/** The TensorFlow models, for {@link dev.penchant.core.model.ModelCatalog}. */
public final class TfModels implements ModelProvider {
    @Override
    public List<String> names() {
        return List.of("dnn", "neumf", "gan", "sasrec", "din", "bilstm");
    }

    @Override
    public Recommender create(String name, Hyperparameters hp) {
        return switch (name) {
            case "dnn" -> new DnnRecommender(hp);
            case "neumf" -> new NeuMfRecommender(hp);
            case "gan" -> new GanRecommender(hp);
            case "sasrec" -> new SasRecRecommender(hp);
            case "din" -> new DinRecommender(hp);
            case "bilstm" -> new BiLstmRecommender(hp);
            default -> throw new IllegalArgumentException("not a TensorFlow model: " + name);
        };
    }
}
