package dev.penchant.cli;

import dev.penchant.cli.augment.AugmentationExperiment;
import dev.penchant.cli.augment.HistoryTruncation;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.io.DataFormats;
import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.core.preprocess.Preprocessor;
import dev.penchant.core.split.Split;
import dev.penchant.core.split.Splitter;
import dev.penchant.core.train.TrainingRun;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code penchant augment --data DIR --format FORMAT [--model dnn] [--seed 42] [--report out.json]
 * [--set ...]}: the GAN augmentation experiment ({@link AugmentationExperiment}). Same flags as train;
 * --set keys "gan.*" go to the GAN, "augment.*" to the experiment (max_events=20, per_user=5,
 * truncate_fraction=0.5, truncate_max=20, variants=original,truncated), data./split./eval. as for
 * train, the rest to the downstream model (--model, default dnn).
 */
final class AugmentCommand {
    private AugmentCommand() {
    }

    static int run(String[] argv, PrintStream out, PrintStream err) {
        String[] asTrain = argv.clone();
        asTrain[0] = "train";
        PenchantCli.Args args = PenchantCli.parse(asTrain);
        Map<String, String> set = args.set();
        Map<String, String> gan = TrainingRun.withPrefix(set, "gan.");
        Map<String, String> aug = TrainingRun.withPrefix(set, "augment.");
        Map<String, String> dataOpts = TrainingRun.withPrefix(set, "data.");
        Map<String, String> splitOpts = TrainingRun.withPrefix(set, "split.");
        Map<String, String> evalOpts = TrainingRun.withPrefix(set, "eval.");
        Map<String, String> modelHp = new LinkedHashMap<>(set);
        modelHp.keySet().removeIf(k -> k.contains(".") && List.of("gan", "augment", "data", "split", "eval")
                .contains(k.substring(0, k.indexOf('.'))));

        Dataset ds = new Preprocessor(PreprocessOptions.fromMap(dataOpts))
                .run(DataFormats.open(args.data(), args.format(), args.options())).dataset();
        Split split = Splitter.split(args.split(), ds.interactions(), ds.numItems(), splitOpts);
        Evaluator.Options eval = Evaluator.Options.fromMap(evalOpts, args.seed());
        AugmentationExperiment.Options o = new AugmentationExperiment.Options(args.model(), modelHp, gan,
                Integer.parseInt(aug.getOrDefault("max_events", "20")), Integer.parseInt(aug.getOrDefault("per_user", "5")),
                Double.parseDouble(aug.getOrDefault("truncate_fraction", "0.5")),
                Integer.parseInt(aug.getOrDefault("truncate_max", "20")), args.seed(), eval,
                Arrays.stream(aug.getOrDefault("variants", "original,truncated").split(",")).map(String::trim).toList());
        err.printf("data: %s: %d users, %d items; augmentation experiment with %s%n", ds.name(), ds.numUsers(), ds.numItems(), args.model());
        List<AugmentationExperiment.VariantResult> results = AugmentationExperiment.run(ds, split, o, new ProgressBar(err), err);
        AugmentationExperiment.print(results, args.model(), out);
        if (args.report() != null) {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("command", "augment");
            report.put("data", Map.of("path", args.data().toString(), "format", args.format(), "name", ds.name()));
            report.put("seed", args.seed());
            report.put("model", args.model());
            report.put("options", o);
            report.put("truncation", "see " + HistoryTruncation.class.getName() + ": Random(seed); per user in index order, "
                    + "with probability truncate_fraction keep the last 1 + nextInt(truncate_max) training events");
            report.put("results", results);
            return PenchantCli.writeReport(args.report(), report, err);
        }
        return 0;
    }
}
