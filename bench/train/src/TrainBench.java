import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Features;
import dev.penchant.core.data.Interactions;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.model.TrainingStats;
import dev.penchant.tf.dnn.DnnRecommender;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Training benchmark: raw TF MatMul ceiling, DNN (and NeuMF, baselines) on ML-100K with the shared
 * evaluator (leave-one-out; sampled-100 and full ranking), DNN throughput on a 1,000,000-item catalogue.
 * Usage: TrainBench <ml-100k dir> [models=popularity,transition,neumf,dnn,sasrec] [no-matmul] [no-1m] [key=value ...]
 * (sasrec: an example is one trained sequence position; time_to_best = seconds to the best validation NDCG@10)
 * (key=value pairs are hyperparameters given to the TF models, e.g. dim=32)
 */
public final class TrainBench {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Process CPU seconds so far: with other work on the machine, wall-clock rates understate. */
    static double cpuSeconds() {
        return OS.getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        List<String> models = List.of("popularity", "transition", "neumf", "dnn", "sasrec");
        boolean matmul = true, million = true;
        Map<String, String> given = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("models=")) models = args[i].equals("models=none") ? List.of() : List.of(args[i].substring(7).split(","));
            else if (args[i].equals("no-matmul")) matmul = false;
            else if (args[i].equals("no-1m")) million = false;
            else if (args[i].contains("=")) given.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
            else throw new IllegalArgumentException("unknown argument " + args[i]);
        }
        System.out.printf("TensorFlow %s, %d CPUs visible to the JVM, load average %.1f, %s%n", TensorFlow.version(),
                Runtime.getRuntime().availableProcessors(), OS.getSystemLoadAverage(), new java.util.Date());

        // 1. raw MatMul ceiling
        double peak = 0;
        for (int n : matmul ? new int[]{1024, 2048} : new int[0]) {
            double g = matmulGflops(n, n == 1024 ? 20 : 10);
            peak = Math.max(peak, g);
            System.out.printf("matmul n=%d: %.1f GFLOP/s%n", n, g);
        }

        // 2. ML-100K through the shared pipeline and evaluator
        Dataset ds = Preprocessor.build(DataFormats.open(data, "movielens-atomic", Map.of())).dataset();
        Split split = Splitter.leaveOneOut(ds.interactions(), ds.numItems());
        Evaluator evaluator = new Evaluator(split, ds.interactions());
        System.out.printf("ml-100k: %d users, %d items, %d interactions, user features %d, item features %d%n",
                ds.numUsers(), ds.numItems(), ds.interactions().size(), ds.userFeatures().width(), ds.itemFeatures().width());
        for (String name : models) {
            Hyperparameters hp = ModelCatalog.BASELINES.contains(name) ? Hyperparameters.empty() : new Hyperparameters(given);
            try (Recommender r = ModelCatalog.create(name, hp)) {
                long t0 = System.nanoTime();
                double cpu0 = cpuSeconds();
                r.fit(new TrainingContext(ds, split, hp, 42L, ProgressListener.NONE, evaluator::validationMetrics));
                double fitSeconds = (System.nanoTime() - t0) / 1e9;
                double fitCpu = cpuSeconds() - cpu0;
                Map<String, Double> sampled = null, full = null;
                for (EvaluationResult e : evaluator.evaluateAll(name, r)) {
                    if (!e.split().equals("test")) continue;
                    if (e.protocol().equals(Evaluator.SAMPLED)) sampled = e.metrics();
                    if (e.protocol().equals(Evaluator.FULL)) full = e.metrics();
                }
                System.out.printf("%-10s test sampled-100 HR@10=%.4f NDCG@10=%.4f | full Recall@10=%.4f NDCG@10=%.4f | fit %.1fs wall, %.1f CPU-s%n",
                        name, sampled.get("HR@10"), sampled.get("NDCG@10"), full.get("Recall@10"), full.get("NDCG@10"), fitSeconds, fitCpu);
                TrainingStats s = r.stats();
                if (s != null) {
                    System.out.printf("%-10s device=%s examples/s=%.0f (%.0f per CPU-s) epochs=%d best_epoch=%d best_val_NDCG@10=%.4f time_to_best=%.1fs%n",
                            name, s.device(), s.examplesPerSecond(), s.examplesPerCpuSecond(), s.epochs(), s.bestEpoch(), s.bestMetric(), s.secondsToBest());
                    if (name.equals("sasrec")) {
                        System.out.printf("sasrec     self-attention: %.0f positions/s, best validation NDCG@10 %.4f after %.1fs (epoch %d of %d)%n",
                                s.examplesPerSecond(), s.bestMetric(), s.secondsToBest(), s.bestEpoch(), s.epochs());
                    }
                    if (r instanceof DnnRecommender dnn) {
                        double achieved = s.examplesPerSecond() * dnn.trainingFlopsPerExample() / 1e9;
                        System.out.printf("dnn        ~%.0f kFLOP/example -> %.2f GFLOP/s = %.1f%% of the MatMul ceiling (%.0f GFLOP/s)%n",
                                dnn.trainingFlopsPerExample() / 1e3, achieved, peak > 0 ? 100 * achieved / peak : Double.NaN, peak);
                    }
                }
            }
        }

        // 3. 1,000,000-item catalogue (generated), one epoch, no validation
        if (!million) return;
        int numItems = 1_000_000;
        Dataset big = generated(numItems, 5_000, 40, 7);
        Split bigSplit = Splitter.leaveOneOut(big.interactions(), big.numItems());
        Map<String, String> hp = new HashMap<>(given);
        hp.put("epochs", "1");
        try (Recommender r = ModelCatalog.create("dnn", new Hyperparameters(hp))) {
            double cpu0 = cpuSeconds();
            long t0 = System.nanoTime();
            r.fit(new TrainingContext(big, bigSplit, new Hyperparameters(hp), 42L, ProgressListener.NONE, null));
            double wall = (System.nanoTime() - t0) / 1e9, cpu = cpuSeconds() - cpu0;
            TrainingStats s = r.stats();
            System.out.printf("dnn 1M-item catalogue: device=%s examples/s=%.0f (%.0f per CPU-s; %d examples; target >= 50000); fit incl. graph build %.1fs wall, %.1f CPU-s; load average now %.1f%n",
                    s.device(), s.examplesPerSecond(), s.examplesPerCpuSecond(), s.examples(), wall, cpu, OS.getSystemLoadAverage());
        }
    }

    static double matmulGflops(int n, int runs) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Operand<TFloat32> a = tf.variable(tf.random.statelessRandomUniform(tf.constant(new int[]{n, n}), tf.constant(new long[]{1, 2})));
            Operand<TFloat32> b = tf.variable(tf.random.statelessRandomUniform(tf.constant(new int[]{n, n}), tf.constant(new long[]{3, 4})));
            Operand<TFloat32> c = tf.sum(tf.linalg.matMul(a, b), tf.constant(new int[]{0, 1}));
            try (Session s = new Session(g)) {
                s.initialize();
                for (int i = 0; i < 3; i++) s.runner().fetch(c).run().close();
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    try (Result r = s.runner().fetch(c).run()) {
                        // result closed
                    }
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                return 2.0 * n * n * (double) n * runs / sec / 1e9;
            }
        }
    }

    /** Users with log-uniform item popularity over a large catalogue, no side features. */
    static Dataset generated(int numItems, int numUsers, int perUser, long seed) {
        Random rng = new Random(seed);
        Vocabulary users = new Vocabulary();
        Vocabulary items = new Vocabulary();
        for (int i = 0; i < numItems; i++) items.add(Integer.toString(i));
        int[][] seqs = new int[numUsers][perUser];
        float[][] vals = new float[numUsers][perUser];
        long[][] ts = new long[numUsers][perUser];
        for (int u = 0; u < numUsers; u++) {
            users.add("u" + u);
            for (int t = 0; t < perUser; t++) {
                seqs[u][t] = Math.min(numItems - 1, (int) Math.pow(numItems, rng.nextDouble()) - 1);
                vals[u][t] = Float.NaN;
                ts[u][t] = t;
            }
        }
        return new Dataset("generated-1m", users, items, new Interactions(seqs, vals, ts),
                Features.empty(numUsers), Features.empty(numItems));
    }
}
