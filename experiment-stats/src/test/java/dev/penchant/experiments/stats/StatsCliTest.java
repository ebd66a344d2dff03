package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./penchant stats}: JSON in, JSON out; bad input names the field and exits 2. */
class StatsCliTest {

    static final String EXAMPLE = """
        {"metric": "mean", "alpha": 0.05, "sequentialTuning": 5000,
         "variants": [{"name": "control", "weight": 0.5, "users": 1000, "sum": 812.0, "sumSquares": 2950.5},
                      {"name": "treatment", "weight": 0.5, "users": 1010, "sum": 901.0, "sumSquares": 3302.0}]}
        """;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = StatsCli.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theExampleGivesTheDocumentedShape() throws Exception {
        Run run = run(EXAMPLE);
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
        JsonNode out = new ObjectMapper().readTree(run.out());
        assertEquals(List.of("srm", "variants"), fields(out));
        assertEquals(List.of("pValue", "mismatch"), fields(out.get("srm")));
        assertFalse(out.get("srm").get("mismatch").asBoolean());

        JsonNode control = out.get("variants").get(0);
        assertEquals(List.of("name", "users", "mean"), fields(control));
        assertEquals("control", control.get("name").asText());
        assertEquals(1000, control.get("users").asLong());
        assertEquals(0.812, control.get("mean").asDouble(), 1e-15);

        JsonNode treatment = out.get("variants").get(1);
        assertEquals(List.of("name", "users", "mean", "relative", "absolute", "sequential", "bayesian"), fields(treatment));
        assertEquals(List.of("lift", "ciLower", "ciUpper", "pValue"), fields(treatment.get("relative")));
        assertEquals(List.of("lift", "ciLower", "ciUpper", "pValue"), fields(treatment.get("absolute")));
        assertEquals(List.of("ciLower", "ciUpper", "pValue"), fields(treatment.get("sequential")));
        assertEquals(List.of("chanceToWin", "ciLower", "ciUpper", "riskControl", "riskTreatment"),
            fields(treatment.get("bayesian")));
        for (String group : List.of("relative", "absolute", "sequential", "bayesian")) {
            treatment.get(group).forEach(value -> assertTrue(value.isDouble(), group + " " + value));
        }
        // the same figures as the engine's own (checked against scipy in ReferenceAnalysisTest)
        AnalysisResult engine = ExperimentAnalysis.analyze(StatsJson.readRequest(new ObjectMapper().readTree(EXAMPLE)));
        assertEquals(engine.treatments().get(0).comparison().relative().pValue(),
            treatment.get("relative").get("pValue").asDouble());
    }

    @Test
    void undefinedFiguresAreNullWithAReason() throws Exception {
        Run run = run("""
            {"metric": "proportion", "variants": [{"name": "control", "weight": 1, "users": 300, "sum": 0},
                                                  {"name": "treatment", "weight": 1, "users": 0, "sum": 0}]}""");
        assertEquals(0, run.status(), run.err());
        JsonNode treatment = new ObjectMapper().readTree(run.out()).get("variants").get(1);
        assertTrue(treatment.get("mean").isNull());
        assertEquals("no users", treatment.get("reason").asText());
        assertTrue(treatment.get("relative").get("lift").isNull());
        assertEquals("treatment: no users", treatment.get("relative").get("reason").asText());
        assertEquals("treatment: no users", treatment.get("bayesian").get("reason").asText());
        assertFalse(run.out().contains("NaN"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        {"variants": []}                                               | metric: is required (mean, proportion or ratio)
        {"metric": "median", "variants": []}                           | metric: must be mean, proportion or ratio (was "median")
        {"metric": 3, "variants": []}                                  | metric: must be a string: mean, proportion or ratio
        {"metric": "mean", "alpha": "0.05", "variants": []}            | alpha: must be a number
        {"metric": "mean", "alpha": 1.5, "variants": [{"name":"c","weight":1,"users":1,"sum":1,"sumSquares":1},{"name":"t","weight":1,"users":1,"sum":1,"sumSquares":1}]} | alpha: must be between 0 and 1 (exclusive)
        {"metric": "mean", "variants": {}}                             | variants: must be an array of variants, the control first
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":1,"sum":1,"sumSquares":1}]} | variants: needs at least 2 variants (the first is the control)
        {"metric": "mean", "varaints": []}                             | varaints: unknown field
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","weight":1,"users":-3,"sum":0,"sumSquares":0}]} | variants[1].users: must be >= 0
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","weight":1,"users":"10","sum":0,"sumSquares":0}]} | variants[1].users: must be a whole number
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","weight":1,"users":10.5,"sum":0,"sumSquares":0}]} | variants[1].users: must be a whole number
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","weight":1,"users":10,"sum":1}]} | variants[1].sumSquares: is required for a mean metric
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"weight":1,"users":10,"sum":1,"sumSquares":1}]} | variants[1].name: is required
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","users":10,"sum":1,"sumSquares":1}]} | variants[1].weight: is required
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","weight":1,"users":10,"sum":1,"sumSquares":1,"colour":"red"}]} | variants[1].colour: unknown field
        {"metric": "mean", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, 7]} | variants[1]: must be an object
        {"metric": "proportion", "variants": [{"name":"c","weight":1,"users":10,"sum":1}, {"name":"t","weight":1,"users":10,"sum":11}]} | variants[1].sum: must be the whole number of users converted, between 0 and users (10)
        {"metric": "ratio", "variants": [{"name":"c","weight":1,"users":10,"sum":1,"sumSquares":1}, {"name":"t","weight":1,"users":10,"sum":1,"sumSquares":1}]} | variants[0].denominatorSum: is required for a ratio metric
        [1, 2]                                                         | input: must be a JSON object
        """)
    void badInputNamesTheFieldAndExits2(String input, String message) {
        Run run = run(input);
        assertEquals(2, run.status());
        assertEquals("", run.out());
        assertEquals("stats: " + message + System.lineSeparator(), run.err());
    }

    @Test
    void malformedOrMissingJsonExits2() {
        Run broken = run("{\"metric\": ");
        assertEquals(2, broken.status());
        assertTrue(broken.err().startsWith("stats: input is not valid JSON: "), broken.err());
        assertEquals(1, broken.err().lines().count(), "one line, no stack trace");

        Run trailing = run(EXAMPLE + " {}");
        assertEquals(2, trailing.status());
        assertTrue(trailing.err().startsWith("stats: input is not valid JSON: "), trailing.err());

        Run empty = run("");
        assertEquals(2, empty.status());
        assertEquals("stats: input: expected one JSON document on stdin" + System.lineSeparator(), empty.err());
    }
}
