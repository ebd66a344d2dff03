package dev.penchant.experiments.assignment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic, stateless experiment assignment (CONTRACTS.md): every inference node computes the same
 * variant for the same (salt, user) with no shared state and no write on the request path.
 * <ul>
 *   <li>{@link #bucket}: the first 8 bytes of SHA-256(salt + ':' + userId), unsigned, / 2^64, in [0, 1);</li>
 *   <li>audience percentage p: in iff bucket(salt + ":audience", userId) &lt; p / 100, a second hash, so
 *       raising p only adds users and never moves an assigned one to another variant;</li>
 *   <li>variant: the weight range holding bucket(salt, userId), weights normalised to their sum.</li>
 * </ul>
 */
public final class Assignment {
    /** 2^-53: maps the top 53 bits of an unsigned 64-bit value into [0, 1). */
    private static final double TWO_TO_MINUS_53 = 0x1.0p-53;
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    });

    private Assignment() {
    }

    /** The user's position in [0, 1) for this salt. */
    public static double bucket(String salt, String userId) {
        MessageDigest md = SHA256.get();
        md.reset();
        byte[] d = md.digest((salt + ':' + userId).getBytes(StandardCharsets.UTF_8));
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xffL);
        // unsigned value / 2^64, truncated to the 53 bits a double holds (exact, never rounds up to 1.0)
        return (v >>> 11) * TWO_TO_MINUS_53;
    }

    /** Whether the user is in an audience covering percentage (0..100) of users. */
    public static boolean inAudience(String salt, String userId, double percentage) {
        if (percentage >= 100) return true;
        if (percentage <= 0) return false;
        return bucket(salt + ":audience", userId) < percentage / 100.0;
    }

    /**
     * The index of the weight range holding bucket: ranges in variant order, each weight / sum(weights)
     * wide; a zero weight gets an empty range. -1 when no weight is positive.
     */
    public static int variant(double[] weights, double bucket) {
        double total = 0;
        for (double w : weights) if (w > 0) total += w;
        if (total <= 0) return -1;
        double upper = 0;
        int last = -1;
        for (int i = 0; i < weights.length; i++) {
            if (!(weights[i] > 0)) continue;
            upper += weights[i] / total;
            last = i;
            if (bucket < upper) return i;
        }
        return last; // rounding left the sum just under 1: the last positive range takes the rest
    }

    /** The variant index for the user (see {@link #variant(double[], double)}). */
    public static int assign(String salt, String userId, double[] weights) {
        return variant(weights, bucket(salt, userId));
    }
}
