package dev.penchant.experiments.stats;

/** The guard that keeps NaN and infinity out of every result. */
final class Finite {

    static final String OVERFLOW = "figures exceed double precision";

    private Finite() {
    }

    static boolean all(double... values) {
        for (double value : values) {
            if (!Double.isFinite(value)) {
                return false;
            }
        }
        return true;
    }

    static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
