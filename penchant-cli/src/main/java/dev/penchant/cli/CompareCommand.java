package dev.penchant.cli;

import dev.penchant.cli.compare.Comparison;
import dev.penchant.cli.compare.ComparisonReport;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.eval.EvaluationResult;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.ModelSpec;
import dev.penchant.core.settings.InvalidSettingsException;
import dev.penchant.core.settings.SettingProblem;
import dev.penchant.core.train.TrainingRun;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * {@code penchant compare --data DIR --format FMT --models all|a,b,c --seeds 5 [--split loo]
 * [--baselines a,b|none] [--set key=value ...] [--option key=value ...] [--report out.json] [--out table.md]}:
 * trains each model once per seed on one split (the split has no seed) through {@link TrainingRun}, the
 * seed driving training and the evaluator's sampled negatives (the same negatives for every model
 * within a seed), and prints the {@link Comparison}: per model and metric the mean with a 95% interval
 * over users, paired differences against the best baseline and seqknn, and the spread across seeds.
 *
 * <p>The baselines ({@link ModelCatalog#BASELINES} unless --baselines says otherwise) always run beside
 * the models. --seeds N runs seeds 1..N; a comma list runs those seeds. --set data./split./eval. keys
 * work as for train; "NAME.key=value" goes to model NAME only; other keys go to every model that is not
 * a baseline (baselines run with their defaults, as in train, unless given scoped keys).
 */
final class CompareCommand {
    private CompareCommand() {
    }

    record Args(Path data, String format, List<String> models, List<Long> seeds, String split,
                Map<String, String> set, Map<String, String> options, Path report, Path out) {
    }

    static Args parse(String[] a) {
        Path data = null;
        String format = null;
        List<String> requested = null;
        List<String> baselines = ModelCatalog.BASELINES;
        List<Long> seeds = LongStream.rangeClosed(1, 5).boxed().toList();
        String split = "loo";
        Map<String, String> set = new LinkedHashMap<>();
        Map<String, String> options = new LinkedHashMap<>();
        Path report = null;
        Path out = null;
        for (int i = 1; i < a.length; i++) {
            String flag = a[i];
            switch (flag) {
                case "--data" -> data = Path.of(PenchantCli.value(a, ++i, flag));
                case "--format" -> format = PenchantCli.value(a, ++i, flag);
                case "--models" -> {
                    String v = PenchantCli.value(a, ++i, flag);
                    requested = v.equals("all") ? ModelCatalog.known() : names(v);
                }
                case "--baselines" -> {
                    baselines = TrainingRun.baselines(PenchantCli.value(a, ++i, flag));
                }
                case "--seeds" -> seeds = seeds(PenchantCli.value(a, ++i, flag));
                case "--split" -> split = PenchantCli.value(a, ++i, flag);
                case "--set" -> i = PenchantCli.keyValues(a, i, set);
                case "--option" -> i = PenchantCli.keyValues(a, i, options);
                case "--report" -> report = Path.of(PenchantCli.value(a, ++i, flag));
                case "--out" -> out = Path.of(PenchantCli.value(a, ++i, flag));
                case "-h", "--help" -> throw new IllegalArgumentException(PenchantCli.usage());
                default -> throw new IllegalArgumentException("compare: unknown option '" + flag + "'\n" + PenchantCli.usage());
            }
        }
        if (data == null) throw new IllegalArgumentException("compare: --data is required");
        if (format == null) throw new IllegalArgumentException("compare: --format is required (one of " + DataFormats.FORMATS + ")");
        if (requested == null) throw new IllegalArgumentException("compare: --models is required (all, or a comma list)");
        // baselines first, in catalogue order, then the requested models in the order given
        Set<String> models = new LinkedHashSet<>(baselines);
        models.addAll(requested);
        List<String> known = ModelCatalog.known();
        for (String m : models)
            if (!known.contains(m)) throw new IllegalArgumentException("compare: unknown model '" + m + "'; known: " + known);
        for (String k : set.keySet()) {
            int dot = k.indexOf('.');
            String scope = dot < 0 ? null : k.substring(0, dot);
            if (scope != null && !List.of("data", "split", "eval").contains(scope) && !models.contains(scope))
                throw new IllegalArgumentException("compare: --set " + k + ": '" + scope + "' is no model of this run " + models);
        }
        return new Args(data, format, List.copyOf(models), seeds, split, set, options, report, out);
    }

    private static List<String> names(String csv) {
        List<String> n = Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (n.isEmpty()) throw new IllegalArgumentException("compare: empty model list");
        return n;
    }

    static List<Long> seeds(String v) {
        List<Long> s;
        if (v.contains(",")) {
            s = Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Long::parseLong).distinct().toList();
        } else {
            int n = Integer.parseInt(v.trim());
            if (n < 1) throw new IllegalArgumentException("compare: --seeds must be at least 1");
            s = LongStream.rangeClosed(1, n).boxed().toList();
        }
        if (s.isEmpty()) throw new IllegalArgumentException("compare: no seeds");
        return s;
    }

    /**
     * A model's hyperparameters: its scoped keys, plus the unscoped ones it declares unless it is a
     * baseline (so epochs=5 reaches every TensorFlow model and dim=16 those that have a dim).
     */
    static Map<String, String> hyperparameters(String model, Map<String, String> set) {
        Map<String, String> hp = new LinkedHashMap<>();
        boolean baseline = ModelCatalog.BASELINES.contains(model);
        ModelSpec spec = ModelCatalog.spec(model);
        set.forEach((k, v) -> {
            int dot = k.indexOf('.');
            if (dot < 0) {
                if (!baseline && spec.param(k) != null) hp.put(k, v);
            } else if (k.substring(0, dot).equals(model)) {
                hp.put(k.substring(dot + 1), v);
            }
        });
        return hp;
    }

    /**
     * Every model's settings against the declarations, before any data is read: each model's own keys
     * with the data / split / eval ones, and unscoped keys that no model of the comparison declares.
     */
    static void check(Args args) {
        List<SettingProblem> problems = new ArrayList<>();
        Map<String, String> shared = new LinkedHashMap<>();
        args.set().forEach((k, v) -> {
            if (k.startsWith("data.") || k.startsWith("split.") || k.startsWith("eval.")) shared.put(k, v);
        });
        shared.put("split", args.split());
        for (String model : args.models()) {
            Map<String, String> s = new LinkedHashMap<>(hyperparameters(model, args.set()));
            s.putAll(shared);
            for (SettingProblem p : ModelCatalog.validate(model, s)) {
                String key = s.containsKey(p.key()) && !shared.containsKey(p.key()) && args.set().containsKey(model + "." + p.key())
                        ? model + "." + p.key() : p.key();
                SettingProblem named = new SettingProblem(key, p.message());
                if (!problems.contains(named)) problems.add(named);
            }
        }
        for (String k : args.set().keySet()) {
            if (k.contains(".")) continue;
            boolean taken = args.models().stream().anyMatch(m -> !ModelCatalog.BASELINES.contains(m) && ModelCatalog.spec(m).param(k) != null);
            if (!taken) problems.add(new SettingProblem(k, "no model of this comparison (" + args.models() + ") takes it"));
        }
        if (!problems.isEmpty()) throw new InvalidSettingsException(problems);
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        Args args = parse(argv);
        check(args);
        TrainingRun.Settings settings = new TrainingRun.Settings(null, args.split(), 0, List.of(), args.set());
        TrainingRun.Prepared data = TrainingRun.prepare(DataFormats.open(args.data(), args.format(), args.options()),
                settings, err::println);
        Dataset ds = data.dataset();
        Comparison comparison = new Comparison(0.95);
        List<Object> runs = new ArrayList<>();
        String protocol = null;
        long started = System.nanoTime();
        for (long seed : args.seeds()) {
            Evaluator evaluator = new Evaluator(data.split(), ds.interactions(), Evaluator.Options.fromMap(settings.evalOptions(), seed));
            if (protocol == null) protocol = evaluator.describe().replace("(seed " + seed + ")", "(the run's seed)");
            for (String model : args.models()) {
                ProgressBar bar = new ProgressBar(err);
                Map<String, String> hp = hyperparameters(model, args.set());
                TrainingRun.Fitted f = TrainingRun.fitAndEvaluate(data, model, new Hyperparameters(hp), seed, evaluator, bar,
                        stage -> {
                            err.println("seed " + seed + ": " + stage);
                            if (stage.startsWith("training ")) bar.start();
                        }, (m, r, h) -> { });
                comparison.add(model, seed, f.results());
                Map<String, Object> training = new LinkedHashMap<>(f.training());
                training.put("epochs", bar.epochs);
                training.put("epochSeconds", bar.epochSeconds);
                Map<String, Object> run = new LinkedHashMap<>();
                run.put("seed", seed);
                run.put("model", model);
                run.put("training", training);
                // the aggregates only: the per-user values live in the comparison
                run.put("results", f.results().stream()
                        .map(r -> new EvaluationResult(r.model(), r.protocol(), r.split(), r.metrics())).toList());
                runs.add(run);
            }
        }
        ComparisonReport table = new ComparisonReport(comparison,
                args.models().stream().filter(ModelCatalog.BASELINES::contains).toList());
        String heading = String.format(Locale.ROOT, "%s: %,d users, %,d items, %,d interactions; split %s; test split; "
                        + "seeds %s; `%s`", ds.name(), ds.numUsers(), ds.numItems(), ds.interactions().size(),
                data.split().protocol(), seedList(args.seeds()), commandLine(argv));
        String markdown = table.markdown(heading);
        out.print(markdown);
        out.flush();
        int code = 0;
        if (args.out() != null) code = write(args.out(), markdown, err);

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("command", "compare");
        report.put("commandLine", commandLine(argv));
        report.put("data", Map.of("path", args.data().toString(), "format", args.format(), "name", ds.name()));
        report.put("models", args.models());
        report.put("seeds", args.seeds());
        report.put("dataset", PenchantCli.datasetStats(ds));
        report.put("preprocessing", data.prepared().report());
        report.put("split", PenchantCli.splitStats(data.split()));
        report.put("protocol", protocol);
        report.put("intervals", "overUsers: t-interval over test users of each user's metric averaged over the seeds; "
                + "differences: t-interval over users of the seed-averaged per-user differences (paired: same users, "
                + "same sampled negatives within a seed), verdict only where it excludes zero; overSeeds: t-interval over "
                + "the per-seed means");
        report.put("comparison", table.json());
        report.put("seconds", (System.nanoTime() - started) / 1e9);
        report.put("memory", PenchantCli.memory());
        report.put("runs", runs);
        if (args.report() != null) code = Math.max(code, PenchantCli.writeReport(args.report(), report, err));
        return code;
    }

    private static String seedList(List<Long> seeds) {
        boolean consecutive = seeds.size() > 2;
        for (int i = 1; i < seeds.size(); i++) consecutive &= seeds.get(i) == seeds.get(i - 1) + 1;
        return consecutive ? seeds.get(0) + "-" + seeds.get(seeds.size() - 1)
                : seeds.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** The command line that regenerates the report, shell-quoted where needed. */
    static String commandLine(String[] argv) {
        StringBuilder sb = new StringBuilder("./penchant");
        for (String a : argv)
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:@%+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        return sb.toString();
    }

    private static int write(Path path, String text, PrintStream err) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(path, text);
        } catch (IOException e) {
            err.println("penchant: cannot write " + path + ": " + e.getMessage());
            return 1;
        }
        err.println("table: " + path);
        return 0;
    }
}
