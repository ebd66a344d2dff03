package dev.penchant.experiments.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * The A/B statistics engine: GrowthBook's gbstats definitions over per-variant aggregates.
 *
 * <pre>{@code
 * AnalysisResult result = ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.PROPORTION, List.of(
 *     VariantData.proportion("control", 0.5, 10_000, 1_000),
 *     VariantData.proportion("treatment", 0.5, 10_000, 1_100))));
 * result.treatments().get(0).comparison().relative().pValue();
 * }</pre>
 *
 * Each treatment is compared with the control (the first variant): the relative and absolute lift
 * with a Welch t-test, the confidence sequence and a flat-prior normal posterior on the relative
 * lift, and one SRM check over all variants. Undefined figures are null with a reason.
 */
public final class ExperimentAnalysis {

    /** SRM is flagged below this p-value (GrowthBook's default). */
    public static final double SRM_THRESHOLD = 0.001;

    private ExperimentAnalysis() {
    }

    public static AnalysisResult analyze(AnalysisRequest request) {
        List<VariantData> variants = request.variants();
        ArmStatistic control = ArmStatistic.of(request.metric(), variants.get(0));
        List<AnalysisResult.Variant> results = new ArrayList<>(variants.size());
        results.add(variant(variants.get(0), control, null));
        for (VariantData variant : variants.subList(1, variants.size())) {
            ArmStatistic treatment = ArmStatistic.of(request.metric(), variant);
            results.add(variant(variant, treatment, compare(control, treatment, request)));
        }
        return new AnalysisResult(SampleRatioCheck.of(variants, SRM_THRESHOLD), results);
    }

    /**
     * The analysis as it stood at the end of each day, for charts of the sequential view over time.
     * Each day carries the cumulative totals since the start of the experiment; days must be in
     * order, with the same variants in the same order, and users (and a proportion's conversions)
     * must not decrease. Bad input names the field under {@code days[i].}.
     */
    public static List<DailyResult> analyzeDaily(MetricType metric, double alpha, double sequentialTuning,
                                                 List<DailyTotals> days) {
        if (days == null) {
            throw new InvalidInputException("days", "is required");
        }
        List<DailyResult> results = new ArrayList<>(days.size());
        DailyTotals previous = null;
        for (int d = 0; d < days.size(); d++) {
            String prefix = "days[" + d + "].";
            DailyTotals day = days.get(d);
            if (day == null) {
                throw new InvalidInputException("days[" + d + "]", "is required");
            }
            AnalysisRequest request;
            try {
                request = new AnalysisRequest(metric, alpha, sequentialTuning, day.variants());
            } catch (InvalidInputException e) {
                throw e.under(prefix);
            }
            if (day.day() == null) {
                throw new InvalidInputException(prefix + "day", "is required");
            }
            if (previous != null) {
                checkFollows(metric, previous, day, d);
            }
            results.add(new DailyResult(day.day(), analyze(request)));
            previous = day;
        }
        return results;
    }

    /** {@link #analyzeDaily(MetricType, double, double, List)} with the default alpha and N*. */
    public static List<DailyResult> analyzeDaily(MetricType metric, List<DailyTotals> days) {
        return analyzeDaily(metric, AnalysisRequest.DEFAULT_ALPHA, AnalysisRequest.DEFAULT_SEQUENTIAL_TUNING, days);
    }

    private static void checkFollows(MetricType metric, DailyTotals previous, DailyTotals day, int d) {
        String prefix = "days[" + d + "].";
        if (!day.day().isAfter(previous.day())) {
            throw new InvalidInputException(prefix + "day", "must be after days[" + (d - 1) + "].day (" + previous.day() + ")");
        }
        if (day.variants().size() != previous.variants().size()) {
            throw new InvalidInputException(prefix + "variants",
                "must list the same variants every day (" + previous.variants().size() + " on days[" + (d - 1) + "])");
        }
        for (int i = 0; i < day.variants().size(); i++) {
            String field = prefix + "variants[" + i + "].";
            VariantData before = previous.variants().get(i);
            VariantData now = day.variants().get(i);
            if (!now.name().equals(before.name())) {
                throw new InvalidInputException(field + "name",
                    "must be \"" + before.name() + "\" as on days[" + (d - 1) + "] (the same variants in the same order)");
            }
            if (now.users() < before.users()) {
                throw new InvalidInputException(field + "users",
                    "cumulative totals cannot decrease (" + before.users() + " on days[" + (d - 1) + "])");
            }
            if (metric == MetricType.PROPORTION && now.sum() < before.sum()) {
                throw new InvalidInputException(field + "sum",
                    "cumulative conversions cannot decrease (" + (long) before.sum() + " on days[" + (d - 1) + "])");
            }
        }
    }

    private static AnalysisResult.Variant variant(VariantData data, ArmStatistic stat, AnalysisResult.Comparison comparison) {
        return new AnalysisResult.Variant(data.name(), data.users(), stat.mean(), stat.meanReason(), comparison);
    }

    static AnalysisResult.Comparison compare(ArmStatistic control, ArmStatistic treatment, AnalysisRequest request) {
        if (control.mean() == null || treatment.mean() == null) {
            String reason = control.mean() == null ? "control: " + control.meanReason() : "treatment: " + treatment.meanReason();
            return new AnalysisResult.Comparison(undefinedLift(null, reason), undefinedLift(null, reason),
                undefinedSequential(reason), undefinedBayesian(reason));
        }
        double mC = control.mean();
        double mT = treatment.mean();
        String spreadReason = control.variance() == null ? "control: " + control.varianceReason()
            : treatment.variance() == null ? "treatment: " + treatment.varianceReason() : null;
        double alpha = request.alpha();
        double df = spreadReason == null ? WelchTest.degreesOfFreedom(control, treatment) : Double.NaN;

        Double absoluteLift = Finite.orNull(mT - mC);
        AnalysisResult.Lift absolute;
        if (absoluteLift == null || spreadReason != null) {
            absolute = undefinedLift(absoluteLift, absoluteLift == null ? Finite.OVERFLOW : spreadReason);
        } else {
            double variance = control.variance() / control.users() + treatment.variance() / treatment.users();
            absolute = WelchTest.lift(absoluteLift, Math.sqrt(variance), df, alpha);
        }

        Double relativeLift = mC == 0 ? null : Finite.orNull((mT - mC) / Math.abs(mC));
        String relativeReason = mC == 0 ? "control mean is zero" : relativeLift == null ? Finite.OVERFLOW : spreadReason;
        if (relativeReason != null) {
            return new AnalysisResult.Comparison(undefinedLift(relativeLift, relativeReason), absolute,
                undefinedSequential(relativeReason), undefinedBayesian(relativeReason));
        }
        // delta method for (mT - mC)/|mC|: vT/(nT mC²) + vC mT²/(nC mC⁴)
        double relativeVariance = treatment.variance() / (treatment.users() * mC * mC)
            + control.variance() * mT * mT / (control.users() * Math.pow(mC, 4));
        if (!Double.isFinite(relativeVariance) || relativeVariance <= 0) {
            return new AnalysisResult.Comparison(undefinedLift(relativeLift, Finite.OVERFLOW), absolute,
                undefinedSequential(Finite.OVERFLOW), undefinedBayesian(Finite.OVERFLOW));
        }
        double relativeSe = Math.sqrt(relativeVariance);
        return new AnalysisResult.Comparison(
            WelchTest.lift(relativeLift, relativeSe, df, alpha),
            absolute,
            ConfidenceSequence.of(relativeLift, relativeVariance, control.users() + treatment.users(), alpha,
                request.sequentialTuning()),
            NormalPosterior.of(relativeLift, relativeSe, alpha));
    }

    private static AnalysisResult.Lift undefinedLift(Double lift, String reason) {
        return new AnalysisResult.Lift(lift, null, null, null, reason);
    }

    private static AnalysisResult.Sequential undefinedSequential(String reason) {
        return new AnalysisResult.Sequential(null, null, null, reason);
    }

    private static AnalysisResult.Bayesian undefinedBayesian(String reason) {
        return new AnalysisResult.Bayesian(null, null, null, null, null, reason);
    }
}
