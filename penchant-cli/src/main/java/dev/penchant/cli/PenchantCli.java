package dev.penchant.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.settings.InvalidSettingsException;
import dev.penchant.core.settings.SettingProblem;
import dev.penchant.core.split.Split;
import dev.penchant.core.train.TrainingRun;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The launcher's entry point:
 * {@code penchant train --data DIR_OR_FILE --format FORMAT [--model NAME] [--split loo|temporal]
 * [--report out.json] [--seed 42] [--set key=value ...] [--option key=value ...] [--baselines a,b|none]};
 * {@code penchant augment} ({@link AugmentCommand}) and {@code penchant compare} ({@link CompareCommand}).
 * --set keys starting with "data." go to preprocessing (e.g. data.implicitThreshold=4), "split." to the
 * split (split.validation, split.test fractions for temporal), "eval." to the evaluator (eval.threads,
 * eval.negatives, eval.likeThreshold); the rest are the model's hyperparameters. --option passes reader
 * options (csv column names).
 */
public final class PenchantCli {
    static final String USAGE = """
            usage: penchant models   (every model with its hyperparameters and the run settings)
                   penchant train --data DIR_OR_FILE --format movielens-atomic|movielens-udata|user-item|csv
                                  [--model dnn] [--split loo|temporal] [--report out.json] [--seed 42]
                                  [--set key=value ...] [--option key=value ...]
                                  [--baselines popularity,transition,itemknn|none]
              --set data.implicitThreshold=4 | data.botMaxEventsPerHour=500 | data.tfidfMaxVocabulary=1000
                    split.validation=0.1 split.test=0.1 (temporal) | eval.threads=2 | eval.negatives=100
                    anything else: model hyperparameter (e.g. epochs=20); every key is checked
                    against the declarations (penchant models) before any data is read
              --option (reader options, csv): user=COL item=COL value=COL timestamp=COL type=COL delimiter=,
                   penchant augment ... (same flags; GAN augmentation for sparse users, see AugmentCommand)
                   penchant compare --data .. --format .. --models all|a,b --seeds 5 [--split loo] [--set ..]
                                    [--baselines a,b|none] [--report out.json] [--out table.md]
                                    (each model over several seeds, means with 95%% intervals, paired differences)
            models: %s
            """;

    private PenchantCli() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (InvalidSettingsException e) {
            for (SettingProblem p : e.problems()) System.err.println("penchant: " + p);
            code = 2;
        } catch (IllegalArgumentException e) {
            System.err.println("penchant: " + e.getMessage());
            code = 2;
        }
        System.exit(code);
    }

    /** Parsed command line. */
    record Args(Path data, String format, String model, String split, Path report, long seed,
                Map<String, String> set, Map<String, String> options, List<String> baselines) {
    }

    static Args parse(String[] a) {
        if (a.length == 0 || !a[0].equals("train"))
            throw new IllegalArgumentException(a.length == 0 || a[0].equals("help") || a[0].startsWith("-h")
                    ? "a command is needed\n" + usage() : "unknown command '" + a[0] + "'\n" + usage());
        Path data = null;
        String format = null;
        String model = "dnn";
        String split = "loo";
        Path report = null;
        long seed = 42;
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        List<String> baselines = ModelCatalog.BASELINES;
        for (int i = 1; i < a.length; i++) {
            String flag = a[i];
            switch (flag) {
                case "--data" -> data = Path.of(value(a, ++i, flag));
                case "--format" -> format = value(a, ++i, flag);
                case "--model" -> model = value(a, ++i, flag);
                case "--split" -> split = value(a, ++i, flag);
                case "--report" -> report = Path.of(value(a, ++i, flag));
                case "--seed" -> seed = Long.parseLong(value(a, ++i, flag));
                case "--baselines" -> {
                    baselines = TrainingRun.baselines(value(a, ++i, flag));
                }
                case "--set", "--option" -> i = keyValues(a, i, flag.equals("--set") ? set : options);
                case "-h", "--help" -> throw new IllegalArgumentException(usage());
                default -> throw new IllegalArgumentException("unknown option '" + flag + "'\n" + usage());
            }
        }
        if (data == null) throw new IllegalArgumentException("--data is required\n" + usage());
        if (format == null) throw new IllegalArgumentException("--format is required (one of " + DataFormats.FORMATS + ")");
        return new Args(data, format, model, split, report, seed, set, options, baselines);
    }

    /** Reads the key=value words after the flag at a[i] into target; returns the index of the last one. */
    static int keyValues(String[] a, int i, Map<String, String> target) {
        String flag = a[i];
        int start = i;
        while (i + 1 < a.length && !a[i + 1].startsWith("--")) {
            String kv = a[++i];
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(flag + " expects key=value, got '" + kv + "'");
            target.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        if (i == start) throw new IllegalArgumentException(flag + " expects key=value");
        return i;
    }

    static String value(String[] a, int i, String flag) {
        if (i >= a.length) throw new IllegalArgumentException(flag + " needs a value");
        return a[i];
    }

    static String usage() {
        return String.format(USAGE, ModelCatalog.known());
    }

    public static int run(String[] argv, PrintStream out, PrintStream err) {
        if (argv.length > 0 && argv[0].equals("augment")) return AugmentCommand.run(argv, out, err);
        if (argv.length > 0 && argv[0].equals("models")) return ModelsCommand.run(out);
        if (argv.length > 0 && argv[0].equals("compare")) return CompareCommand.run(argv, out, err);
        Args args = parse(argv);
        // unknown models, keys, types and ranges fail before any data is read
        Map<String, String> all = new LinkedHashMap<>(args.set());
        all.put("split", args.split());
        all.put("baselines", args.baselines().isEmpty() ? "none" : String.join(",", args.baselines()));
        ModelCatalog.check(args.model(), all);

        ProgressBar bar = new ProgressBar(err);
        DataSource source = DataFormats.open(args.data(), args.format(), args.options());
        TrainingRun.Outcome run = TrainingRun.run(source,
                new TrainingRun.Settings(args.model(), args.split(), args.seed(), args.baselines(), args.set()),
                bar, stage -> {
                    err.println(stage);
                    if (stage.startsWith("training ")) bar.start(); // epoch 1's clock starts after data loading
                }, (model, ownResults, history) -> { });
        Dataset ds = run.dataset();
        List<EvaluationResult> results = run.results();
        Map<String, Object> training = new LinkedHashMap<>(run.training());
        training.put("epochs", bar.epochs);
        training.put("epochSeconds", bar.epochSeconds);
        training.put("meanEpochSeconds", bar.epochSeconds.stream().mapToDouble(Double::doubleValue).average().orElse(0));

        printTable(results, out);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "train");
        report.put("data", Map.of("path", args.data().toString(), "format", args.format(), "name", ds.name()));
        report.put("seed", args.seed());
        report.put("dataset", datasetStats(ds));
        report.put("preprocessing", run.prepared().report());
        report.put("split", splitStats(run.split()));
        report.put("protocol", run.evaluator().describe());
        report.put("training", training);
        report.put("memory", memory());
        report.put("results", results);
        return args.report() == null ? 0 : writeReport(args.report(), report, err);
    }

    /** Writes a JSON report; 0 on success, 1 (with a message on err) when it cannot. */
    static int writeReport(Path path, Map<String, Object> report, PrintStream err) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(path.toFile(), report);
        } catch (IOException e) {
            err.println("penchant: cannot write report " + path + ": " + e.getMessage());
            return 1;
        }
        err.println("report: " + path);
        return 0;
    }

    static Map<String, Object> datasetStats(Dataset ds) {
        Map<String, Object> m = new LinkedHashMap<>();
        long n = ds.interactions().size();
        m.put("name", ds.name());
        m.put("users", ds.numUsers());
        m.put("items", ds.numItems());
        m.put("interactions", n);
        m.put("density", ds.numUsers() == 0 || ds.numItems() == 0 ? 0 : (double) n / ((double) ds.numUsers() * ds.numItems()));
        m.put("avgSequenceLength", ds.numUsers() == 0 ? 0 : (double) n / ds.numUsers());
        m.put("userFeatureColumns", ds.userFeatures().width());
        m.put("itemFeatureColumns", ds.itemFeatures().width());
        return m;
    }

    static Map<String, Object> splitStats(Split s) {
        long train = 0;
        long valid = 0;
        long test = 0;
        int vu = 0;
        int tu = 0;
        for (int u = 0; u < s.numUsers(); u++) {
            train += s.train()[u].length;
            valid += s.validation()[u].length;
            test += s.test()[u].length;
            if (s.validation()[u].length > 0) vu++;
            if (s.test()[u].length > 0) tu++;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("protocol", s.protocol());
        m.put("trainInteractions", train);
        m.put("validationInteractions", valid);
        m.put("testInteractions", test);
        m.put("validationUsers", vu);
        m.put("testUsers", tu);
        return m;
    }

    /** Peak resident set size from /proc (VmHWM; null off Linux) and JVM heap peak / max. */
    static Map<String, Object> memory() {
        Map<String, Object> m = new LinkedHashMap<>();
        Long hwm = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status")))
                if (line.startsWith("VmHWM:")) hwm = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } catch (IOException | RuntimeException e) {
            hwm = null;
        }
        long heapPeak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans())
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) heapPeak += p.getPeakUsage().getUsed();
        m.put("peakRssBytes", hwm);
        m.put("jvmHeapPeakBytes", heapPeak);
        m.put("jvmHeapMaxBytes", Runtime.getRuntime().maxMemory());
        return m;
    }

    static void printTable(List<EvaluationResult> results, PrintStream out) {
        String[][] cols = {
                {"sampled", "HR@5", "HR@10", "HR@20", "NDCG@10", "MRR"},
                {"full", "Recall@10", "Recall@20", "NDCG@10", "MRR", "Coverage@10"},
                {"pointwise", "accuracy", "F1", "AUC", "RMSE", "MAE"}};
        for (String[] c : cols) {
            List<EvaluationResult> rows = results.stream().filter(r -> r.protocol().startsWith(c[0])).toList();
            if (rows.isEmpty()) continue;
            StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-12s %-10s %-12s", "model", "split", "protocol"));
            for (int k = 1; k < c.length; k++) h.append(String.format(Locale.ROOT, " %11s", c[k]));
            out.println(h);
            for (EvaluationResult r : rows) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-12s %-10s %-12s", r.model(), r.split(), r.protocol()));
                for (int k = 1; k < c.length; k++) {
                    Double v = r.metrics().get(c[k]);
                    line.append(v == null ? String.format(Locale.ROOT, " %11s", "-") : String.format(Locale.ROOT, " %11.4f", v));
                }
                out.println(line);
            }
            out.println();
        }
    }
}
