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

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The TensorFlow models' factories, for {@link dev.penchant.core.model.ModelCatalog} (their specs live there). */
public final class TfModels implements ModelProvider {
    @Override
    public Map<String, Function<Hyperparameters, Recommender>> factories() {
        Map<String, Function<Hyperparameters, Recommender>> m = new LinkedHashMap<>();
        m.put("dnn", DnnRecommender::new);
        m.put("neumf", NeuMfRecommender::new);
        m.put("gan", GanRecommender::new);
        m.put("sasrec", SasRecRecommender::new);
        m.put("din", DinRecommender::new);
        m.put("bilstm", BiLstmRecommender::new);
        return m;
    }
}
