import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.preprocess.HistoryRules;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import dev.penchant.tf.ExportedModel;
import dev.penchant.tf.TfRecommender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Self-attention serving graph against the full graph, same weights, in one run: SASRec (window from
 * the data: 200 on ML-100K) trained briefly, then one user per scoring call from `threads` threads,
 * alternating rounds of the training session's graph (every position through every block: what the
 * export graph was before it scored the last position only) and the exported SavedModel (the last
 * block for the last position only). Prints scorings/s of each, the ratio, and the largest score
 * difference over every user.
 */
public final class AttentionServingBench {
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/data/ml-100k");
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Dataset ds = Preprocessor.build(DataFormats.open(data, "movielens-atomic", Map.of())).dataset();
        Split split = Splitter.leaveOneOut(ds.interactions(), ds.numItems());
        Evaluator evaluator = new Evaluator(split, ds.interactions());
        Hyperparameters hp = new Hyperparameters(Map.of("epochs", "3", "validate_every", "3"));
        try (Recommender r = ModelCatalog.create("sasrec", hp)) {
            r.fit(new TrainingContext(ds, split, hp, 42L, ProgressListener.NONE, evaluator::validationMetrics));
            Path dir = Files.createTempDirectory("attention-bench");
            ((TfRecommender) r).export(dir, Map.of(), HistoryRules.none());
            try (ExportedModel exported = ExportedModel.open(dir)) {
                int[][] histories = new int[split.train().length][];
                int window = exported.historyLength();
                for (int u = 0; u < histories.length; u++) {
                    int[] s = split.train()[u];
                    histories[u] = Arrays.copyOfRange(s, Math.max(0, s.length - window), s.length);
                }
                float maxDiff = 0;
                for (int u = 0; u < histories.length; u += 64) {
                    int n = Math.min(64, histories.length - u);
                    int[] users = new int[n];
                    int[][] h = Arrays.copyOfRange(histories, u, u + n);
                    for (int i = 0; i < n; i++) users[i] = u + i;
                    float[][] a = r.scoreAll(users, h), b = exported.scoreAll(users, h);
                    for (int i = 0; i < n; i++) for (int j = 0; j < a[i].length; j++) maxDiff = Math.max(maxDiff, Math.abs(a[i][j] - b[i][j]));
                }
                System.out.printf("sasrec window %d, %d items, %d users; largest |score difference| full vs last-position graph: %.2e%n",
                        window, ds.numItems(), histories.length, maxDiff);
                rate(r, histories, threads, 3); // warm-up
                rate(exported, histories, threads, 3);
                double[] full = new double[rounds], last = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    full[i] = rate(r, histories, threads, seconds);
                    last[i] = rate(exported, histories, threads, seconds);
                    System.out.printf("round %d: full graph %.0f scorings/s, last-position graph %.0f scorings/s, ratio %.2f%n",
                            i + 1, full[i], last[i], last[i] / full[i]);
                }
                double[] ratio = new double[rounds];
                for (int i = 0; i < rounds; i++) ratio[i] = last[i] / full[i];
                Arrays.sort(ratio);
                Arrays.sort(full);
                Arrays.sort(last);
                System.out.printf("median of %d rounds (%d threads, one user a call): full %.0f/s, last-position %.0f/s; median ratio of a round %.2f%n",
                        rounds, threads, full[rounds / 2], last[rounds / 2], ratio[rounds / 2]);
            }
        }
    }

    private static double rate(dev.penchant.core.model.Scorer s, int[][] histories, int threads, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        Future<?>[] f = new Future<?>[threads];
        for (int t = 0; t < threads; t++) {
            int offset = t;
            f[t] = pool.submit(() -> {
                for (int u = offset; System.nanoTime() < end; u = (u + threads) % histories.length) {
                    s.scoreAll(new int[]{u}, new int[][]{histories[u]});
                    done.incrementAndGet();
                }
            });
        }
        for (Future<?> x : f) x.get();
        pool.shutdown();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
