package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-day helper: cumulative totals in, the analysis as it stood each day out. */
class DailyAnalysisTest {

    private static final LocalDate START = LocalDate.of(2024, 6, 1);

    private static DailyTotals day(int offset, long controlUsers, long controlConverted, long treatmentUsers,
                                   long treatmentConverted) {
        return new DailyTotals(START.plusDays(offset), List.of(
            VariantData.proportion("control", 0.5, controlUsers, controlConverted),
            VariantData.proportion("treatment", 0.5, treatmentUsers, treatmentConverted)));
    }

    @Test
    void eachDayIsTheAnalysisOfItsCumulativeTotals() {
        List<DailyTotals> days = List.of(day(0, 500, 50, 510, 60), day(1, 1000, 98, 1012, 121), day(2, 1500, 151, 1490, 180));
        List<DailyResult> results = ExperimentAnalysis.analyzeDaily(MetricType.PROPORTION, 0.1, 1000, days);
        assertEquals(3, results.size());
        for (int d = 0; d < days.size(); d++) {
            assertEquals(days.get(d).day(), results.get(d).day());
            AnalysisResult alone = ExperimentAnalysis.analyze(
                new AnalysisRequest(MetricType.PROPORTION, 0.1, 1000, days.get(d).variants()));
            assertEquals(alone, results.get(d).result());
        }
        // the sequence narrows as users accumulate
        double first = width(results.get(0));
        double last = width(results.get(2));
        assertTrue(last < first, "sequence width " + first + " -> " + last);
    }

    private static double width(DailyResult day) {
        AnalysisResult.Sequential s = day.result().treatments().get(0).comparison().sequential();
        return s.ciUpper() - s.ciLower();
    }

    @Test
    void refusesTotalsThatAreNotCumulative() {
        InvalidInputException fewer = assertThrows(InvalidInputException.class, () -> ExperimentAnalysis.analyzeDaily(
            MetricType.PROPORTION, List.of(day(0, 500, 50, 510, 60), day(1, 1000, 98, 505, 61))));
        assertEquals("days[1].variants[1].users", fewer.field());
        assertEquals("cumulative totals cannot decrease (510 on days[0])", fewer.problem());

        InvalidInputException conversions = assertThrows(InvalidInputException.class, () -> ExperimentAnalysis.analyzeDaily(
            MetricType.PROPORTION, List.of(day(0, 500, 50, 510, 60), day(1, 1000, 40, 600, 61))));
        assertEquals("days[1].variants[0].sum", conversions.field());

        InvalidInputException order = assertThrows(InvalidInputException.class, () -> ExperimentAnalysis.analyzeDaily(
            MetricType.PROPORTION, List.of(day(1, 500, 50, 510, 60), day(1, 1000, 98, 1012, 121))));
        assertEquals("days[1].day", order.field());

        List<DailyTotals> renamed = new ArrayList<>(List.of(day(0, 500, 50, 510, 60)));
        renamed.add(new DailyTotals(START.plusDays(1), List.of(VariantData.proportion("control", 0.5, 900, 90),
            VariantData.proportion("variant-b", 0.5, 900, 90))));
        assertEquals("days[1].variants[1].name", assertThrows(InvalidInputException.class,
            () -> ExperimentAnalysis.analyzeDaily(MetricType.PROPORTION, renamed)).field());

        InvalidInputException inner = assertThrows(InvalidInputException.class, () -> ExperimentAnalysis.analyzeDaily(
            MetricType.PROPORTION, List.of(day(0, 500, 50, 510, 600))));
        assertEquals("days[0].variants[1].sum", inner.field());
    }
}
