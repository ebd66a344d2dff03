package dev.penchant.experiments.assignment;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** Prints the bucket (exact bits) and the 50/30/20 variant of users u0..u(n-1): run in a second JVM by AssignmentTest. */
public final class AssignmentPrinter {
    static final double[] WEIGHTS = {0.5, 0.3, 0.2};

    public static void main(String[] args) throws IOException {
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        write(args[0], Integer.parseInt(args[1]), out);
        out.flush();
    }

    static void write(String salt, int n, Appendable out) throws IOException {
        for (int i = 0; i < n; i++) {
            String user = "u" + i;
            double b = Assignment.bucket(salt, user);
            out.append(Long.toHexString(Double.doubleToRawLongBits(b))).append(' ')
                    .append(Integer.toString(Assignment.variant(WEIGHTS, b))).append(' ')
                    .append(Assignment.inAudience(salt, user, 37.5) ? '1' : '0').append('\n');
        }
    }
}
