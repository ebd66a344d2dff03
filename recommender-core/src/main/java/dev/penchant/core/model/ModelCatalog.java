package dev.penchant.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The one place that maps model names (as used by the launcher, jobs and reports) to classes: every
 * {@link ModelProvider} on the class path, baselines first.
 */
public final class ModelCatalog {
    private ModelCatalog() {
    }

    /** Baselines, computed by the same evaluator as the models, shown beside them in every report. */
    public static final List<String> BASELINES = List.of("popularity", "transition", "itemknn", "seqknn");

    private static final Map<String, ModelProvider> PROVIDERS = providers();

    private static Map<String, ModelProvider> providers() {
        List<ModelProvider> all = new ArrayList<>();
        ServiceLoader.load(ModelProvider.class, ModelCatalog.class.getClassLoader()).forEach(all::add);
        // baselines first, then the others in a stable order
        all.sort((a, b) -> Boolean.compare(!(a instanceof dev.penchant.core.baselines.Baselines),
                !(b instanceof dev.penchant.core.baselines.Baselines)));
        Map<String, ModelProvider> byName = new LinkedHashMap<>();
        for (ModelProvider p : all) {
            for (String name : p.names()) {
                ModelProvider before = byName.putIfAbsent(name, p);
                if (before != null && before.getClass() != p.getClass()) {
                    throw new IllegalStateException("model '" + name + "' is provided by both "
                            + before.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        }
        return byName;
    }

    public static Recommender create(String name, Hyperparameters hp) {
        ModelProvider p = PROVIDERS.get(name);
        if (p == null) throw new IllegalArgumentException("unknown model '" + name + "'; known: " + known());
        return p.create(name, hp);
    }

    public static List<String> known() {
        return List.copyOf(PROVIDERS.keySet());
    }
}
