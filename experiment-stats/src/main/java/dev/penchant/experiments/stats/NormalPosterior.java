package dev.penchant.experiments.stats;

/**
 * gbstats' EffectBayesianABTest with its default flat prior: the posterior of the relative lift is
 * normal with the estimate as mean and its standard error as standard deviation.
 */
final class NormalPosterior {

    private NormalPosterior() {
    }

    static AnalysisResult.Bayesian of(double mean, double sd, double alpha) {
        double z = mean / sd;
        double chanceToWin = Distributions.normalCdf(z);
        double zHalf = Distributions.normalQuantile(alpha / 2); // negative
        double lower = mean + zHalf * sd;
        double upper = mean - zHalf * sd;
        // gbstats: risk_ctrl = P(lift > 0) E[lift | lift > 0] = E[max(0, lift)], risk_trt = E[max(0, -lift)]
        double riskControl = sd * normalLoss(-z);
        double riskTreatment = sd * normalLoss(z);
        if (!Finite.all(chanceToWin, lower, upper, riskControl, riskTreatment)) {
            return new AnalysisResult.Bayesian(null, null, null, null, null, Finite.OVERFLOW);
        }
        return new AnalysisResult.Bayesian(chanceToWin, lower, upper, riskControl, riskTreatment, null);
    }

    /** The unit normal loss E[max(0, Z - w)] = φ(w) - w (1 - Φ(w)) for standard normal Z. */
    static double normalLoss(double w) {
        return Distributions.normalPdf(w) - w * Distributions.normalSurvival(w);
    }
}
