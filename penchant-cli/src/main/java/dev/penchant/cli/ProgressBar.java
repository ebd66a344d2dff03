package dev.penchant.cli;

import dev.penchant.core.model.ProgressListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws training progress as a one-line text bar on a stream (stderr), redrawn only when it changes. */
final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private int lastEpoch = -1;
    private int lastPercent = -1;
    int epochs;
    /** Wall seconds of each epoch, training and validation together (for the report). */
    final List<Double> epochSeconds = new ArrayList<>();
    private long epochStarted = System.nanoTime();

    ProgressBar(PrintStream out) {
        this.out = out;
    }

    /** Starts the clock of the first epoch (call when training starts, after data loading). */
    synchronized void start() {
        epochStarted = System.nanoTime();
    }

    @Override
    public synchronized void step(int epoch, double fraction, double loss) {
        int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
        if (epoch == lastEpoch && percent == lastPercent) return;
        lastEpoch = epoch;
        lastPercent = percent;
        int filled = percent * WIDTH / 100;
        out.print(String.format(Locale.ROOT, "\repoch %3d [%s%s] %3d%% loss %.4f", epoch,
                "#".repeat(filled), ".".repeat(WIDTH - filled), percent, loss));
        out.flush();
    }

    @Override
    public synchronized void epochEnd(int epoch, double loss, Map<String, Double> validationMetrics) {
        epochs = Math.max(epochs, epoch);
        long now = System.nanoTime();
        double seconds = (now - epochStarted) / 1e9;
        epochStarted = now;
        epochSeconds.add(seconds);
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "\repoch %3d [%s] done %6.1fs loss %.4f", epoch,
                "#".repeat(WIDTH), seconds, loss));
        if (validationMetrics != null)
            for (String k : new String[]{"HR@10", "NDCG@10"})
                if (validationMetrics.containsKey(k))
                    sb.append(String.format(Locale.ROOT, " val %s %.4f", k, validationMetrics.get(k)));
        out.println(sb);
        lastPercent = -1;
    }
}
