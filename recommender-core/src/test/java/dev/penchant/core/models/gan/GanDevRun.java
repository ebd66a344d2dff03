package dev.penchant.core.models.gan;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Development run on ML-100K through the shared pipeline and Evaluator: java ... GanDevRun key=value... */
public final class GanDevRun {
    public static void main(String[] args) {
        Dataset ds = new Preprocessor(PreprocessOptions.fromMap(Map.of()))
                .run(DataFormats.open(Path.of("/work/shared/data/ml-100k"), "movielens-atomic", Map.of())).dataset();
        Split split = Splitter.split("loo", ds.interactions(), ds.numItems(), 0.1, 0.1);
        if (Boolean.getBoolean("truncate")) split = dev.penchant.core.augment.HistoryTruncation.truncate(split, 0.5, 20, 42);
        Evaluator ev = new Evaluator(split, null);
        Map<String, String> hp = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            hp.put(kv[0], kv[1]);
        }
        ProgressListener p = new ProgressListener() {
            @Override
            public void epochEnd(int epoch, double loss, Map<String, Double> m) {
                System.out.printf(Locale.ROOT, "epoch %d d %.3f g %.3f l1 %.3f cov %.3f ndcg %s hr %s%n", epoch, m.get("d_loss"), m.get("g_loss"),
                        m.get("gen_pairwise_l1"), m.get("gen_top10_coverage"), m.get("NDCG@10"), m.get("HR@10"));
            }
        };
        try (GanRecommender g = new GanRecommender(new Hyperparameters(hp))) {
            g.fit(new TrainingContext(ds, split, new Hyperparameters(hp), 42, p, ev::validationMetrics));
            System.out.println(g.stats());
            System.out.println("test sampled " + ev.sampled("gan", g, "test").metrics());
            System.out.println("test full    " + ev.full("gan", g, "test").metrics());
        }
    }
}
