package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/** The distribution functions against scipy.stats and mpmath (fixtures from src/test/python/reference_values.py). */
class DistributionsTest {

    /** Relative tolerance against scipy; values below 1e-300 count as equal (underflow). */
    static final double TOLERANCE = 1e-9;
    static final double UNDERFLOW = 1e-300;

    private static final JsonNode FIXTURES = Reference.read("distributions.json");

    private static void check(String table, DoubleBinaryOperator function) {
        double worst = 0;
        int count = 0;
        for (JsonNode row : FIXTURES.get(table)) {
            double x = row.get("x").asDouble();
            double df = row.has("df") ? row.get("df").asDouble() : Double.NaN;
            double actual = function.applyAsDouble(x, df);
            worst = Math.max(worst, Reference.assertClose(row.get("expected").asDouble(), actual, TOLERANCE, UNDERFLOW,
                table + "(" + x + (Double.isNaN(df) ? "" : ", df " + df) + ")"));
            count++;
        }
        assertTrue(count > 10, table + " has rows");
        System.out.printf("%s: %d values, worst relative error against scipy %.2e%n", table, count, worst);
    }

    @Test
    void studentTCdfMatchesScipy() {
        check("studentTCdf", Distributions::studentTCdf);
    }

    @Test
    void studentTTwoSidedPMatchesScipy() {
        check("studentTTwoSidedP", Distributions::studentTTwoSidedP);
    }

    @Test
    void studentTQuantileMatchesScipy() {
        check("studentTQuantile", Distributions::studentTQuantile);
    }

    @Test
    void normalCdfMatchesScipy() {
        check("normalCdf", (z, unused) -> Distributions.normalCdf(z));
    }

    @Test
    void normalQuantileMatchesScipy() {
        check("normalQuantile", (p, unused) -> Distributions.normalQuantile(p));
    }

    @Test
    void chiSquaredSurvivalMatchesScipy() {
        check("chiSquaredSurvival", Distributions::chiSquaredSurvival);
    }

    @Test
    void lnGammaAndLnBetaMatchMpmath() {
        // ln Γ is 0 at 1 and 2: there the error is absolute
        double worst = 0;
        for (JsonNode row : FIXTURES.get("lnGamma")) {
            double x = row.get("x").asDouble();
            worst = Math.max(worst, Reference.assertClose(row.get("expected").asDouble(), SpecialFunctions.lnGamma(x),
                1e-12, 1e-14, "lnGamma(" + x + ")"));
        }
        for (JsonNode row : FIXTURES.get("lnBeta")) {
            double a = row.get("x").asDouble();
            double b = row.get("df").asDouble();
            worst = Math.max(worst, Reference.assertClose(row.get("expected").asDouble(), SpecialFunctions.lnBeta(a, b),
                1e-12, 1e-14, "lnBeta(" + a + ", " + b + ")"));
        }
        System.out.printf("lnGamma/lnBeta: worst relative error against mpmath %.2e%n", worst);
    }

    @Test
    void quantilesInvertTheirCdfs() {
        for (double p : new double[] {1e-9, 0.01, 0.3, 0.5, 0.77, 0.975}) {
            assertEquals(p, Distributions.normalCdf(Distributions.normalQuantile(p)), 1e-14 * p + 1e-17);
            for (double df : new double[] {1, 4.5, 250}) {
                assertEquals(p, Distributions.studentTCdf(Distributions.studentTQuantile(p, df), df), 1e-13 * p);
            }
        }
    }

    @Test
    void edgesAreExact() {
        assertEquals(0.5, Distributions.normalCdf(0));
        assertEquals(0, Distributions.normalQuantile(0.5));
        assertEquals(0, Distributions.studentTQuantile(0.5, 7));
        assertEquals(1, Distributions.studentTTwoSidedP(0, 7));
        assertEquals(1, Distributions.chiSquaredSurvival(0, 3));
        assertEquals(Double.NEGATIVE_INFINITY, Distributions.normalQuantile(0));
        // t tends to the normal
        assertEquals(Distributions.normalQuantile(0.975), Distributions.studentTQuantile(0.975, 1e15), 1e-12);
    }
}
