package dev.penchant.api.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.penchant.experiments.stats.AnalysisRequest;
import dev.penchant.experiments.stats.DailyResult;
import dev.penchant.experiments.stats.DailyTotals;
import dev.penchant.experiments.stats.ExperimentAnalysis;
import dev.penchant.experiments.stats.InvalidInputException;
import dev.penchant.experiments.stats.MetricType;
import dev.penchant.experiments.stats.StatsJson;
import dev.penchant.experiments.stats.VariantData;
import dev.penchant.training.store.Jdbc;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Singleton;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An experiment's results from tables exposures and events, fed to the statistics engine
 * (experiment-stats, GrowthBook's gbstats definitions).
 *
 * Attribution: an event counts for an exposure when it carries the exposure's recommendation_id, has
 * the exposure's user, and occurred within the attribution window after shown_at. Exposures count
 * from the experiment's latest start (a restart reassigns users) and need a user id (the user is the
 * unit; anonymous session requests cannot be analysed per user). Per user: exposures, attributed
 * clicks, whether an attributed purchase happened, the sum of attributed purchase values. Metrics:
 * ctr = clicks per exposure (ratio, delta method), conversion = users with an attributed purchase per
 * user (proportion), mean_value = attributed purchase value per user (mean).
 *
 * The aggregation is SQL: a per-user subquery grouped by variant (by day and variant for the daily
 * series), one statement each, so no exposure row crosses the wire.
 */
@Singleton
public class ExperimentResults {
    /** The daily series covers at most this many days (the latest), cumulative from the start. */
    static final int MAX_DAYS = 92;

    /** One variant's totals over its users. */
    public record Totals(String name, long users, long exposures, long clicks, long conversions, double value,
                         @com.fasterxml.jackson.annotation.JsonIgnore double clicksSquared,
                         @com.fasterxml.jackson.annotation.JsonIgnore double exposuresSquared,
                         @com.fasterxml.jackson.annotation.JsonIgnore double clicksTimesExposures,
                         @com.fasterxml.jackson.annotation.JsonIgnore double valueSquared) {
        static Totals empty(String name) {
            return new Totals(name, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
    }

    public record Day(LocalDate day, List<Totals> variants, JsonNode result) {
    }

    /** The answer of GET /v1/experiments/{key}/results. */
    public record Results(Experiment experiment, Map<String, JsonNode> metrics, List<Totals> variants, List<Day> daily) {
    }

    // per user: exposures, attributed clicks, converted, attributed purchase value
    private static final String PER_USER = """
            select %1$s x.variant_id, x.user_id,
                   count(distinct x.recommendation_id) as exposures,
                   count(e.event_id) filter (where e.type = 'click') as clicks,
                   coalesce(bool_or(e.type = 'purchase'), false) as converted,
                   coalesce(sum(e.value) filter (where e.type = 'purchase'), 0) as value
              from exp
              join exposures x on x.experiment_id = exp.id and x.shown_at >= exp.started_at
                              and x.user_id is not null and x.variant_id is not null
              %2$s
              left join events e on e.recommendation_id = x.recommendation_id and e.user_id = x.user_id
                                and e.occurred_at >= x.shown_at and e.occurred_at <= x.shown_at + exp.attribution_window
                                %3$s
             group by %1$s x.variant_id, x.user_id""";

    private static final String SUMS = """
            count(*), sum(exposures), sum(clicks), count(*) filter (where converted), sum(value),
            sum(clicks * clicks), sum(exposures * exposures), sum(clicks * exposures), sum(value * value)""";

    static final String TOTALS = "with exp as (select id, started_at, attribution_window from experiments where id = ?)\n"
            + "select variant_id, " + SUMS + " from (" + PER_USER.formatted("", "", "") + ") u group by variant_id";

    // cumulative to the end of each UTC day: exposures shown and events that occurred before it
    static final String DAILY = """
            with exp as (select id, started_at, attribution_window,
                                least(coalesce(stopped_at, now()), now()) as ended_at from experiments where id = ?),
            days as (select d::date as day, (d + interval '1 day') at time zone 'UTC' as day_end
                       from exp, generate_series(
                                greatest((started_at at time zone 'UTC')::date, (ended_at at time zone 'UTC')::date - ?)::timestamp,
                                (ended_at at time zone 'UTC')::date::timestamp, interval '1 day') as d)
            select day, variant_id,\s""" + SUMS + " from ("
            + PER_USER.formatted("d.day,", "join days d on x.shown_at < d.day_end", "and e.occurred_at < d.day_end")
            + ") u group by day, variant_id order by day";

    private final AgroalDataSource db;

    public ExperimentResults(AgroalDataSource db) {
        this.db = db;
    }

    public Results of(Experiment e) {
        List<Totals> totals = inOrder(e, Jdbc.query(db, TOTALS, ps -> ps.setLong(1, e.id()), ExperimentResults::readTotals));
        Map<String, JsonNode> metrics = new LinkedHashMap<>();
        List<String> wanted = new ArrayList<>();
        wanted.add(e.primaryMetric());
        for (String g : e.guardrails()) if (!wanted.contains(g)) wanted.add(g);
        for (String m : wanted) metrics.put(m, analyze(m, e, totals));
        return new Results(e, metrics, totals, daily(e));
    }

    private List<Day> daily(Experiment e) {
        if (e.startedAt() == null) return List.of();
        Map<LocalDate, Map<Long, Totals>> byDay = Jdbc.query(db, DAILY, ps -> {
            ps.setLong(1, e.id());
            ps.setInt(2, MAX_DAYS - 1);
        }, rs -> {
            Map<LocalDate, Map<Long, Totals>> out = new TreeMap<>();
            while (rs.next()) {
                LocalDate day = rs.getDate(1).toLocalDate();
                out.computeIfAbsent(day, k -> new HashMap<>()).put(rs.getLong(2), totals(rs, 3, null));
            }
            return out;
        });
        MetricType type = type(e.primaryMetric());
        List<DailyTotals> input = new ArrayList<>();
        List<List<Totals>> rows = new ArrayList<>();
        for (var d : byDay.entrySet()) {
            List<Totals> t = inOrder(e, d.getValue());
            rows.add(t);
            input.add(new DailyTotals(d.getKey(), data(type, e, t)));
        }
        List<Day> out = new ArrayList<>();
        try {
            List<DailyResult> results = ExperimentAnalysis.analyzeDaily(type, input);
            for (int i = 0; i < results.size(); i++) {
                out.add(new Day(results.get(i).day(), rows.get(i), StatsJson.write(results.get(i).result())));
            }
        } catch (InvalidInputException ex) {
            for (int i = 0; i < input.size(); i++) out.add(new Day(input.get(i).day(), rows.get(i), error(ex)));
        }
        return out;
    }

    private static JsonNode analyze(String metric, Experiment e, List<Totals> totals) {
        MetricType type = type(metric);
        try {
            return StatsJson.write(ExperimentAnalysis.analyze(new AnalysisRequest(type, data(type, e, totals))));
        } catch (InvalidInputException ex) {
            return error(ex);
        }
    }

    /** The engine's input for a metric: control first, the configured weights for the SRM check. */
    static List<VariantData> data(MetricType type, Experiment e, List<Totals> totals) {
        List<VariantData> out = new ArrayList<>();
        for (int i = 0; i < totals.size(); i++) {
            Totals t = totals.get(i);
            double w = e.variants().get(i).weight();
            out.add(switch (type) {
                case RATIO -> VariantData.ratio(t.name(), w, t.users(), t.clicks(), t.clicksSquared(), t.exposures(),
                        t.exposuresSquared(), t.clicksTimesExposures());
                case PROPORTION -> VariantData.proportion(t.name(), w, t.users(), t.conversions());
                case MEAN -> VariantData.mean(t.name(), w, t.users(), t.value(), t.valueSquared());
            });
        }
        return out;
    }

    static MetricType type(String metric) {
        return switch (metric) {
            case "ctr" -> MetricType.RATIO;
            case "conversion" -> MetricType.PROPORTION;
            case "mean_value" -> MetricType.MEAN;
            default -> throw new IllegalArgumentException("unknown metric " + metric);
        };
    }

    private static JsonNode error(InvalidInputException ex) {
        return JsonNodeFactory.instance.objectNode().put("error", ex.getMessage());
    }

    private static List<Totals> inOrder(Experiment e, Map<Long, Totals> byVariant) {
        List<Totals> out = new ArrayList<>();
        for (Experiment.Variant v : e.variants()) {
            Totals t = byVariant.get(v.id());
            out.add(t == null ? Totals.empty(v.name()) : new Totals(v.name(), t.users(), t.exposures(), t.clicks(),
                    t.conversions(), t.value(), t.clicksSquared(), t.exposuresSquared(), t.clicksTimesExposures(), t.valueSquared()));
        }
        return out;
    }

    private static Map<Long, Totals> readTotals(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<Long, Totals> out = new HashMap<>();
        while (rs.next()) out.put(rs.getLong(1), totals(rs, 2, null));
        return out;
    }

    private static Totals totals(java.sql.ResultSet rs, int from, String name) throws java.sql.SQLException {
        return new Totals(name, rs.getLong(from), rs.getLong(from + 1), rs.getLong(from + 2), rs.getLong(from + 3),
                rs.getDouble(from + 4), rs.getDouble(from + 5), rs.getDouble(from + 6), rs.getDouble(from + 7),
                rs.getDouble(from + 8));
    }
}
