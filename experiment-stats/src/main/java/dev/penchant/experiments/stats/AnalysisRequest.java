package dev.penchant.experiments.stats;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to analyse: one metric over two or more variants, the first being the control. Constructing
 * it checks every field and throws {@link InvalidInputException} naming the first bad one, so a
 * request that exists is one the engine can analyse.
 *
 * @param metric           how the variants' aggregates are to be read
 * @param alpha            1 - confidence level of the intervals, in (0, 1); {@link #DEFAULT_ALPHA} by default
 * @param sequentialTuning N* of the confidence sequence: the total users (both arms) at which it is tightest
 * @param variants         control first, then the treatments
 */
public record AnalysisRequest(MetricType metric, double alpha, double sequentialTuning, List<VariantData> variants) {

    public static final double DEFAULT_ALPHA = 0.05;
    public static final double DEFAULT_SEQUENTIAL_TUNING = 5000;

    /** A sum of squares may fall below sum²/n by this relative amount through rounding alone. */
    private static final double ROUNDING_SLACK = 1e-8;

    public AnalysisRequest {
        if (metric == null) {
            throw new InvalidInputException("metric", "is required (mean, proportion or ratio)");
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new InvalidInputException("alpha", "must be between 0 and 1 (exclusive)");
        }
        if (!(sequentialTuning > 0) || Double.isInfinite(sequentialTuning)) {
            throw new InvalidInputException("sequentialTuning", "must be a finite number > 0");
        }
        if (variants == null) {
            throw new InvalidInputException("variants", "is required");
        }
        if (variants.size() < 2) {
            throw new InvalidInputException("variants", "needs at least 2 variants (the first is the control)");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < variants.size(); i++) {
            String field = "variants[" + i + "]";
            VariantData variant = variants.get(i);
            if (variant == null) {
                throw new InvalidInputException(field, "is required");
            }
            check(metric, variant, field + ".");
            if (!names.add(variant.name())) {
                throw new InvalidInputException(field + ".name", "must be unique (\"" + variant.name() + "\" appears twice)");
            }
        }
        variants = List.copyOf(variants);
    }

    public AnalysisRequest(MetricType metric, List<VariantData> variants) {
        this(metric, DEFAULT_ALPHA, DEFAULT_SEQUENTIAL_TUNING, variants);
    }

    private static void check(MetricType metric, VariantData v, String prefix) {
        if (v.name() == null || v.name().isBlank()) {
            throw new InvalidInputException(prefix + "name", "is required");
        }
        if (!(v.weight() >= 0) || Double.isInfinite(v.weight())) {
            throw new InvalidInputException(prefix + "weight", "must be a finite number >= 0");
        }
        if (v.users() < 0) {
            throw new InvalidInputException(prefix + "users", "must be >= 0");
        }
        if (!Double.isFinite(v.sum())) {
            throw new InvalidInputException(prefix + "sum", "must be a finite number");
        }
        if (v.users() == 0 && v.sum() != 0) {
            throw new InvalidInputException(prefix + "sum", "must be 0 when users is 0");
        }
        switch (metric) {
            case PROPORTION -> {
                if (v.sum() < 0 || v.sum() > v.users() || v.sum() != Math.rint(v.sum())) {
                    throw new InvalidInputException(prefix + "sum",
                        "must be the whole number of users converted, between 0 and users (" + v.users() + ")");
                }
            }
            case MEAN -> checkSpread(v.users(), v.sum(), v.sumSquares(), prefix + "sumSquares", "sum", metric);
            case RATIO -> {
                checkSpread(v.users(), v.sum(), v.sumSquares(), prefix + "sumSquares", "sum", metric);
                if (v.denominatorSum() == null) {
                    throw new InvalidInputException(prefix + "denominatorSum", "is required for a ratio metric");
                }
                if (!Double.isFinite(v.denominatorSum())) {
                    throw new InvalidInputException(prefix + "denominatorSum", "must be a finite number");
                }
                if (v.users() == 0 && v.denominatorSum() != 0) {
                    throw new InvalidInputException(prefix + "denominatorSum", "must be 0 when users is 0");
                }
                checkSpread(v.users(), v.denominatorSum(), v.denominatorSumSquares(),
                    prefix + "denominatorSumSquares", "denominatorSum", metric);
                checkCovariance(v, prefix + "sumProduct");
            }
            default -> throw new IllegalStateException("unhandled metric " + metric);
        }
    }

    /** The sum of squares must exist and be at least sum²/n, else the variance would be negative. */
    private static void checkSpread(long users, double sum, Double sumSquares, String field, String sumName,
                                    MetricType metric) {
        if (sumSquares == null) {
            throw new InvalidInputException(field, "is required for a " + metric.jsonName() + " metric");
        }
        if (!(sumSquares >= 0) || Double.isInfinite(sumSquares)) {
            throw new InvalidInputException(field, "must be a finite number >= 0");
        }
        if (users == 0) {
            if (sumSquares != 0) {
                throw new InvalidInputException(field, "must be 0 when users is 0");
            }
            return;
        }
        double squaredSumPerUser = sum * sum / users;
        if (sumSquares < squaredSumPerUser - ROUNDING_SLACK * Math.max(sumSquares, squaredSumPerUser)) {
            throw new InvalidInputException(field,
                "must be at least " + sumName + "^2/users (" + squaredSumPerUser + "): a variance cannot be negative");
        }
    }

    /** Cauchy-Schwarz: |cov(M, D)| <= sd(M) sd(D), else the ratio's delta-method variance could be negative. */
    private static void checkCovariance(VariantData v, String field) {
        Double sumProduct = v.sumProduct();
        if (sumProduct == null) {
            throw new InvalidInputException(field, "is required for a ratio metric");
        }
        if (!Double.isFinite(sumProduct)) {
            throw new InvalidInputException(field, "must be a finite number");
        }
        long n = v.users();
        if (n == 0) {
            if (sumProduct != 0) {
                throw new InvalidInputException(field, "must be 0 when users is 0");
            }
            return;
        }
        double crossPerUser = v.sum() * v.denominatorSum() / n;
        double centredCross = sumProduct - crossPerUser;
        double centredM = Math.max(0, Objects.requireNonNull(v.sumSquares()) - v.sum() * v.sum() / n);
        double centredD = Math.max(0, v.denominatorSumSquares() - v.denominatorSum() * v.denominatorSum() / n);
        double bound = Math.sqrt(centredM) * Math.sqrt(centredD);
        if (Math.abs(centredCross) > bound + ROUNDING_SLACK * (Math.abs(sumProduct) + Math.abs(crossPerUser))) {
            throw new InvalidInputException(field,
                "is inconsistent with the sums and sums of squares: |covariance| exceeds the product of the standard deviations");
        }
    }
}
