package dev.penchant.experiments.stats;

/** gbstats' fixed-horizon TwoSidedTTest: unequal variances, Welch-Satterthwaite degrees of freedom. */
final class WelchTest {

    private WelchTest() {
    }

    /** (vT/nT + vC/nC)² / (vT²/(nT²(nT-1)) + vC²/(nC²(nC-1))), from the per-unit variances. */
    static double degreesOfFreedom(ArmStatistic control, ArmStatistic treatment) {
        double c = control.variance() / control.users();
        double t = treatment.variance() / treatment.users();
        return (c + t) * (c + t)
            / (t * t / (treatment.users() - 1) + c * c / (control.users() - 1));
    }

    /** estimate ± t(1 - alpha/2, df) · se, and the two-sided p-value of estimate / se. */
    static AnalysisResult.Lift lift(double estimate, double standardError, double df, double alpha) {
        double halfWidth = Distributions.studentTQuantile(1 - alpha / 2, df) * standardError;
        double pValue = Distributions.studentTTwoSidedP(estimate / standardError, df);
        double lower = estimate - halfWidth;
        double upper = estimate + halfWidth;
        if (!Finite.all(lower, upper, pValue)) {
            return new AnalysisResult.Lift(Finite.orNull(estimate), null, null, null, Finite.OVERFLOW);
        }
        return new AnalysisResult.Lift(estimate, lower, upper, pValue, null);
    }
}
