package dev.penchant.experiments.assignment;

import dev.penchant.experiments.stats.AnalysisRequest;
import dev.penchant.experiments.stats.AnalysisResult;
import dev.penchant.experiments.stats.ExperimentAnalysis;
import dev.penchant.experiments.stats.MetricType;
import dev.penchant.experiments.stats.VariantData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignmentTest {
    static final int N = 100_000;

    @Test
    void bucketIsTheFirstEightBytesOfSha256OverTwoToThe64() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest("s1:alice".getBytes(StandardCharsets.UTF_8));
        double expected = new java.math.BigDecimal(new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8)))
                .divide(new java.math.BigDecimal(java.math.BigInteger.ONE.shiftLeft(64))).doubleValue();
        assertEquals(expected, Assignment.bucket("s1", "alice"), 1e-15);
        assertEquals(Assignment.bucket("s1", "alice"), Assignment.bucket("s1", "alice"));
        assertTrue(Assignment.bucket("s2", "alice") != Assignment.bucket("s1", "alice"), "the salt moves users");
    }

    @Test
    void deterministicAndInRange() {
        for (int i = 0; i < 10_000; i++) {
            double b = Assignment.bucket("salt", "u" + i);
            assertTrue(b >= 0 && b < 1, "in [0,1): " + b);
            assertEquals(b, Assignment.bucket("salt", "u" + i));
        }
    }

    @Test
    void weightRanges() {
        double[] w = {1, 0, 3};
        assertEquals(0, Assignment.variant(w, 0.0));
        assertEquals(0, Assignment.variant(w, 0.2499));
        assertEquals(2, Assignment.variant(w, 0.25));
        assertEquals(2, Assignment.variant(w, 0.9999999));
        assertEquals(-1, Assignment.variant(new double[]{0, 0}, 0.5));
    }

    @Test
    void weightsAreMatchedWithinSrmToleranceOn100kIds() {
        double[] weights = {0.5, 0.3, 0.2};
        long[] counts = new long[3];
        for (int i = 0; i < N; i++) counts[Assignment.assign("exp-42", "user-" + i, weights)]++;
        List<VariantData> variants = new ArrayList<>();
        for (int v = 0; v < 3; v++) variants.add(VariantData.proportion("v" + v, weights[v], counts[v], counts[v] / 10));
        AnalysisResult r = ExperimentAnalysis.analyze(new AnalysisRequest(MetricType.PROPORTION, 0.05, 5000, variants));
        assertFalse(r.srm().mismatch(), "no sample-ratio mismatch: " + java.util.Arrays.toString(counts) + " p=" + r.srm().pValue());
        assertTrue(r.srm().pValue() > 0.001, "p " + r.srm().pValue());
    }

    @Test
    void raisingCoverageKeepsAssignedUsers() {
        double[] weights = {0.5, 0.5};
        int in10 = 0, in30 = 0;
        for (int i = 0; i < N; i++) {
            String u = "u" + i;
            boolean a = Assignment.inAudience("cov", u, 10), b = Assignment.inAudience("cov", u, 30);
            if (a) {
                in10++;
                assertTrue(b, "a user in 10% stays in at 30%: " + u);
            }
            if (b) in30++;
        }
        // the variant depends on the first hash only, so coverage never moves a user between variants
        assertEquals(Assignment.assign("cov", "u7", weights), Assignment.assign("cov", "u7", weights));
        assertEquals(0.10, in10 / (double) N, 0.005);
        assertEquals(0.30, in30 / (double) N, 0.005);
        assertTrue(Assignment.inAudience("cov", "x", 100));
        assertFalse(Assignment.inAudience("cov", "x", 0));
    }

    @Test
    void aSecondJvmComputesTheSameAssignmentByteForByte() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AssignmentPrinter.class.getName(), "second-jvm-salt", Integer.toString(N))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] theirs;
        try (InputStream in = p.getInputStream()) {
            theirs = in.readAllBytes();
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "second JVM finished");
        assertEquals(0, p.exitValue());
        StringBuilder ours = new StringBuilder();
        AssignmentPrinter.write("second-jvm-salt", N, ours);
        byte[] mine = ours.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(N, ours.chars().filter(c -> c == '\n').count());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(mine), MessageDigest.getInstance("SHA-256").digest(theirs),
                "outputs differ: " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(mine)));
        assertArrayEquals(mine, theirs);
    }
}
