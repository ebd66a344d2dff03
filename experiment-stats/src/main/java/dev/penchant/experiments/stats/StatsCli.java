package dev.penchant.experiments.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * {@code ./penchant stats}: one analysis request as JSON on stdin, its result as JSON on stdout.
 * Bad input gives one line on stderr naming the field ({@code stats: variants[1].users: must be >= 0})
 * and exit status 2. The format is described in the module's README.
 */
public final class StatsCli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    private static final ObjectMapper JSON = new ObjectMapper()
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(SerializationFeature.INDENT_OUTPUT);

    private StatsCli() {
    }

    public static void main(String[] args) {
        System.exit(run(System.in, System.out, System.err));
    }

    /** Reads one request from {@code in}, writes the result to {@code out}; returns the exit status. */
    public static int run(InputStream in, PrintStream out, PrintStream err) {
        JsonNode input;
        try {
            input = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            err.println("stats: input is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("stats: cannot read the input: " + e.getMessage());
            return FAILED;
        }
        if (input == null || input.isMissingNode()) {
            err.println("stats: input: expected one JSON document on stdin");
            return BAD_INPUT;
        }
        AnalysisResult result;
        try {
            result = ExperimentAnalysis.analyze(StatsJson.readRequest(input));
        } catch (InvalidInputException e) {
            err.println("stats: " + e.getMessage());
            return BAD_INPUT;
        }
        try {
            out.println(JSON.writeValueAsString(StatsJson.write(result)));
        } catch (JsonProcessingException e) {
            err.println("stats: cannot write the result: " + e.getOriginalMessage());
            return FAILED;
        }
        out.flush();
        return OK;
    }
}
