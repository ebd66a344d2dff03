package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Objects;

/** The result contract: every figure finite or null, and a record with a null figure says why. */
final class WellFormed {

    private WellFormed() {
    }

    static AnalysisResult check(AnalysisResult result) {
        figures("srm", result.srm().reason(), result.srm().pValue());
        for (AnalysisResult.Variant v : result.variants()) {
            figures(v.name() + ".mean", v.reason(), v.mean());
            AnalysisResult.Comparison c = v.comparison();
            if (c == null) {
                continue;
            }
            assertNotNull(c.relative());
            figures(v.name() + ".relative", c.relative().reason(), c.relative().lift(), c.relative().ciLower(),
                c.relative().ciUpper(), c.relative().pValue());
            figures(v.name() + ".absolute", c.absolute().reason(), c.absolute().lift(), c.absolute().ciLower(),
                c.absolute().ciUpper(), c.absolute().pValue());
            figures(v.name() + ".sequential", c.sequential().reason(), c.sequential().ciLower(),
                c.sequential().ciUpper(), c.sequential().pValue());
            AnalysisResult.Bayesian b = c.bayesian();
            figures(v.name() + ".bayesian", b.reason(), b.chanceToWin(), b.ciLower(), b.ciUpper(), b.riskControl(),
                b.riskTreatment());
        }
        return result;
    }

    private static void figures(String where, String reason, Double... values) {
        for (Double value : values) {
            assertTrue(value == null || Double.isFinite(value), where + " has a non-finite figure " + value);
        }
        boolean anyNull = Arrays.stream(values).anyMatch(Objects::isNull);
        assertTrue(!anyNull || reason != null, where + " has a null figure without a reason");
        assertTrue(anyNull || reason == null, where + " has a reason but no null figure: " + reason);
    }
}
