package dev.penchant.core.model;

import dev.penchant.core.eval.Evaluator;
import dev.penchant.core.preprocess.PreprocessOptions;
import dev.penchant.core.settings.InvalidSettingsException;
import dev.penchant.core.settings.ParamGroup;
import dev.penchant.core.settings.SettingProblem;
import dev.penchant.core.split.Splitter;
import dev.penchant.core.train.TrainingRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The one list of models: every model's spec (name, kind, description, typed hyperparameters), the
 * TensorFlow models' included, so any node can validate and describe a job; the factories come from
 * the {@link ModelProvider}s on the class path. Also the one validation of a run's settings (model
 * hyperparameters plus the "data.", "split.", "eval." and run keys), used by the command line and the
 * job API alike.
 */
public final class ModelCatalog {
    private ModelCatalog() {
    }

    private static final List<ModelSpec> SPECS = ModelSpecs.all();

    /** Baselines, computed by the same evaluator as the models, shown beside them in every report. */
    public static final List<String> BASELINES = SPECS.stream()
            .filter(s -> s.kind() == ModelSpec.Kind.BASELINE).map(ModelSpec::name).toList();

    private static final Map<String, Function<Hyperparameters, Recommender>> FACTORIES = factories();

    private static Map<String, Function<Hyperparameters, Recommender>> factories() {
        Map<String, Function<Hyperparameters, Recommender>> byName = new LinkedHashMap<>();
        Map<String, String> providerOf = new LinkedHashMap<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class, ModelCatalog.class.getClassLoader())) {
            p.factories().forEach((name, f) -> {
                if (find(name) == null)
                    throw new IllegalStateException(p.getClass().getName() + " implements model '" + name
                            + "', which has no spec in ModelCatalog");
                String before = providerOf.putIfAbsent(name, p.getClass().getName());
                if (before != null && !before.equals(p.getClass().getName()))
                    throw new IllegalStateException("model '" + name + "' is implemented by both " + before + " and " + p.getClass().getName());
                byName.put(name, f);
            });
        }
        return byName;
    }

    /** Every model's spec, baselines first, whether or not its implementation is on this class path. */
    public static List<ModelSpec> specs() {
        return SPECS;
    }

    /** Names of every declared model. */
    public static List<String> known() {
        return SPECS.stream().map(ModelSpec::name).toList();
    }

    /** Whether this class path can create the model (recommender-tf present for the TensorFlow models). */
    public static boolean available(String name) {
        return FACTORIES.containsKey(name);
    }

    /** The spec of a model; unknown names fail with the known ones and the closest. */
    public static ModelSpec spec(String name) {
        ModelSpec s = find(name);
        if (s == null) throw new InvalidSettingsException(List.of(new SettingProblem("model", unknownModel(name))));
        return s;
    }

    private static ModelSpec find(String name) {
        for (ModelSpec s : SPECS) if (s.name().equals(name)) return s;
        return null;
    }

    /**
     * Creates a model with validated hyperparameters (the model's own keys only: no "data." etc.).
     *
     * @throws InvalidSettingsException naming each bad key, or an unknown model
     * @throws IllegalStateException    when the model is declared but not implemented on this class path
     */
    public static Recommender create(String name, Hyperparameters hp) {
        ModelSpec spec = spec(name);
        List<SettingProblem> problems = new ArrayList<>();
        checkModel(spec, hp.given(), problems);
        if (!problems.isEmpty()) throw new InvalidSettingsException(problems);
        Function<Hyperparameters, Recommender> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalStateException("model '" + name + "' (" + spec.kind() + ") is not available here: "
                    + (spec.kind() == ModelSpec.Kind.TENSORFLOW ? "it needs recommender-tf (TensorFlow) on the class path; " : "")
                    + "this process can create " + List.copyOf(FACTORIES.keySet()));
        }
        hp.bind(spec);
        return factory.apply(hp);
    }

    /**
     * The one check of a run's settings, as a training job or {@code penchant train --set} gives them:
     * the model's hyperparameters, "data.*" (preprocessing), "split.*", "eval.*", and the run keys
     * "split" (protocol) and "baselines". Needs no model code.
     *
     * @return one problem per bad key (unknown keys with the closest known name, wrong types, values out
     * of range, an unknown model under the key "model"); empty when everything is valid
     */
    public static List<SettingProblem> validate(String model, Map<String, String> settings) {
        List<SettingProblem> out = new ArrayList<>();
        ModelSpec spec = find(model);
        if (spec == null) out.add(new SettingProblem("model", unknownModel(model)));
        Map<String, String> own = new LinkedHashMap<>();
        Map<String, String> run = new LinkedHashMap<>();
        Map<ParamGroup, Map<String, String>> grouped = new LinkedHashMap<>();
        for (ParamGroup g : prefixedGroups()) grouped.put(g, new LinkedHashMap<>());
        List<String> allKeys = new ArrayList<>(TrainingRun.PARAMETERS.keys());
        for (ParamGroup g : prefixedGroups()) allKeys.addAll(g.keys());
        if (spec != null) allKeys.addAll(spec.parameters().keys());
        settings.forEach((k, v) -> {
            for (ParamGroup g : prefixedGroups()) {
                if (k.startsWith(g.prefix())) {
                    grouped.get(g).put(k.substring(g.prefix().length()), v);
                    return;
                }
            }
            if (TrainingRun.PARAMETERS.param(k) != null) run.put(k, v);
            else own.put(k, v);
        });
        grouped.forEach((g, m) -> g.check(m, allKeys, out));
        TrainingRun.PARAMETERS.check(run, allKeys, out);
        if (spec != null) checkModel(spec, own, out, allKeys); // without a model its own keys cannot be judged
        return out;
    }

    /** {@link #validate}, throwing when anything is wrong. */
    public static void check(String model, Map<String, String> settings) {
        List<SettingProblem> problems = validate(model, settings);
        if (!problems.isEmpty()) throw new InvalidSettingsException(problems);
    }

    private static List<ParamGroup> prefixedGroups() {
        return List.of(PreprocessOptions.PARAMETERS, Splitter.PARAMETERS, Evaluator.Options.PARAMETERS);
    }

    private static void checkModel(ModelSpec spec, Map<String, String> own, List<SettingProblem> out) {
        List<String> keys = new ArrayList<>(spec.parameters().keys());
        for (ParamGroup g : prefixedGroups()) keys.addAll(g.keys());
        checkModel(spec, own, out, keys);
    }

    private static void checkModel(ModelSpec spec, Map<String, String> own, List<SettingProblem> out, List<String> allKeys) {
        int before = out.size();
        spec.parameters().check(own, allKeys, out);
        if (out.size() > before) return; // constraints only on values that parse
        Map<String, Object> values = spec.parameters().values(own);
        for (ModelSpec.Constraint c : spec.constraints()) {
            boolean holds;
            try {
                holds = c.holds().test(values);
            } catch (NullPointerException e) {
                holds = true; // a value that comes from the data is checked by the model itself
            }
            if (!holds) out.add(new SettingProblem(c.key(), c.message()));
        }
    }

    private static String unknownModel(String name) {
        String hint = name == null ? null : ParamGroup.closest(name, known());
        return (name == null || name.isBlank() ? "a model is required" : "unknown model '" + name + "'")
                + "; known: " + String.join(", ", known()) + (hint == null ? "" : "; did you mean '" + hint + "'?");
    }

    /**
     * The settings every TensorFlow model takes from the one trainer, with their usual defaults (each
     * TensorFlow model's spec lists them too, with its own defaults where they differ).
     */
    public static List<dev.penchant.core.settings.Param> trainerSettings() {
        return ModelSpecs.trainerSettings();
    }

    /** Every setting a run reads besides the model's own, for listings: run keys, then data, split, eval. */
    public static List<ParamGroup> runSettings() {
        List<ParamGroup> out = new ArrayList<>();
        out.add(TrainingRun.PARAMETERS);
        out.addAll(prefixedGroups());
        return out;
    }
}
