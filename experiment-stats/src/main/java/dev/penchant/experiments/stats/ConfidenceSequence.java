package dev.penchant.experiments.stats;

/**
 * The asymptotic confidence sequence of Waudby-Smith et al. (arXiv 2103.06476, eq. 9 with the
 * mixing parameter of eq. 161), as gbstats' SequentialTwoSidedTTest uses it, and its always-valid
 * p-value from the mixture e-value (eq. 155).
 */
final class ConfidenceSequence {

    private ConfidenceSequence() {
    }

    /** ρ = sqrt((-2 ln α + ln(-2 ln α + 1)) / N*): makes the sequence tightest at N* units. */
    static double rho(double alpha, double tuning) {
        double minusTwoLnAlpha = -2 * Math.log(alpha);
        return Math.sqrt((minusTwoLnAlpha + Math.log(minusTwoLnAlpha + 1)) / tuning);
    }

    /**
     * @param estimate the effect (here the relative lift)
     * @param variance its variance (standard error squared)
     * @param n        units in both arms; s² = variance · n is the per-unit variance the paper uses
     */
    static AnalysisResult.Sequential of(double estimate, double variance, long n, double alpha, double tuning) {
        double rho = rho(alpha, tuning);
        double nRho2 = n * rho * rho;
        double s2 = variance * n;
        // half-width = s · sqrt(2 (nρ² + 1) ln(sqrt(nρ² + 1) / α) / (nρ)²)
        double nRho = n * rho;
        double halfWidth = Math.sqrt(s2)
            * Math.sqrt(2 * (nRho2 + 1) * (0.5 * Math.log1p(nRho2) - Math.log(alpha)) / (nRho * nRho));
        // e-value: exp(ρ² S² / (2 σ² (nρ² + 1))) / sqrt(nρ² + 1), with S²/σ² = n · estimate² / variance
        double lnE = rho * rho * (estimate * estimate / variance) * n / (2 * (nRho2 + 1)) - 0.5 * Math.log1p(nRho2);
        double pValue = lnE <= 0 ? 1 : Math.exp(-lnE);
        double lower = estimate - halfWidth;
        double upper = estimate + halfWidth;
        if (!Finite.all(lower, upper, pValue)) {
            return new AnalysisResult.Sequential(null, null, null, Finite.OVERFLOW);
        }
        return new AnalysisResult.Sequential(lower, upper, pValue, null);
    }
}
