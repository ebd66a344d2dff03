package dev.penchant.experiments.stats;

/**
 * The distribution functions the engine needs: standard normal, Student t and chi-squared. Tested
 * against scipy.stats to 1e-9 relative (see DistributionsTest).
 */
final class Distributions {

    private static final double LN_SQRT_TWO_PI = 0.9189385332046727;

    // Acklam's rational approximation of the inverse normal (relative error < 1.2e-9), refined below
    private static final double[] ACKLAM_A = {-3.969683028665376e+01, 2.209460984245205e+02,
        -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] ACKLAM_B = {-5.447609879822406e+01, 1.615858368580409e+02,
        -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] ACKLAM_C = {-7.784894002430293e-03, -3.223964580411365e-01,
        -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] ACKLAM_D = {7.784695709041462e-03, 3.224671290700398e-01,
        2.445134137142996e+00, 3.754408661907416e+00};
    private static final double ACKLAM_LOW = 0.02425;

    private Distributions() {
    }

    // ---- standard normal

    static double normalPdf(double z) {
        return Math.exp(-0.5 * z * z - LN_SQRT_TWO_PI);
    }

    /** Φ(z), with full relative precision in the lower tail (Φ(-30) ≈ 4.9e-198). */
    static double normalCdf(double z) {
        if (Double.isInfinite(z)) {
            return z > 0 ? 1 : 0;
        }
        // Φ(z) = ½ Q(½, z²/2) for z < 0, and Q is accurate where it is small
        double upperHalf = 0.5 * gammaQHalf(0.5 * z * z);
        return z < 0 ? upperHalf : 1 - upperHalf;
    }

    /** 1 - Φ(z) without cancellation. */
    static double normalSurvival(double z) {
        return normalCdf(-z);
    }

    /** Q(½, x). */
    private static double gammaQHalf(double x) {
        if (x <= 0) {
            return 1;
        }
        return SpecialFunctions.regularizedGamma(0.5, x).upper();
    }

    /**
     * Φ⁻¹(p): Acklam's approximation, then one Halley step against {@link #normalCdf}, which takes
     * it to the precision of Φ itself.
     */
    static double normalQuantile(double p) {
        if (Double.isNaN(p) || p < 0 || p > 1) {
            return Double.NaN;
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (p > 0.5) {
            return -normalQuantile(1 - p); // exact: 1 - p has no rounding error for p in [1/2, 1]
        }
        double x = acklam(p);
        // Halley: u = (Φ(x) - p) / φ(x), written so that φ(x) cannot underflow
        double relativeError = (normalCdf(x) - p) / p;
        double u = relativeError * Math.exp(Math.log(p) + 0.5 * x * x + LN_SQRT_TWO_PI);
        return x - u / (1 + 0.5 * x * u);
    }

    private static double acklam(double p) {
        if (p < ACKLAM_LOW) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((ACKLAM_C[0] * q + ACKLAM_C[1]) * q + ACKLAM_C[2]) * q + ACKLAM_C[3]) * q + ACKLAM_C[4]) * q
                + ACKLAM_C[5]) / ((((ACKLAM_D[0] * q + ACKLAM_D[1]) * q + ACKLAM_D[2]) * q + ACKLAM_D[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((ACKLAM_A[0] * r + ACKLAM_A[1]) * r + ACKLAM_A[2]) * r + ACKLAM_A[3]) * r + ACKLAM_A[4]) * r
            + ACKLAM_A[5]) * q / (((((ACKLAM_B[0] * r + ACKLAM_B[1]) * r + ACKLAM_B[2]) * r + ACKLAM_B[3]) * r
            + ACKLAM_B[4]) * r + 1);
    }

    // ---- Student t

    /**
     * From here on the incomplete beta of t uses the large-a expansion: the continued fraction's
     * relative error grows like df·1e-16.
     */
    private static final double LARGE_DF = 1000;

    /** P(|T| >= |t|) for T ~ t(df): I_{df/(df+t²)}(df/2, 1/2), computed directly so tiny p-values keep their digits. */
    static double studentTTwoSidedP(double t, double df) {
        return studentBeta(t, df).lower();
    }

    /** P(T <= t). */
    static double studentTCdf(double t, double df) {
        double twoSided = studentTTwoSidedP(t, df);
        return t < 0 ? 0.5 * twoSided : 1 - 0.5 * twoSided;
    }

    /** P(T > t) for t >= 0 without cancellation. */
    private static double studentTUpperTail(double t, double df) {
        return 0.5 * studentTTwoSidedP(t, df);
    }

    private static SpecialFunctions.BetaTails studentBeta(double t, double df) {
        if (t == 0) {
            return new SpecialFunctions.BetaTails(1, 0);
        }
        if (Double.isInfinite(t)) {
            return new SpecialFunctions.BetaTails(0, 1);
        }
        double t2 = t * t;
        double ratio = t2 / df;
        // x = df/(df+t²) and y = t²/(df+t²), each with its logarithm, none taken as 1 - other
        double x = 1 / (1 + ratio);
        double lnX = -Math.log1p(ratio);
        double y = ratio / (1 + ratio);
        double lnY = Math.log(ratio) + lnX;
        if (df >= LARGE_DF) {
            double lower = SpecialFunctions.regularizedBetaLargeA(lnX, 0.5 * df, 0.5);
            return new SpecialFunctions.BetaTails(lower, 1 - lower);
        }
        return SpecialFunctions.regularizedBeta(x, lnX, y, lnY, 0.5 * df, 0.5);
    }

    static double studentTPdf(double t, double df) {
        return Math.exp(-SpecialFunctions.lnBeta(0.5 * df, 0.5) - 0.5 * Math.log(df)
            - 0.5 * (df + 1) * Math.log1p(t * t / df));
    }

    /**
     * The t quantile: Newton on ln P(T > t) from a Cornish-Fisher start, kept inside a bracket and
     * falling back to bisection, so that it converges for 1 degree of freedom and 10^-12 tails as well.
     */
    static double studentTQuantile(double p, double df) {
        if (Double.isNaN(p) || p < 0 || p > 1 || !(df > 0)) {
            return Double.NaN;
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (p == 0.5) {
            return 0;
        }
        return p < 0.5 ? -upperQuantile(p, df) : upperQuantile(1 - p, df);
    }

    /** The t > 0 with P(T > t) = q, for 0 < q < 1/2. */
    private static double upperQuantile(double q, double df) {
        double lnQ = Math.log(q);
        double z = -normalQuantile(q);
        double z2 = z * z;
        double start = z + (z2 + 1) * z / (4 * df)
            + ((5 * z2 + 16) * z2 + 3) * z / (96 * df * df)
            + (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / (384 * df * df * df);
        double low = 0;
        double high = Math.max(2 * Math.max(start, z), 1);
        while (studentTUpperTail(high, df) > q) {
            low = high;
            high *= 2;
        }
        double t = start > low && start < high ? start : 0.5 * (low + high);
        for (int i = 0; i < 300; i++) {
            double tail = studentTUpperTail(t, df);
            if (tail == q) {
                return t;
            }
            if (tail > q) {
                low = t;
            } else {
                high = t;
            }
            double pdf = studentTPdf(t, df);
            double next = pdf > 0 ? t + (Math.log(tail) - lnQ) * tail / pdf : Double.NaN;
            if (!(next > low && next < high)) {
                next = 0.5 * (low + high);
            }
            if (Math.abs(next - t) <= 1e-15 * Math.abs(next) || high - low <= 1e-15 * high) {
                return next;
            }
            t = next;
        }
        return t;
    }

    // ---- chi-squared

    /** P(X > x) for X ~ χ²(df): Q(df/2, x/2). */
    static double chiSquaredSurvival(double x, double df) {
        if (x <= 0) {
            return 1;
        }
        return SpecialFunctions.regularizedGamma(0.5 * df, 0.5 * x).upper();
    }
}
