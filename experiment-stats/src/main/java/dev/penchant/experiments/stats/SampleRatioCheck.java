package dev.penchant.experiments.stats;

import java.util.List;

/**
 * gbstats' check_srm: Pearson chi-squared of the observed users against the configured weights.
 * Variants with weight 0 take no part; df = (variants with weight > 0) - 1.
 */
final class SampleRatioCheck {

    private SampleRatioCheck() {
    }

    static AnalysisResult.Srm of(List<VariantData> variants, double threshold) {
        double totalWeight = 0;
        long totalUsers = 0;
        int arms = 0;
        for (VariantData v : variants) {
            if (v.weight() > 0) {
                totalWeight += v.weight();
                totalUsers += v.users();
                arms++;
            }
        }
        if (arms < 2) {
            return new AnalysisResult.Srm(null, false, "fewer than 2 variants with weight > 0");
        }
        if (totalUsers == 0) {
            return new AnalysisResult.Srm(null, false, "no users");
        }
        double chiSquared = 0;
        for (VariantData v : variants) {
            if (v.weight() > 0) {
                double expected = v.weight() / totalWeight * totalUsers;
                double deviation = v.users() - expected;
                chiSquared += deviation * deviation / expected;
            }
        }
        double pValue = Distributions.chiSquaredSurvival(chiSquared, arms - 1);
        if (!Double.isFinite(pValue)) {
            return new AnalysisResult.Srm(null, false, Finite.OVERFLOW);
        }
        return new AnalysisResult.Srm(pValue, pValue < threshold, null);
    }
}
