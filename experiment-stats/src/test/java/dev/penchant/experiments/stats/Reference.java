package dev.penchant.experiments.stats;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The fixtures written by src/test/python/reference_values.py, and the comparison the tests use. */
final class Reference {

    private Reference() {
    }

    static JsonNode read(String name) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + name)) {
            assertNotNull(in, "missing fixture " + name + " (run src/test/python/reference_values.py)");
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * |actual - expected| <= relative * |expected| + absolute; returns the relative error, for the
     * tests to report the worst one.
     */
    static double assertClose(double expected, Double actual, double relative, double absolute, String what) {
        if (actual == null) {
            fail(what + ": expected " + expected + " but was null");
        }
        double error = Math.abs(actual - expected);
        if (!(error <= relative * Math.abs(expected) + absolute)) {
            fail(what + ": expected " + expected + " but was " + actual + " (relative error "
                + error / Math.abs(expected) + ")");
        }
        return expected == 0 ? 0 : error / Math.abs(expected);
    }
}
