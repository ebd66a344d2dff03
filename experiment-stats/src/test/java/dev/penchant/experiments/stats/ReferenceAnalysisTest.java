package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine against values computed independently from raw per-user data with scipy/numpy
 * (src/test/python/reference_values.py): Welch on means, proportions and ratio metrics, SRM, the
 * confidence sequence (its p-value found there by root-finding) and the Bayesian figures.
 */
class ReferenceAnalysisTest {

    /** Relative tolerance; the absolute floor covers figures that are zero up to rounding. */
    static final double TOLERANCE = 1e-9;
    static final double FLOOR = 1e-13;

    private static double worst;

    @TestFactory
    List<DynamicTest> casesMatchScipy() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode testCase : Reference.read("analyses.json")) {
            tests.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> check(testCase)));
        }
        tests.add(DynamicTest.dynamicTest("worst relative error", () ->
            System.out.printf("analyses: worst relative error against the scipy reference %.2e%n", worst)));
        return tests;
    }

    private static void check(JsonNode testCase) {
        String name = testCase.get("name").asText();
        AnalysisResult result = ExperimentAnalysis.analyze(StatsJson.readRequest(testCase.get("request")));
        JsonNode expected = testCase.get("expected");

        JsonNode srm = expected.get("srm");
        close(srm.get("pValue"), result.srm().pValue(), name + " srm.pValue");
        assertEquals(srm.get("mismatch").asBoolean(), result.srm().mismatch(), name + " srm.mismatch");
        assertNull(result.srm().reason());

        JsonNode means = expected.get("means");
        for (int i = 0; i < means.size(); i++) {
            close(means.get(i), result.variants().get(i).mean(), name + " variants[" + i + "].mean");
        }
        assertNull(result.control().comparison(), "the control is not compared with itself");
        JsonNode comparisons = expected.get("comparisons");
        assertEquals(comparisons.size(), result.treatments().size());
        for (int i = 0; i < comparisons.size(); i++) {
            String where = name + " variants[" + (i + 1) + "].";
            AnalysisResult.Comparison actual = result.treatments().get(i).comparison();
            JsonNode want = comparisons.get(i);
            lift(want.get("relative"), actual.relative(), where + "relative.");
            lift(want.get("absolute"), actual.absolute(), where + "absolute.");
            AnalysisResult.Sequential sequential = actual.sequential();
            compare(want.get("sequential"), where + "sequential.", List.of(
                figure("ciLower", sequential.ciLower()), figure("ciUpper", sequential.ciUpper()),
                figure("pValue", sequential.pValue())));
            assertNull(sequential.reason());
            AnalysisResult.Bayesian bayesian = actual.bayesian();
            compare(want.get("bayesian"), where + "bayesian.", List.of(
                figure("chanceToWin", bayesian.chanceToWin()), figure("ciLower", bayesian.ciLower()),
                figure("ciUpper", bayesian.ciUpper()), figure("riskControl", bayesian.riskControl()),
                figure("riskTreatment", bayesian.riskTreatment())));
            assertNull(bayesian.reason());
        }
    }

    private static void lift(JsonNode want, AnalysisResult.Lift lift, String where) {
        compare(want, where, List.of(figure("lift", lift.lift()), figure("ciLower", lift.ciLower()),
            figure("ciUpper", lift.ciUpper()), figure("pValue", lift.pValue())));
        assertNull(lift.reason(), where + "reason");
    }

    private record Figure(String name, Double value) {
    }

    private static Figure figure(String name, Double value) {
        return new Figure(name, value);
    }

    private static void compare(JsonNode want, String where, List<Figure> figures) {
        for (Figure f : figures) {
            close(want.get(f.name()), f.value(), where + f.name());
        }
    }

    private static void close(JsonNode expected, Double actual, String what) {
        worst = Math.max(worst, Reference.assertClose(expected.asDouble(), actual, TOLERANCE, FLOOR, what));
    }
}
