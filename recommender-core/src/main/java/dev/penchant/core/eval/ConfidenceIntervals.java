package dev.penchant.core.eval;

/**
 * Student-t confidence intervals for a mean, and the t distribution they need (CDF and quantile from
 * the regularised incomplete beta function; no statistics library). Used to compare models: over users
 * (one value per test user) and over seeds (one mean per training seed).
 */
public final class ConfidenceIntervals {
    private ConfidenceIntervals() {
    }

    /**
     * mean +- t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n), sd the sample standard deviation (n - 1).
     * With fewer than two values there is no interval: standardError, lower and upper are NaN.
     */
    public record Interval(int n, double mean, double standardError, double lower, double upper, double level) {
        /** True when the whole interval lies above or below zero (for a difference: a real one). */
        public boolean excludesZero() {
            return lower > 0 || upper < 0;
        }
    }

    public static Interval t(double[] values, double level) {
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1): " + level);
        int n = values.length;
        double sum = 0;
        for (double v : values) sum += v;
        double mean = n == 0 ? Double.NaN : sum / n;
        if (n < 2) return new Interval(n, mean, Double.NaN, Double.NaN, Double.NaN, level);
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double se = Math.sqrt(ss / (n - 1) / n);
        double half = studentTQuantile(1 - (1 - level) / 2, n - 1) * se;
        return new Interval(n, mean, se, mean - half, mean + half, level);
    }

    /** P(T <= t) for Student's t with df degrees of freedom. */
    public static double studentTCdf(double t, double df) {
        if (!(df > 0)) throw new IllegalArgumentException("df must be > 0");
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        double tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
        return t > 0 ? 1 - tail : tail;
    }

    /** The t with P(T <= t) = p, by bisection on the CDF (to about 1e-12 relative; called rarely). */
    public static double studentTQuantile(double p, double df) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("p must be in (0, 1): " + p);
        if (p == 0.5) return 0;
        if (p < 0.5) return -studentTQuantile(1 - p, df);
        double lo = 0;
        double hi = 1;
        while (studentTCdf(hi, df) < p) {
            lo = hi;
            hi *= 2;
        }
        for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
            double mid = (lo + hi) / 2;
            if (studentTCdf(mid, df) < p) lo = mid;
            else hi = mid;
        }
        return (lo + hi) / 2;
    }

    /** I_x(a, b), from its continued fraction on the side where that converges fast. */
    static double regularizedIncompleteBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) return front * betaContinuedFraction(x, a, b) / a;
        return 1 - front * betaContinuedFraction(1 - x, b, a) / b;
    }

    /** The incomplete beta continued fraction, evaluated with the modified Lentz method. */
    private static double betaContinuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double c = 1;
        double d = 1 - (a + b) * x / (a + 1);
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            // even step
            double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + num * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + num / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            // odd step
            num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + num * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + num / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double step = d * c;
            h *= step;
            if (Math.abs(step - 1) < 1e-16) break;
        }
        return h;
    }

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
            771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
            9.9843695780195716e-6, 1.5056327351493116e-7};

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7; about 15 significant digits). */
    static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        double z = x - 1;
        double sum = LANCZOS[0];
        for (int i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
        double t = z + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
