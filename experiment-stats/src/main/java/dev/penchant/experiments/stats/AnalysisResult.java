package dev.penchant.experiments.stats;

import java.util.List;

/**
 * The analysis of one metric. Every figure is a finite number or {@code null}; a null comes with a
 * {@code reason} on the record that holds it, never NaN or infinity.
 *
 * @param srm      the sample-ratio-mismatch check over all variants
 * @param variants in request order, the control first
 */
public record AnalysisResult(Srm srm, List<Variant> variants) {

    public AnalysisResult {
        variants = List.copyOf(variants);
    }

    /** The control's result (the first variant). */
    public Variant control() {
        return variants.get(0);
    }

    /** The treatments' results, each compared with the control. */
    public List<Variant> treatments() {
        return variants.subList(1, variants.size());
    }

    /**
     * Pearson chi-squared test of the observed users against the configured weights.
     *
     * @param pValue   null when undefined (fewer than two variants with weight > 0, no users)
     * @param mismatch pValue below {@link ExperimentAnalysis#SRM_THRESHOLD}
     */
    public record Srm(Double pValue, boolean mismatch, String reason) {
    }

    /**
     * One variant.
     *
     * @param mean       the metric's mean (ratio: numerator sum / denominator sum), null without users
     * @param reason     why mean is null, else null
     * @param comparison against the control; null for the control itself
     */
    public record Variant(String name, long users, Double mean, String reason, Comparison comparison) {
    }

    /**
     * A treatment against the control. The sequential and Bayesian figures are on the relative lift.
     */
    public record Comparison(Lift relative, Lift absolute, Sequential sequential, Bayesian bayesian) {
    }

    /**
     * Fixed-horizon (Welch) result.
     *
     * @param lift    relative: (mT - mC) / |mC|; absolute: mT - mC
     * @param ciLower lower end of the two-sided 1 - alpha confidence interval
     * @param pValue  two-sided
     */
    public record Lift(Double lift, Double ciLower, Double ciUpper, Double pValue, String reason) {
    }

    /** The always-valid confidence sequence on the relative lift and its p-value. */
    public record Sequential(Double ciLower, Double ciUpper, Double pValue, String reason) {
    }

    /**
     * Normal posterior on the relative lift (flat prior).
     *
     * @param chanceToWin   P(lift > 0)
     * @param riskControl   expected relative loss of keeping the control, E[max(0, lift)]
     * @param riskTreatment expected relative loss of shipping the treatment, E[max(0, -lift)]
     */
    public record Bayesian(Double chanceToWin, Double ciLower, Double ciUpper, Double riskControl,
                           Double riskTreatment, String reason) {
    }
}
