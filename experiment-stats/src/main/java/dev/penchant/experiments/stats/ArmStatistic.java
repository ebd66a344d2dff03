package dev.penchant.experiments.stats;

/**
 * One variant's mean and per-unit variance, as gbstats forms them (SampleMeanStatistic,
 * ProportionStatistic, RatioStatistic). A null field carries its reason.
 *
 * @param users          n, the number of units
 * @param mean           null without users, or (ratio) with a zero denominator sum
 * @param variance       per-unit variance; null when it cannot be estimated or is zero
 * @param meanReason     why mean is null
 * @param varianceReason why variance is null
 */
record ArmStatistic(long users, Double mean, Double variance, String meanReason, String varianceReason) {

    /**
     * A computed variance below this share of the metric's scale is rounding noise of
     * sumSquares - sum²/n, not spread: treated as zero.
     */
    private static final double ZERO_VARIANCE = 1e-12;

    static ArmStatistic of(MetricType metric, VariantData v) {
        ArmStatistic stat = unchecked(metric, v);
        if (stat.mean() != null && !Double.isFinite(stat.mean())) {
            return new ArmStatistic(stat.users(), null, null, Finite.OVERFLOW, Finite.OVERFLOW);
        }
        return stat;
    }

    private static ArmStatistic unchecked(MetricType metric, VariantData v) {
        long n = v.users();
        if (n == 0) {
            return new ArmStatistic(0, null, null, "no users", "no users");
        }
        return switch (metric) {
            case MEAN -> {
                double mean = v.sum() / n;
                yield withVariance(n, mean, sampleVariance(n, v.sum(), v.sumSquares()), v.sumSquares() / n);
            }
            case PROPORTION -> {
                double p = v.sum() / n;
                yield withVariance(n, p, p * (1 - p), p);
            }
            case RATIO -> ratio(v, n);
        };
    }

    private static ArmStatistic ratio(VariantData v, long n) {
        if (v.denominatorSum() == 0) {
            return new ArmStatistic(n, null, null, "denominator sum is zero", "denominator sum is zero");
        }
        double mean = v.sum() / v.denominatorSum();
        if (n < 2) {
            return new ArmStatistic(n, mean, null, null, "fewer than 2 users");
        }
        double meanM = v.sum() / n;
        double meanD = v.denominatorSum() / n;
        double varM = sampleVariance(n, v.sum(), v.sumSquares());
        double varD = sampleVariance(n, v.denominatorSum(), v.denominatorSumSquares());
        double cov = (v.sumProduct() - v.sum() * v.denominatorSum() / n) / (n - 1);
        // delta method for M/D (gbstats variance_of_ratios)
        double variance = varM / (meanD * meanD) + varD * meanM * meanM / Math.pow(meanD, 4)
            - 2 * cov * meanM / Math.pow(meanD, 3);
        double scale = (Math.abs(varM) + mean * mean * Math.abs(varD)) / (meanD * meanD);
        return withVariance(n, mean, variance, scale);
    }

    private static ArmStatistic withVariance(long n, double mean, double variance, double scale) {
        if (n < 2) {
            return new ArmStatistic(n, mean, null, null, "fewer than 2 users");
        }
        if (!Double.isFinite(variance) || !Double.isFinite(scale)) {
            return new ArmStatistic(n, mean, null, null, "variance exceeds double precision");
        }
        if (!(variance > ZERO_VARIANCE * Math.abs(scale))) {
            return new ArmStatistic(n, mean, null, null, "zero variance");
        }
        return new ArmStatistic(n, mean, variance, null, null);
    }

    /** (sumSquares - sum²/n) / (n - 1). */
    static double sampleVariance(long n, double sum, double sumSquares) {
        return (sumSquares - sum * sum / n) / (n - 1);
    }
}
