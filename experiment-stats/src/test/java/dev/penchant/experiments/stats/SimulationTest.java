package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The engine on simulated users (seeded). Each assertion leaves a margin of at least four binomial
 * standard errors around the expected rate, so that a different seed would not flip it; the
 * measured rates are printed for the README.
 */
class SimulationTest {

    // ---- user generators: one pass over simulated users, aggregated as a platform would

    /** Users who convert with probability {@code rate}. */
    private static VariantData converted(SplittableRandom random, String name, int users, double rate) {
        long converted = 0;
        for (int i = 0; i < users; i++) {
            if (random.nextDouble() < rate) {
                converted++;
            }
        }
        return VariantData.proportion(name, 0.5, users, converted);
    }

    /** Users with 1 + Poisson(3) exposures, each clicked with probability {@code ctr}: clicks per exposure. */
    private static VariantData clicks(SplittableRandom random, String name, int users, double ctr) {
        double clicks = 0;
        double clicksSquared = 0;
        double exposures = 0;
        double exposuresSquared = 0;
        double product = 0;
        for (int i = 0; i < users; i++) {
            int e = 1 + poisson(random, 3);
            int c = 0;
            for (int k = 0; k < e; k++) {
                if (random.nextDouble() < ctr) {
                    c++;
                }
            }
            clicks += c;
            clicksSquared += c * c;
            exposures += e;
            exposuresSquared += e * e;
            product += c * e;
        }
        return VariantData.ratio(name, 0.5, users, clicks, clicksSquared, exposures, exposuresSquared, product);
    }

    /** Revenue per user: 30% buy, spending lognormal around 20 (a skewed metric). */
    private static VariantData revenue(SplittableRandom random, String name, int users) {
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < users; i++) {
            if (random.nextDouble() < 0.3) {
                double spend = 20 * Math.exp(random.nextGaussian());
                sum += spend;
                squares += spend * spend;
            }
        }
        return VariantData.mean(name, 0.5, users, sum, squares);
    }

    private static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    private static AnalysisResult.Comparison compare(MetricType metric, VariantData control, VariantData treatment) {
        return ExperimentAnalysis.analyze(new AnalysisRequest(metric, List.of(control, treatment)))
            .treatments().get(0).comparison();
    }

    private static double rate(int hits, int runs) {
        return (double) hits / runs;
    }

    // ---- power

    @Test
    void aTrueLiftInTheClickRateIsFound() {
        SplittableRandom random = new SplittableRandom(11);
        // conversion 10% -> 11% on 20,000 users per arm: z = 0.01 / 0.00307 = 3.26, power ~0.90
        // (SE over 200 runs 0.021); asserted >= 0.80
        int runs = 200;
        int significant = 0;
        int likelyWinner = 0;
        for (int run = 0; run < runs; run++) {
            AnalysisResult.Comparison c = compare(MetricType.PROPORTION,
                converted(random, "control", 20_000, 0.10), converted(random, "treatment", 20_000, 0.11));
            if (c.relative().pValue() < 0.05 && c.relative().lift() > 0) {
                significant++;
            }
            if (c.bayesian().chanceToWin() > 0.95) {
                likelyWinner++;
            }
        }
        // clicks per exposure 10% -> 11% on 5,000 users (~20,000 exposures) per arm: power ~0.9
        int ratioRuns = 200;
        int ratioSignificant = 0;
        for (int run = 0; run < ratioRuns; run++) {
            AnalysisResult.Comparison c = compare(MetricType.RATIO,
                clicks(random, "control", 5_000, 0.10), clicks(random, "treatment", 5_000, 0.11));
            if (c.relative().pValue() < 0.05 && c.relative().lift() > 0) {
                ratioSignificant++;
            }
        }
        System.out.printf("power: conversion 10%%->11%%, 20k/arm: p<0.05 in %.3f of %d runs, chance to win >95%% in %.3f;"
                + " clicks/exposure 10%%->11%%, 5k users/arm: p<0.05 in %.3f of %d runs%n",
            rate(significant, runs), runs, rate(likelyWinner, runs), rate(ratioSignificant, ratioRuns), ratioRuns);
        assertTrue(rate(significant, runs) >= 0.80, "proportion power " + rate(significant, runs));
        assertTrue(rate(likelyWinner, runs) >= 0.80, "chance to win " + rate(likelyWinner, runs));
        assertTrue(rate(ratioSignificant, ratioRuns) >= 0.80, "ratio power " + rate(ratioSignificant, ratioRuns));
    }

    // ---- false positives with a fixed horizon

    @Test
    void aaTestsRejectAboutFivePercentAtTheFixedHorizon() {
        SplittableRandom random = new SplittableRandom(23);
        // 2,000 A/A runs per metric: SE of a 5% rate = 0.0049; asserted within [0.03, 0.07] (4 SE)
        int runs = 2000;
        int[] relative = new int[3];
        int[] absolute = new int[3];
        MetricType[] metrics = {MetricType.PROPORTION, MetricType.MEAN, MetricType.RATIO};
        for (int m = 0; m < metrics.length; m++) {
            for (int run = 0; run < runs; run++) {
                AnalysisResult.Comparison c = switch (metrics[m]) {
                    case PROPORTION -> compare(MetricType.PROPORTION,
                        converted(random, "control", 2000, 0.1), converted(random, "treatment", 2000, 0.1));
                    case MEAN -> compare(MetricType.MEAN, revenue(random, "control", 2000), revenue(random, "treatment", 2000));
                    case RATIO -> compare(MetricType.RATIO,
                        clicks(random, "control", 1000, 0.1), clicks(random, "treatment", 1000, 0.1));
                };
                if (c.relative().pValue() < 0.05) {
                    relative[m]++;
                }
                if (c.absolute().pValue() < 0.05) {
                    absolute[m]++;
                }
            }
        }
        for (int m = 0; m < metrics.length; m++) {
            System.out.printf("A/A fixed horizon, %s: false-positive rate %.4f (relative), %.4f (absolute) over %d runs%n",
                metrics[m].jsonName(), rate(relative[m], runs), rate(absolute[m], runs), runs);
            assertTrue(rate(relative[m], runs) >= 0.03 && rate(relative[m], runs) <= 0.07, metrics[m] + " relative");
            assertTrue(rate(absolute[m], runs) >= 0.03 && rate(absolute[m], runs) <= 0.07, metrics[m] + " absolute");
        }
    }

    // ---- peeking

    @Test
    void dailyPeekingInflatesTheFixedHorizonButNotTheSequentialView() {
        SplittableRandom random = new SplittableRandom(37);
        // A/A, conversion 10%, 200 users per arm per day for 25 days (10,000 users at the end, N* = 5000),
        // stopping at the first look with p < 0.05. 2,000 runs: the fixed-horizon rate is expected near
        // 0.25 (SE 0.010), asserted > 0.12; the sequential rate is expected near 0.02 (SE 0.003; at 0.05
        // the SE would be 0.005), asserted <= 0.05; the last look alone is nominal, asserted in
        // [0.025, 0.075] (SE 0.005)
        int runs = 2000;
        int days = 25;
        int usersPerDay = 200;
        int fixedStops = 0;
        int sequentialStops = 0;
        int fixedAtTheEnd = 0;
        int sequentialAtTheEnd = 0;
        LocalDate start = LocalDate.of(2024, 1, 1);
        for (int run = 0; run < runs; run++) {
            List<DailyTotals> totals = new ArrayList<>(days);
            long controlConverted = 0;
            long treatmentConverted = 0;
            for (int day = 1; day <= days; day++) {
                controlConverted += converted(random, "control", usersPerDay, 0.1).sum();
                treatmentConverted += converted(random, "treatment", usersPerDay, 0.1).sum();
                long users = (long) day * usersPerDay;
                totals.add(new DailyTotals(start.plusDays(day), List.of(
                    VariantData.proportion("control", 0.5, users, controlConverted),
                    VariantData.proportion("treatment", 0.5, users, treatmentConverted))));
            }
            List<DailyResult> results = ExperimentAnalysis.analyzeDaily(MetricType.PROPORTION, totals);
            assertEquals(days, results.size());
            boolean fixedStopped = false;
            boolean sequentialStopped = false;
            for (DailyResult result : results) {
                AnalysisResult.Comparison c = result.result().treatments().get(0).comparison();
                fixedStopped |= c.relative().pValue() < 0.05;
                sequentialStopped |= c.sequential().pValue() < 0.05;
            }
            AnalysisResult.Comparison last = results.get(days - 1).result().treatments().get(0).comparison();
            fixedStops += fixedStopped ? 1 : 0;
            sequentialStops += sequentialStopped ? 1 : 0;
            fixedAtTheEnd += last.relative().pValue() < 0.05 ? 1 : 0;
            sequentialAtTheEnd += last.sequential().pValue() < 0.05 ? 1 : 0;
        }
        System.out.printf("A/A with %d daily looks, stop at first p<0.05, %d runs: fixed horizon %.4f, sequential %.4f;"
                + " last look only: fixed horizon %.4f, sequential %.4f%n", days, runs, rate(fixedStops, runs),
            rate(sequentialStops, runs), rate(fixedAtTheEnd, runs), rate(sequentialAtTheEnd, runs));
        assertTrue(rate(fixedStops, runs) > 0.12, "peeking inflates the fixed horizon: " + rate(fixedStops, runs));
        assertTrue(rate(sequentialStops, runs) <= 0.05, "the sequential view holds: " + rate(sequentialStops, runs));
        assertTrue(rate(fixedAtTheEnd, runs) >= 0.025 && rate(fixedAtTheEnd, runs) <= 0.075,
            "one look is nominal: " + rate(fixedAtTheEnd, runs));
    }

    // ---- sample ratio mismatch

    @Test
    void aSkewedSplitTripsSrm() {
        AnalysisResult exact = ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.PROPORTION, List.of(
            VariantData.proportion("control", 0.5, 10_400, 1040), VariantData.proportion("treatment", 0.5, 9_600, 960))));
        assertTrue(exact.srm().mismatch(), "52/48 of 20,000 configured 50/50: p = " + exact.srm().pValue());

        SplittableRandom random = new SplittableRandom(41);
        // 20,000 users assigned 52/48: chi² ~ 32 (p ~ 1e-8); flagged (p < 0.001) with probability ~0.99,
        // asserted >= 0.95 over 200 runs (SE 0.007). Assigned 50/50: flagged with probability 0.001,
        // 0.2 expected in 200 runs, asserted <= 3 (P(>= 4) ~ 6e-5).
        int runs = 200;
        int skewedFlags = 0;
        int balancedFlags = 0;
        for (int run = 0; run < runs; run++) {
            skewedFlags += split(random, 20_000, 0.52).srm().mismatch() ? 1 : 0;
            balancedFlags += split(random, 20_000, 0.50).srm().mismatch() ? 1 : 0;
        }
        System.out.printf("SRM on 20k users configured 50/50: 52/48 split flagged in %.3f of %d runs, 50/50 split in %.3f%n",
            rate(skewedFlags, runs), runs, rate(balancedFlags, runs));
        assertTrue(rate(skewedFlags, runs) >= 0.95, "skewed split flagged " + rate(skewedFlags, runs));
        assertTrue(balancedFlags <= 3, "balanced split flagged " + balancedFlags);
    }

    private static AnalysisResult split(SplittableRandom random, int users, double controlShare) {
        int control = 0;
        for (int i = 0; i < users; i++) {
            if (random.nextDouble() < controlShare) {
                control++;
            }
        }
        return ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.PROPORTION, List.of(
            VariantData.proportion("control", 0.5, control, 0), VariantData.proportion("treatment", 0.5, users - control, 0))));
    }
}
