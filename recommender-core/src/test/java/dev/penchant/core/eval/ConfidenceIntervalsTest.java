package dev.penchant.core.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reference values computed offline with scipy 1.x (scipy.stats.t.ppf / t.cdf / t.interval). */
class ConfidenceIntervalsTest {
    @Test
    void quantilesMatchScipy() {
        double[][] ppf = { // p, df, scipy.stats.t.ppf(p, df)
                {0.975, 1, 12.706204736174694}, {0.975, 2, 4.302652729749462}, {0.975, 3, 3.1824463052837078},
                {0.975, 4, 2.7764451051977934}, {0.975, 5, 2.5705818356363146}, {0.975, 9, 2.262157162798205},
                {0.975, 29, 2.045229642132703}, {0.975, 100, 1.9839715185235518}, {0.975, 942, 1.962485503006619},
                {0.975, 30000, 1.9600430633839347}, {0.995, 4, 4.604094871349992}, {0.9, 2, 1.8856180831641272},
                {0.6, 7, 0.2631668613520229}, {0.025, 4, -2.7764451051977943}, {0.999, 3, 10.214531852407383}};
        for (double[] c : ppf)
            assertEquals(c[2], ConfidenceIntervals.studentTQuantile(c[0], c[1]), 1e-9 * Math.abs(c[2]), "p=" + c[0] + " df=" + c[1]);
        assertEquals(0, ConfidenceIntervals.studentTQuantile(0.5, 3));
    }

    @Test
    void cdfMatchesScipy() {
        double[][] cdf = { // t, df, scipy.stats.t.cdf(t, df)
                {2.0, 4, 0.9419417382415922}, {-1.5, 10, 0.08225366322272007}, {0.3, 1, 0.5927735790777423},
                {5.0, 942, 0.9999996582236116}};
        for (double[] c : cdf)
            assertEquals(c[2], ConfidenceIntervals.studentTCdf(c[0], c[1]), 1e-12, "t=" + c[0] + " df=" + c[1]);
    }

    @Test
    void intervalMatchesScipy() {
        // scipy.stats.t.interval(0.95, 4, loc=mean, scale=sem(x)) for x = [0.1, 0.4, 0.35, 0.8, 0.2]
        ConfidenceIntervals.Interval i = ConfidenceIntervals.t(new double[]{0.1, 0.4, 0.35, 0.8, 0.2}, 0.95);
        assertEquals(5, i.n());
        assertEquals(0.37, i.mean(), 1e-12);
        assertEquals(0.03682658737626482, i.lower(), 1e-9);
        assertEquals(0.7031734126237352, i.upper(), 1e-9);
        assertTrue(i.excludesZero());
        assertFalse(ConfidenceIntervals.t(new double[]{-1, 1, 0.5}, 0.95).excludesZero());
        assertTrue(ConfidenceIntervals.t(new double[]{-1, -1.2, -0.9}, 0.95).excludesZero());
    }

    @Test
    void degenerateInputs() {
        ConfidenceIntervals.Interval one = ConfidenceIntervals.t(new double[]{0.4}, 0.95);
        assertEquals(0.4, one.mean());
        assertTrue(Double.isNaN(one.lower()) && Double.isNaN(one.upper()));
        assertFalse(one.excludesZero());
        // no spread: a zero-width interval at the mean
        ConfidenceIntervals.Interval flat = ConfidenceIntervals.t(new double[]{0.2, 0.2, 0.2}, 0.95);
        assertEquals(0.2, flat.lower(), 1e-15);
        assertEquals(0.2, flat.upper(), 1e-15);
    }
}
