package dev.penchant.experiments.stats;

/**
 * One variant's aggregates over its users (the unit of randomisation). Build it with
 * {@link #mean}, {@link #proportion} or {@link #ratio}; which fields are needed depends on the
 * {@link MetricType}, and {@link AnalysisRequest} checks them.
 *
 * @param name                  unique within the request
 * @param weight                the configured share of traffic (any scale: weights are normalised); 0 leaves the variant out of the SRM check
 * @param users                 users exposed
 * @param sum                   sum over users of the metric (proportion: users converted; ratio: of the numerator)
 * @param sumSquares            sum over users of the squared value (mean and ratio; null for a proportion)
 * @param denominatorSum        ratio only: sum over users of the denominator
 * @param denominatorSumSquares ratio only: sum over users of the squared denominator
 * @param sumProduct            ratio only: sum over users of numerator times denominator
 */
public record VariantData(String name, double weight, long users, double sum, Double sumSquares,
                          Double denominatorSum, Double denominatorSumSquares, Double sumProduct) {

    public static VariantData mean(String name, double weight, long users, double sum, double sumSquares) {
        return new VariantData(name, weight, users, sum, sumSquares, null, null, null);
    }

    public static VariantData proportion(String name, double weight, long users, long converted) {
        return new VariantData(name, weight, users, converted, null, null, null, null);
    }

    public static VariantData ratio(String name, double weight, long users, double sum, double sumSquares,
                                    double denominatorSum, double denominatorSumSquares, double sumProduct) {
        return new VariantData(name, weight, users, sum, sumSquares, denominatorSum, denominatorSumSquares, sumProduct);
    }
}
