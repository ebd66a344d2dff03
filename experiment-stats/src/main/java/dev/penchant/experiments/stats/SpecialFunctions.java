package dev.penchant.experiments.stats;

/**
 * Log-gamma, log-beta and the regularized incomplete beta and gamma functions, the building blocks of
 * {@link Distributions}. Continued fractions are evaluated with the modified Lentz method.
 */
final class SpecialFunctions {

    /** Relative step at which a continued fraction has converged: about one unit in the last place. */
    private static final double EPSILON = 3e-16;
    private static final double TINY = 1e-300;
    private static final double HALF_LN_TWO_PI = 0.9189385332046727;
    /** Enough for the incomplete beta of a t-distribution with about 10^9 degrees of freedom. */
    private static final int MAX_ITERATIONS = 200_000;

    /** Lanczos coefficients, g = 7, n = 9. */
    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};

    private SpecialFunctions() {
    }

    /** ln Γ(x) for x > 0. */
    static double lnGamma(double x) {
        if (x < 0.5) {
            // reflection keeps the Lanczos sum in its accurate range
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
        }
        if (x >= 10) {
            return (x - 0.5) * Math.log(x) - x + HALF_LN_TWO_PI + stirlingCorrection(x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        double t = z + 7.5;
        return HALF_LN_TWO_PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** ln Γ(x) - [(x - 1/2) ln x - x + ln √(2π)], the Stirling series; accurate to ~1e-17 for x >= 10. */
    static double stirlingCorrection(double x) {
        double inv = 1 / x;
        double inv2 = inv * inv;
        return inv * (1.0 / 12 + inv2 * (-1.0 / 360 + inv2 * (1.0 / 1260 + inv2 * (-1.0 / 1680
            + inv2 * (1.0 / 1188 + inv2 * (-691.0 / 360360 + inv2 / 156))))));
    }

    /**
     * ln B(a, b). When an argument is large the Stirling terms are combined analytically, so that
     * ln B(10^6, 1/2) keeps its digits instead of being the difference of two numbers near 10^7.
     */
    static double lnBeta(double a, double b) {
        double p = Math.min(a, b);
        double q = Math.max(a, b);
        if (p >= 10) {
            double correction = stirlingCorrection(p) + stirlingCorrection(q) - stirlingCorrection(p + q);
            return -0.5 * Math.log(q) + HALF_LN_TWO_PI + correction
                + (p - 0.5) * Math.log(p / (p + q)) + q * Math.log1p(-p / (p + q));
        }
        if (q >= 10) {
            double correction = stirlingCorrection(q) - stirlingCorrection(p + q);
            return lnGamma(p) + correction + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
        }
        return lnGamma(p) + lnGamma(q) - lnGamma(p + q);
    }

    /** The lower and upper regularized incomplete beta, I_x(a, b) and 1 - I_x(a, b). */
    record BetaTails(double lower, double upper) {
    }

    /**
     * I_x(a, b) and its complement, both to full relative precision where they are small. The caller
     * passes x, y = 1 - x and their logarithms, computed without cancellation (for a t-distribution
     * x = ν/(ν+t²) is close to 1, and y = t²/(ν+t²) must not come from 1 - x).
     */
    static BetaTails regularizedBeta(double x, double lnX, double y, double lnY, double a, double b) {
        if (x <= 0) {
            return new BetaTails(0, 1);
        }
        if (y <= 0) {
            return new BetaTails(1, 0);
        }
        double lnFront = a * lnX + b * lnY - lnBeta(a, b);
        if (x < (a + 1) / (a + b + 2)) {
            double lower = Math.exp(lnFront) * betaContinuedFraction(x, a, b) / a;
            return new BetaTails(lower, 1 - lower);
        }
        double upper = Math.exp(lnFront) * betaContinuedFraction(y, b, a) / b;
        return new BetaTails(1 - upper, upper);
    }

    private static double betaContinuedFraction(double x, double a, double b) {
        double c = 1;
        double d = nonZero(1 - (a + b) * x / (a + 1));
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= MAX_ITERATIONS; m++) {
            // even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
            double numerator = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 / nonZero(1 + numerator * d);
            c = nonZero(1 + numerator / c);
            h *= d * c;
            // odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
            numerator = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
            d = 1 / nonZero(1 + numerator * d);
            c = nonZero(1 + numerator / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                return h;
            }
        }
        return h;
    }

    /**
     * I_x(a, b) for large a and b <= 1 by the asymptotic expansion of DiDonato and Morris (ACM TOMS
     * 18(3), 1992, "BGRAT", eq. 9): with T = a + (b-1)/2 and u = -T ln x,
     * I_x(a, b) = M Σ p_n J_n(b, u), where M = e^{-u} u^b Γ(a+b) / (Γ(b) Γ(a) T^b),
     * J_0 = Q(b, u) / (e^{-u} u^b / Γ(b)), 4T² J_n = (b+2n-2)(b+2n-1) J_{n-1} + (u+b+2n-1) (ln x / 2)^{2n-2},
     * p_0 = 1, p_n = (b-1)/(2n+1)! + (1/n) Σ_{m=1}^{n-1} (mb - n) p_{n-m} / (2m+1)!.
     * The continued fraction loses digits to cancellation when x is near 1 and a is large (about
     * a·1e-16 relative: 1e-10 at a million degrees of freedom); this keeps ~1e-14.
     */
    static double regularizedBetaLargeA(double lnX, double a, double b) {
        double t = a + (b - 1) / 2;
        double u = -t * lnX;
        if (u <= 0) {
            return 1;
        }
        double lnM = -u + b * Math.log(u) - lnBeta(a, b) - b * Math.log(t);
        double j = upperGammaScaled(b, u);
        double sum = j;
        double halfLnX2 = 0.25 * lnX * lnX;
        double halfLnXPower = 1;
        double fourT2 = 4 * t * t;
        double[] p = new double[BGRAT_TERMS];
        p[0] = 1;
        for (int n = 1; n < BGRAT_TERMS; n++) {
            double pn = 0;
            for (int m = 1; m < n; m++) {
                pn += (m * b - n) * p[n - m] / ODD_FACTORIALS[m];
            }
            p[n] = pn / n + (b - 1) / ODD_FACTORIALS[n];
            double b2n = b + 2 * n - 2;
            j = (b2n * (b2n + 1) * j + (u + b2n + 1) * halfLnXPower) / fourT2;
            halfLnXPower *= halfLnX2;
            double term = p[n] * j;
            sum += term;
            if (Math.abs(term) <= EPSILON * Math.abs(sum)) {
                break;
            }
        }
        return Math.exp(lnM) * sum;
    }

    private static final int BGRAT_TERMS = 30;
    /** (2m+1)! for m = 0..BGRAT_TERMS-1. */
    private static final double[] ODD_FACTORIALS = new double[BGRAT_TERMS];

    static {
        double factorial = 1;
        int k = 1;
        for (int m = 0; m < BGRAT_TERMS; m++) {
            while (k < 2 * m + 1) {
                k++;
                factorial *= k;
            }
            ODD_FACTORIALS[m] = factorial;
        }
    }

    /** Q(a, x) / (e^{-x} x^a / Γ(a)), without the underflow of either factor for large x. */
    static double upperGammaScaled(double a, double x) {
        double lnFront = -x + a * Math.log(x) - lnGamma(a);
        if (x < a + 1) {
            return regularizedGamma(a, x).upper() * Math.exp(-lnFront);
        }
        return gammaContinuedFraction(a, x);
    }

    /** The lower and upper regularized incomplete gamma, P(a, x) and Q(a, x). */
    record GammaTails(double lower, double upper) {
    }

    /** P(a, x) and Q(a, x) for a > 0, x >= 0: series below x = a + 1, continued fraction above. */
    static GammaTails regularizedGamma(double a, double x) {
        if (x <= 0) {
            return new GammaTails(0, 1);
        }
        double lnFront = -x + a * Math.log(x) - lnGamma(a);
        if (x < a + 1) {
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n <= MAX_ITERATIONS; n++) {
                term *= x / (a + n);
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * EPSILON) {
                    break;
                }
            }
            double lower = sum * Math.exp(lnFront);
            return new GammaTails(lower, 1 - lower);
        }
        double upper = Math.exp(lnFront) * gammaContinuedFraction(a, x);
        return new GammaTails(1 - upper, upper);
    }

    /** Q(a, x) / (e^{-x} x^a / Γ(a)) by its continued fraction, for x >= a + 1. */
    private static double gammaContinuedFraction(double a, double x) {
        double b = x + 1 - a;
        double c = 1 / TINY;
        double d = 1 / b;
        double h = d;
        for (int i = 1; i <= MAX_ITERATIONS; i++) {
            double an = -i * (i - a);
            b += 2;
            d = 1 / nonZero(an * d + b);
            c = nonZero(b + an / c);
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return h;
    }

    private static double nonZero(double value) {
        return Math.abs(value) < TINY ? TINY : value;
    }
}
