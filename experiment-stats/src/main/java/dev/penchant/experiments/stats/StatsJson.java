package dev.penchant.experiments.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The JSON form of {@link AnalysisRequest} and {@link AnalysisResult} used by {@link StatsCli} (and by
 * platform-api's experiment results, so they print what `./penchant stats` prints).
 * Reading is strict: wrong types, unknown fields and missing required fields are refused with the
 * field's path, so a typo never silently becomes a default.
 */
public final class StatsJson {

    private static final Set<String> REQUEST_FIELDS = Set.of("metric", "alpha", "sequentialTuning", "variants");
    private static final Set<String> VARIANT_FIELDS = Set.of("name", "weight", "users", "sum", "sumSquares",
        "denominatorSum", "denominatorSumSquares", "sumProduct");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StatsJson() {
    }

    static AnalysisRequest readRequest(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new InvalidInputException("input", "must be a JSON object");
        }
        rejectUnknown(root, REQUEST_FIELDS, "");
        JsonNode metricNode = root.get("metric");
        if (metricNode == null || metricNode.isNull()) {
            throw new InvalidInputException("metric", "is required (mean, proportion or ratio)");
        }
        if (!metricNode.isTextual()) {
            throw new InvalidInputException("metric", "must be a string: mean, proportion or ratio");
        }
        MetricType metric = MetricType.fromJsonName(metricNode.asText()).orElseThrow(() ->
            new InvalidInputException("metric", "must be mean, proportion or ratio (was \"" + metricNode.asText() + "\")"));
        double alpha = optionalNumber(root, "alpha", AnalysisRequest.DEFAULT_ALPHA);
        double tuning = optionalNumber(root, "sequentialTuning", AnalysisRequest.DEFAULT_SEQUENTIAL_TUNING);
        JsonNode variantsNode = root.get("variants");
        if (variantsNode == null || variantsNode.isNull()) {
            throw new InvalidInputException("variants", "is required");
        }
        if (!variantsNode.isArray()) {
            throw new InvalidInputException("variants", "must be an array of variants, the control first");
        }
        List<VariantData> variants = new ArrayList<>();
        for (int i = 0; i < variantsNode.size(); i++) {
            variants.add(readVariant(variantsNode.get(i), "variants[" + i + "]"));
        }
        return new AnalysisRequest(metric, alpha, tuning, variants);
    }

    private static VariantData readVariant(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new InvalidInputException(path, "must be an object");
        }
        String prefix = path + ".";
        rejectUnknown(node, VARIANT_FIELDS, prefix);
        JsonNode name = node.get("name");
        if (name == null || name.isNull()) {
            throw new InvalidInputException(prefix + "name", "is required");
        }
        if (!name.isTextual()) {
            throw new InvalidInputException(prefix + "name", "must be a string");
        }
        return new VariantData(name.asText(),
            requiredNumber(node, "weight", prefix),
            requiredWholeNumber(node, "users", prefix),
            requiredNumber(node, "sum", prefix),
            nullableNumber(node, "sumSquares", prefix),
            nullableNumber(node, "denominatorSum", prefix),
            nullableNumber(node, "denominatorSumSquares", prefix),
            nullableNumber(node, "sumProduct", prefix));
    }

    private static void rejectUnknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new InvalidInputException(prefix + name, "unknown field");
            }
        }
    }

    private static double optionalNumber(JsonNode node, String name, double fallback) {
        Double value = nullableNumber(node, name, "");
        return value == null ? fallback : value;
    }

    private static double requiredNumber(JsonNode node, String name, String prefix) {
        Double value = nullableNumber(node, name, prefix);
        if (value == null) {
            throw new InvalidInputException(prefix + name, "is required");
        }
        return value;
    }

    private static Double nullableNumber(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new InvalidInputException(prefix + name, "must be a number");
        }
        return value.doubleValue();
    }

    private static long requiredWholeNumber(JsonNode node, String name, String prefix) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new InvalidInputException(prefix + name, "is required");
        }
        if (!value.isNumber()) {
            throw new InvalidInputException(prefix + name, "must be a whole number");
        }
        BigDecimal decimal = value.decimalValue();
        if (decimal.stripTrailingZeros().scale() > 0) {
            throw new InvalidInputException(prefix + name, "must be a whole number");
        }
        try {
            return decimal.longValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidInputException(prefix + name, "must be a whole number within ±" + Long.MAX_VALUE);
        }
    }

    public static ObjectNode write(AnalysisResult result) {
        ObjectNode root = NODES.objectNode();
        ObjectNode srm = root.putObject("srm");
        srm.put("pValue", result.srm().pValue());
        srm.put("mismatch", result.srm().mismatch());
        reason(srm, result.srm().reason());
        var variants = root.putArray("variants");
        for (AnalysisResult.Variant variant : result.variants()) {
            ObjectNode node = variants.addObject();
            node.put("name", variant.name());
            node.put("users", variant.users());
            node.put("mean", variant.mean());
            reason(node, variant.reason());
            AnalysisResult.Comparison comparison = variant.comparison();
            if (comparison != null) {
                lift(node.putObject("relative"), comparison.relative());
                lift(node.putObject("absolute"), comparison.absolute());
                ObjectNode sequential = node.putObject("sequential");
                sequential.put("ciLower", comparison.sequential().ciLower());
                sequential.put("ciUpper", comparison.sequential().ciUpper());
                sequential.put("pValue", comparison.sequential().pValue());
                reason(sequential, comparison.sequential().reason());
                ObjectNode bayesian = node.putObject("bayesian");
                AnalysisResult.Bayesian b = comparison.bayesian();
                bayesian.put("chanceToWin", b.chanceToWin());
                bayesian.put("ciLower", b.ciLower());
                bayesian.put("ciUpper", b.ciUpper());
                bayesian.put("riskControl", b.riskControl());
                bayesian.put("riskTreatment", b.riskTreatment());
                reason(bayesian, b.reason());
            }
        }
        return root;
    }

    private static void lift(ObjectNode node, AnalysisResult.Lift lift) {
        node.put("lift", lift.lift());
        node.put("ciLower", lift.ciLower());
        node.put("ciUpper", lift.ciUpper());
        node.put("pValue", lift.pValue());
        reason(node, lift.reason());
    }

    private static void reason(ObjectNode node, String reason) {
        if (reason != null) {
            node.put("reason", reason);
        }
    }
}
