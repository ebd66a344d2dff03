package dev.penchant.api.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.penchant.support.problem.Problem.FieldError;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.problem.ProblemMappers;
import dev.penchant.training.registry.ModelRegistry;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The body of POST and PUT /v1/experiments, checked field by field: every problem is collected and
 * answered at once as a 400 naming its field ("variants[1].weight"). Whether a variant's model exists
 * needs the database and is checked by {@link ExperimentService}.
 */
public record ExperimentSpec(String key, String hypothesis, String surface, List<Variant> variants,
                             Map<String, Object> audience, String primaryMetric, List<String> guardrails,
                             Duration attributionWindow) {

    /** One arm: exactly one of modelId and baseline; the first variant is the control. */
    public record Variant(String name, Long modelId, String baseline, double weight) {
    }

    public static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final Pattern VARIANT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final List<String> METRICS = List.of("ctr", "conversion", "mean_value");
    public static final List<String> BASELINES = List.of("popularity", "transition", "seqknn", "current");
    public static final List<String> AUDIENCES = List.of("all", "new_users", "percentage");
    public static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
    public static final Duration MIN_WINDOW = Duration.ofMinutes(1);
    public static final Duration MAX_WINDOW = Duration.ofDays(30);
    static final int MAX_VARIANTS = 10;
    static final int MAX_HYPOTHESIS = 2000;
    /** Weights are doubles typed by people: 0.1 + 0.2 + 0.7 must pass. */
    static final double WEIGHT_TOLERANCE = 1e-9;

    private static final Set<String> FIELDS = Set.of("key", "hypothesis", "surface", "variants", "audience",
            "primaryMetric", "guardrails", "attributionWindow");
    private static final Set<String> VARIANT_FIELDS = Set.of("name", "modelId", "baseline", "weight");

    /**
     * Reads and checks a body; {@code pathKey} is the key of PUT's path (the body's key may then be
     * absent, or must equal it). Throws a 400 listing every bad field.
     */
    public static ExperimentSpec parse(JsonNode body, String pathKey) {
        if (body == null || body.isNull()) throw ProblemException.badRequest("A JSON body is required", null);
        if (!body.isObject()) throw ProblemException.badRequest("The body must be a JSON object", null);
        List<FieldError> errors = new ArrayList<>();
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) errors.add(FieldError.of(f, "unknown field; known: " + new java.util.TreeSet<>(FIELDS)));
        }
        String key = text(body, "key", 64, errors);
        if (pathKey != null) {
            if (key != null && !key.equals(pathKey)) errors.add(FieldError.of("key", "must be the key of the path (" + pathKey + ") or absent"));
            key = pathKey;
        } else if (key == null && !body.hasNonNull("key")) {
            errors.add(FieldError.of("key", "required"));
        }
        if (key != null && !KEY.matcher(key).matches()) {
            errors.add(FieldError.of("key", "1 to 64 characters: lower-case letters, digits, '_', '-', starting with a letter or digit"));
        }
        String hypothesis = text(body, "hypothesis", MAX_HYPOTHESIS, errors);
        String surface = oneOf(body, "surface", ModelRegistry.SURFACES, true, errors);
        List<Variant> variants = variants(body.get("variants"), errors);
        Map<String, Object> audience = audience(body.get("audience"), errors);
        String metric = oneOf(body, "primaryMetric", METRICS, true, errors);
        List<String> guardrails = guardrails(body.get("guardrails"), errors);
        Duration window = window(body.get("attributionWindow"), errors);
        if (!errors.isEmpty()) {
            throw ProblemException.badRequest("Invalid experiment: " + errors.size() + " invalid field(s)", errors);
        }
        return new ExperimentSpec(key, hypothesis == null ? "" : hypothesis, surface, variants, audience, metric,
                guardrails, window);
    }

    /** The variants' weights, in order (what a restart compares). */
    public List<Double> weights() {
        return variants.stream().map(Variant::weight).toList();
    }

    private static List<Variant> variants(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            errors.add(FieldError.of("variants", "required: 2 to " + MAX_VARIANTS + " variants, the control first"));
            return List.of();
        }
        if (!node.isArray()) {
            errors.add(FieldError.of("variants", "must be an array of variants, the control first"));
            return List.of();
        }
        if (node.size() < 2 || node.size() > MAX_VARIANTS) {
            errors.add(FieldError.of("variants", "needs 2 to " + MAX_VARIANTS + " variants (the first is the control)"));
        }
        List<Variant> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        double total = 0;
        boolean weightsOk = true;
        for (int i = 0; i < node.size(); i++) {
            String p = "variants[" + i + "]";
            JsonNode v = node.get(i);
            if (!v.isObject()) {
                errors.add(FieldError.of(p, "must be an object {name, modelId | baseline, weight}"));
                weightsOk = false;
                continue;
            }
            for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!VARIANT_FIELDS.contains(f)) errors.add(FieldError.of(p + "." + f, "unknown field; known: " + new java.util.TreeSet<>(VARIANT_FIELDS)));
            }
            String name = null;
            JsonNode n = v.get("name");
            if (n == null || n.isNull()) errors.add(FieldError.of(p + ".name", "required"));
            else if (!n.isTextual() || !VARIANT_NAME.matcher(n.asText()).matches()) {
                errors.add(FieldError.of(p + ".name", "1 to 64 characters: letters, digits, '.', '_', '-', starting with a letter or digit"));
            } else if (!names.add(n.asText())) {
                errors.add(FieldError.of(p + ".name", "must be unique (\"" + n.asText() + "\" appears twice)"));
            } else {
                name = n.asText();
            }
            JsonNode m = v.get("modelId"), b = v.get("baseline");
            boolean hasModel = m != null && !m.isNull(), hasBaseline = b != null && !b.isNull();
            Long modelId = null;
            String baseline = null;
            if (hasModel == hasBaseline) {
                errors.add(FieldError.of(p + ".modelId", "exactly one of modelId and baseline is required"));
            } else if (hasModel) {
                if (!m.canConvertToExactIntegral() || !m.canConvertToLong() || m.asLong() < 1) {
                    errors.add(FieldError.of(p + ".modelId", "must be a model id (a positive integer)"));
                } else {
                    modelId = m.asLong();
                }
            } else if (!b.isTextual() || !BASELINES.contains(b.asText())) {
                errors.add(FieldError.of(p + ".baseline", "must be one of " + BASELINES));
            } else {
                baseline = b.asText();
            }
            JsonNode w = v.get("weight");
            double weight = 0;
            if (w == null || w.isNull()) {
                errors.add(FieldError.of(p + ".weight", "required: the share of traffic, 0 to 1"));
                weightsOk = false;
            } else if (!w.isNumber() || !(w.asDouble() >= 0 && w.asDouble() <= 1)) {
                errors.add(FieldError.of(p + ".weight", "must be a number from 0 to 1"));
                weightsOk = false;
            } else {
                weight = w.asDouble();
                total += weight;
            }
            out.add(new Variant(name, modelId, baseline, weight));
        }
        if (weightsOk && !out.isEmpty() && Math.abs(total - 1) > WEIGHT_TOLERANCE) {
            errors.add(FieldError.of("variants", "the weights must sum to 1 (they sum to " + total + ")"));
        }
        return out;
    }

    private static Map<String, Object> audience(JsonNode node, List<FieldError> errors) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            out.put("kind", "all");
            return out;
        }
        if (!node.isObject()) {
            errors.add(FieldError.of("audience", "must be {\"kind\":\"all\"}, {\"kind\":\"new_users\"} or {\"kind\":\"percentage\",\"percentage\":0..100}"));
            return out;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("kind") && !f.equals("percentage")) errors.add(FieldError.of("audience." + f, "unknown field; known: kind, percentage"));
        }
        JsonNode kind = node.get("kind");
        if (kind == null || !kind.isTextual() || !AUDIENCES.contains(kind.asText())) {
            errors.add(FieldError.of("audience.kind", "must be one of " + AUDIENCES));
            return out;
        }
        out.put("kind", kind.asText());
        JsonNode pct = node.get("percentage");
        if (kind.asText().equals("percentage")) {
            if (pct == null || !pct.isNumber() || !(pct.asDouble() >= 0 && pct.asDouble() <= 100)) {
                errors.add(FieldError.of("audience.percentage", "required for kind percentage: a number from 0 to 100"));
            } else {
                out.put("percentage", pct.isIntegralNumber() ? (Object) pct.asLong() : pct.asDouble());
            }
        } else if (pct != null && !pct.isNull()) {
            errors.add(FieldError.of("audience.percentage", "only for kind percentage"));
        }
        return out;
    }

    private static List<String> guardrails(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) {
            errors.add(FieldError.of("guardrails", "must be an array of metrics " + METRICS));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode g = node.get(i);
            if (!g.isTextual() || !METRICS.contains(g.asText())) errors.add(FieldError.of("guardrails[" + i + "]", "must be one of " + METRICS));
            else if (out.contains(g.asText())) errors.add(FieldError.of("guardrails[" + i + "]", "listed twice"));
            else out.add(g.asText());
        }
        return out;
    }

    private static Duration window(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) return DEFAULT_WINDOW;
        String bounds = "an ISO-8601 duration from " + MIN_WINDOW + " to " + MAX_WINDOW.toHours() + " hours (P30D), e.g. PT24H";
        if (!node.isTextual()) {
            errors.add(FieldError.of("attributionWindow", "must be " + bounds));
            return null;
        }
        try {
            Duration d = Duration.parse(node.asText());
            if (d.compareTo(MIN_WINDOW) < 0 || d.compareTo(MAX_WINDOW) > 0) {
                errors.add(FieldError.of("attributionWindow", "must be " + bounds));
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of("attributionWindow", "must be " + bounds));
            return null;
        }
    }

    private static String text(JsonNode body, String field, int max, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return null;
        if (!n.isTextual()) {
            errors.add(FieldError.of(field, "must be a string"));
            return null;
        }
        String s = n.asText();
        if (s.length() > max) {
            errors.add(FieldError.of(field, "at most " + max + " characters"));
            return null;
        }
        if (s.indexOf('\u0000') >= 0) {
            errors.add(FieldError.of(field, ProblemMappers.NUL_MESSAGE));
            return null;
        }
        return s;
    }

    private static String oneOf(JsonNode body, String field, List<String> allowed, boolean required, List<FieldError> errors) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (required) errors.add(FieldError.of(field, "required: one of " + allowed));
            return null;
        }
        if (!n.isTextual() || !allowed.contains(n.asText())) {
            errors.add(FieldError.of(field, "must be one of " + allowed));
            return null;
        }
        return n.asText();
    }
}
