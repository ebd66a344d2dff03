package dev.penchant.cli.compare;

import dev.penchant.core.eval.ConfidenceIntervals;
import dev.penchant.core.eval.EvaluationResult;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonTest {
    static final int[] USERS = {0, 2, 5};

    /** Test results of one model and seed with the given per-user sampled HR@10 and full NDCG@10. */
    static List<EvaluationResult> results(String model, int[] users, double[] hr, double[] ndcg) {
        Map<String, double[]> sampled = Map.of("HR@10", hr, "NDCG@10", hr);
        Map<String, double[]> full = Map.of("Recall@10", ndcg, "NDCG@10", ndcg);
        return List.of(
                new EvaluationResult(model, "sampled-100", "validation", Map.of()),
                new EvaluationResult(model, "sampled-100", "test", Map.of(), new EvaluationResult.PerUser(users, sampled)),
                new EvaluationResult(model, "full", "test", Map.of(), new EvaluationResult.PerUser(users, full)));
    }

    static Comparison twoModelsTwoSeeds() {
        Comparison c = new Comparison(0.95);
        c.add("a", 1, results("a", USERS, new double[]{1, 0, 1}, new double[]{0.5, 0.6, 0.7}));
        c.add("a", 2, results("a", USERS, new double[]{1, 1, 1}, new double[]{0.5, 0.6, 0.7}));
        c.add("b", 1, results("b", USERS, new double[]{0, 0, 1}, new double[]{0.1, 0.2, 0.3}));
        c.add("b", 2, results("b", USERS, new double[]{0, 0, 0}, new double[]{0.1, 0.2, 0.3}));
        return c;
    }

    static final Comparison.Metric HR = Comparison.METRICS.get(0);

    @Test
    void intervalIsOverUsersOfSeedAveragedValues() {
        Comparison.Summary s = twoModelsTwoSeeds().summary("a", HR);
        // per user over the two seeds: 1, 0.5, 1 -> three values (users), not six (users x seeds)
        ConfidenceIntervals.Interval expected = ConfidenceIntervals.t(new double[]{1, 0.5, 1}, 0.95);
        assertEquals(3, s.overUsers().n());
        assertEquals(5.0 / 6, s.overUsers().mean(), 1e-12);
        assertEquals(expected.lower(), s.overUsers().lower(), 1e-12);
        assertEquals(expected.upper(), s.overUsers().upper(), 1e-12);
        // per-seed means 2/3 and 1, and their interval over the two seeds
        assertArrayEquals(new double[]{2.0 / 3, 1}, s.seedMeans(), 1e-12);
        assertEquals(List.of(1L, 2L), s.seeds());
        assertEquals(2, s.overSeeds().n());
        assertEquals(ConfidenceIntervals.t(new double[]{2.0 / 3, 1}, 0.95).upper(), s.overSeeds().upper(), 1e-12);
    }

    @Test
    void pairedDifferencesClaimOnlyWhenTheIntervalExcludesZero() {
        Comparison c = twoModelsTwoSeeds();
        // HR: a - b per user = (1, 0.5, 1) - (0, 0, 0.5) = (1, 0.5, 0.5): mean 2/3 but the interval holds zero
        Comparison.Difference hr = c.difference("a", "b", HR);
        assertEquals(2.0 / 3, hr.overUsers().mean(), 1e-12);
        assertEquals(ConfidenceIntervals.t(new double[]{1, 0.5, 0.5}, 0.95).lower(), hr.overUsers().lower(), 1e-12);
        assertTrue(hr.overUsers().lower() < 0);
        assertEquals("no difference", hr.verdict());
        // full NDCG: every user 0.4 better -> a zero-width interval at 0.4
        Comparison.Difference nd = c.difference("a", "b", Comparison.PRIMARY);
        assertEquals(0.4, nd.overUsers().mean(), 1e-12);
        assertEquals("a > b", nd.verdict());
        assertEquals("b < a", c.difference("b", "a", Comparison.PRIMARY).verdict());
        assertEquals("a", c.best(List.of("b", "a")));
        assertEquals("b", c.best(List.of("b", "missing")));
    }

    @Test
    void refusesUnpairedData() {
        Comparison c = twoModelsTwoSeeds();
        c.add("other-users", 1, results("x", new int[]{0, 2, 6}, new double[]{1, 1, 1}, new double[]{1, 1, 1}));
        c.add("other-users", 2, results("x", new int[]{0, 2, 6}, new double[]{1, 1, 1}, new double[]{1, 1, 1}));
        assertThrows(IllegalStateException.class, () -> c.difference("a", "other-users", HR));
        c.add("one-seed", 1, results("y", USERS, new double[]{1, 1, 1}, new double[]{1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> c.difference("a", "one-seed", HR));
        assertThrows(IllegalArgumentException.class, () -> new Comparison(0.95).add("z", 1,
                List.of(new EvaluationResult("z", "full", "test", Map.of()))));
    }

    @Test
    void markdownHasTheThreeTables() {
        Comparison c = twoModelsTwoSeeds();
        ComparisonReport r = new ComparisonReport(c, List.of("b"));
        assertEquals("b", r.bestBaseline());
        String md = r.markdown("toy data");
        assertTrue(md.contains("| model | HR@10 sampled | NDCG@10 sampled | Recall@10 full | NDCG@10 full |"), md);
        assertTrue(md.contains("| a | 0.833 ["), md);
        assertTrue(md.contains("| a | b | +0.667 [") && md.contains("no difference") && md.contains("+0.400 [+0.400, +0.400] a > b"), md);
        assertTrue(md.contains("| model | metric | seed 1 | seed 2 | over seeds |"), md);
        assertTrue(md.contains("| a | HR@10 sampled | 0.667 | 1.000 | 0.833 ["), md);
        Map<String, Object> json = r.json();
        assertEquals("b", json.get("bestBaseline"));
        assertEquals(8, ((List<?>) json.get("summaries")).size());
        assertEquals(4, ((List<?>) json.get("differences")).size());
    }
}
