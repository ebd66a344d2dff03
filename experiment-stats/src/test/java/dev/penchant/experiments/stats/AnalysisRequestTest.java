package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A request that can be built is one the engine can analyse: bad fields are named. */
class AnalysisRequestTest {

    private static final VariantData CONTROL = VariantData.mean("control", 0.5, 100, 50, 60);

    private static void refused(String field, String problem, MetricType metric, VariantData... variants) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> new AnalysisRequest(metric, Arrays.asList(variants)));
        assertEquals(field, e.field());
        assertEquals(problem, e.problem());
        assertEquals(field + ": " + problem, e.getMessage());
    }

    @Test
    void settings() {
        List<VariantData> two = List.of(CONTROL, VariantData.mean("treatment", 0.5, 100, 50, 60));
        assertEquals("alpha", assertThrows(InvalidInputException.class,
            () -> new AnalysisRequest(MetricType.MEAN, 1.0, 5000, two)).field());
        assertEquals("alpha", assertThrows(InvalidInputException.class,
            () -> new AnalysisRequest(MetricType.MEAN, Double.NaN, 5000, two)).field());
        assertEquals("sequentialTuning", assertThrows(InvalidInputException.class,
            () -> new AnalysisRequest(MetricType.MEAN, 0.05, 0, two)).field());
        assertEquals("metric", assertThrows(InvalidInputException.class,
            () -> new AnalysisRequest(null, two)).field());
        refused("variants", "needs at least 2 variants (the first is the control)", MetricType.MEAN, CONTROL);
        refused("variants[1]", "is required", MetricType.MEAN, CONTROL, null);
    }

    @Test
    void variantFields() {
        refused("variants[1].name", "is required", MetricType.MEAN, CONTROL, VariantData.mean(" ", 1, 1, 1, 1));
        refused("variants[1].name", "must be unique (\"control\" appears twice)", MetricType.MEAN, CONTROL, CONTROL);
        refused("variants[1].weight", "must be a finite number >= 0", MetricType.MEAN, CONTROL,
            VariantData.mean("t", -1, 1, 1, 1));
        refused("variants[1].users", "must be >= 0", MetricType.MEAN, CONTROL, VariantData.mean("t", 1, -5, 0, 0));
        refused("variants[1].sum", "must be a finite number", MetricType.MEAN, CONTROL,
            VariantData.mean("t", 1, 5, Double.POSITIVE_INFINITY, 0));
        refused("variants[1].sum", "must be 0 when users is 0", MetricType.MEAN, CONTROL, VariantData.mean("t", 1, 0, 3, 9));
        refused("variants[1].sumSquares", "is required for a mean metric", MetricType.MEAN, CONTROL,
            new VariantData("t", 1, 10, 3, null, null, null, null));
        refused("variants[1].sumSquares", "must be at least sum^2/users (90.0): a variance cannot be negative",
            MetricType.MEAN, CONTROL, VariantData.mean("t", 1, 10, 30, 80));
    }

    @Test
    void proportionSumIsAWholeCountOfUsers() {
        VariantData control = VariantData.proportion("control", 1, 100, 10);
        String problem = "must be the whole number of users converted, between 0 and users (100)";
        refused("variants[1].sum", problem, MetricType.PROPORTION, control, VariantData.proportion("t", 1, 100, 101));
        refused("variants[1].sum", problem, MetricType.PROPORTION, control, VariantData.proportion("t", 1, 100, -1));
        refused("variants[1].sum", problem, MetricType.PROPORTION, control, new VariantData("t", 1, 100, 2.5, null, null, null, null));
    }

    @Test
    void ratioNeedsConsistentDenominatorAggregates() {
        VariantData control = VariantData.ratio("control", 1, 100, 30, 50, 400, 1800, 150);
        refused("variants[1].denominatorSum", "is required for a ratio metric", MetricType.RATIO, control,
            VariantData.mean("t", 1, 100, 30, 50));
        refused("variants[1].denominatorSumSquares", "must be at least denominatorSum^2/users (1600.0): a variance cannot be negative",
            MetricType.RATIO, control, VariantData.ratio("t", 1, 100, 30, 50, 400, 1500, 150));
        refused("variants[1].sumProduct",
            "is inconsistent with the sums and sums of squares: |covariance| exceeds the product of the standard deviations",
            MetricType.RATIO, control, VariantData.ratio("t", 1, 100, 30, 50, 400, 1800, 500));
        refused("variants[1].sumProduct", "is required for a ratio metric", MetricType.RATIO, control,
            new VariantData("t", 1, 100, 30, 50.0, 400.0, 1800.0, null));
    }

    @Test
    void defaultsAndImmutability() {
        var variants = new java.util.ArrayList<>(List.of(CONTROL, VariantData.mean("t", 1, 10, 3, 9)));
        AnalysisRequest request = new AnalysisRequest(MetricType.MEAN, variants);
        assertEquals(0.05, request.alpha());
        assertEquals(5000, request.sequentialTuning());
        variants.clear();
        assertEquals(2, request.variants().size());
    }
}
