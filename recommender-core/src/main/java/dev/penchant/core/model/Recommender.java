package dev.penchant.core.model;

/**
 * One model, RecBole style: every model (baselines included) is one class behind this interface, and
 * one evaluator measures them all. fit() trains on ctx.split().train() only and may use the
 * validation items for early stopping through ctx.validate().
 */
public interface Recommender extends Scorer, AutoCloseable {
    /** Short name used by the launcher and in reports: popularity, transition, itemknn, dnn, ... */
    String name();

    void fit(TrainingContext ctx);

    /** Where the model trained, for reports: "cpu", "gpu:0", ...; pure-Java models say "cpu". */
    default String device() {
        return "cpu";
    }

    /** Training throughput of the last fit() in examples per second; NaN when not measured. */
    default double examplesPerSecond() {
        return Double.NaN;
    }

    /** What the last fit() measured (epochs, best epoch, throughput); null for models that do not measure. */
    default TrainingStats stats() {
        return null;
    }

    /** Releases native resources (TensorFlow graphs and sessions); a no-op for pure-Java models. */
    @Override
    default void close() {
    }
}
