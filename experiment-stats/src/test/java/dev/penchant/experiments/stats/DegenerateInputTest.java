package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Inputs where figures are undefined: they come back null with a reason, never NaN, infinity or an exception. */
class DegenerateInputTest {

    private static AnalysisResult analyze(MetricType metric, VariantData... variants) {
        return WellFormed.check(ExperimentAnalysis.analyze(new AnalysisRequest(metric, List.of(variants))));
    }

    private static AnalysisResult.Comparison treatment(AnalysisResult result) {
        return result.treatments().get(0).comparison();
    }

    private static void allNull(AnalysisResult.Comparison c, String reason) {
        assertEquals(new AnalysisResult.Lift(null, null, null, null, reason), c.relative());
        assertEquals(new AnalysisResult.Lift(null, null, null, null, reason), c.absolute());
        assertEquals(new AnalysisResult.Sequential(null, null, null, reason), c.sequential());
        assertEquals(new AnalysisResult.Bayesian(null, null, null, null, null, reason), c.bayesian());
    }

    @Test
    void treatmentWithoutUsers() {
        AnalysisResult result = analyze(MetricType.PROPORTION,
            VariantData.proportion("control", 1, 1000, 100), VariantData.proportion("treatment", 1, 0, 0));
        AnalysisResult.Variant treatment = result.treatments().get(0);
        assertNull(treatment.mean());
        assertEquals("no users", treatment.reason());
        allNull(treatment.comparison(), "treatment: no users");
        assertNotNull(result.srm().pValue(), "SRM is still defined");
        assertEquals(true, result.srm().mismatch());
    }

    @Test
    void controlWithoutUsers() {
        AnalysisResult result = analyze(MetricType.MEAN,
            VariantData.mean("control", 1, 0, 0, 0), VariantData.mean("treatment", 1, 10, 12, 20));
        assertEquals("no users", result.control().reason());
        allNull(treatment(result), "control: no users");
    }

    @Test
    void oneUserGivesTheLiftButNoInterval() {
        AnalysisResult result = analyze(MetricType.MEAN,
            VariantData.mean("control", 1, 100, 250, 700), VariantData.mean("treatment", 1, 1, 3, 9));
        AnalysisResult.Comparison c = treatment(result);
        assertEquals(3.0, result.treatments().get(0).mean());
        assertEquals(new AnalysisResult.Lift(0.2, null, null, null, "treatment: fewer than 2 users"), c.relative());
        assertEquals(new AnalysisResult.Lift(0.5, null, null, null, "treatment: fewer than 2 users"), c.absolute());
        assertEquals("treatment: fewer than 2 users", c.sequential().reason());
        assertEquals("treatment: fewer than 2 users", c.bayesian().reason());
    }

    @Test
    void zeroVarianceInBothArms() {
        // every user's value is 5 in the control and 6 in the treatment
        AnalysisResult result = analyze(MetricType.MEAN,
            VariantData.mean("control", 1, 40, 200, 1000), VariantData.mean("treatment", 1, 40, 240, 1440));
        AnalysisResult.Comparison c = treatment(result);
        assertEquals(0.2, c.relative().lift(), 1e-15);
        assertNull(c.relative().pValue());
        assertEquals("control: zero variance", c.relative().reason());
        assertEquals("control: zero variance", c.absolute().reason());
    }

    @Test
    void roundingNoiseInTheSumOfSquaresCountsAsZeroVariance() {
        // 3 users of 0.1 each: sumSquares - sum²/n is ~1e-18, not 0
        double sum = 0.1 + 0.1 + 0.1;
        double sumSquares = 0.1 * 0.1 + 0.1 * 0.1 + 0.1 * 0.1;
        AnalysisResult result = analyze(MetricType.MEAN,
            VariantData.mean("control", 1, 3, sum, sumSquares), VariantData.mean("treatment", 1, 5, 6, 10));
        assertEquals("control: zero variance", treatment(result).absolute().reason());
    }

    @Test
    void controlThatNeverConverts() {
        AnalysisResult result = analyze(MetricType.PROPORTION,
            VariantData.proportion("control", 1, 500, 0), VariantData.proportion("treatment", 1, 500, 7));
        AnalysisResult.Comparison c = treatment(result);
        assertEquals(new AnalysisResult.Lift(null, null, null, null, "control mean is zero"), c.relative());
        assertEquals(new AnalysisResult.Lift(0.014, null, null, null, "control: zero variance"), c.absolute());
        assertEquals("control mean is zero", c.sequential().reason());
        assertEquals("control mean is zero", c.bayesian().reason());
    }

    @Test
    void controlMeanZeroWithSpreadKeepsTheAbsoluteTest() {
        // profit per user averaging exactly 0 in the control
        AnalysisResult result = analyze(MetricType.MEAN,
            VariantData.mean("control", 1, 200, 0, 800), VariantData.mean("treatment", 1, 200, 60, 900));
        AnalysisResult.Comparison c = treatment(result);
        assertEquals("control mean is zero", c.relative().reason());
        assertNull(c.relative().lift());
        assertNull(c.absolute().reason());
        assertNotNull(c.absolute().pValue());
        assertEquals("control mean is zero", c.sequential().reason());
        assertEquals("control mean is zero", c.bayesian().reason());
    }

    @Test
    void ratioWithZeroDenominator() {
        AnalysisResult result = analyze(MetricType.RATIO,
            VariantData.ratio("control", 1, 100, 30, 50, 400, 1800, 150),
            VariantData.ratio("treatment", 1, 100, 0, 0, 0, 0, 0));
        assertEquals("denominator sum is zero", result.treatments().get(0).reason());
        allNull(treatment(result), "treatment: denominator sum is zero");
    }

    @Test
    void srmWithoutUsersOrWithoutTwoWeightedArms() {
        AnalysisResult empty = analyze(MetricType.PROPORTION,
            VariantData.proportion("control", 1, 0, 0), VariantData.proportion("treatment", 1, 0, 0));
        assertEquals(new AnalysisResult.Srm(null, false, "no users"), empty.srm());
        allNull(treatment(empty), "control: no users");

        AnalysisResult oneArm = analyze(MetricType.PROPORTION,
            VariantData.proportion("control", 1, 100, 5), VariantData.proportion("treatment", 0, 100, 9));
        assertEquals(new AnalysisResult.Srm(null, false, "fewer than 2 variants with weight > 0"), oneArm.srm());
    }

    @Test
    void valuesBeyondDoublePrecisionGiveReasonsNotInfinity() {
        AnalysisResult result = analyze(MetricType.MEAN,
            VariantData.mean("control", 1, 10, 1e300, 1.7e308), VariantData.mean("treatment", 1, 10, 2e300, 1.7e308));
        AnalysisResult.Comparison c = treatment(result);
        assertEquals("control: variance exceeds double precision", c.absolute().reason());
        assertFalse(c.relative().reason().isEmpty());
    }
}
