package dev.penchant.tf;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunOptions;

import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** Session configuration and device reporting shared by the TF models. */
public final class TfRuntime {
    private TfRuntime() {
    }

    private static final Logger LOG = Logger.getLogger(TfRuntime.class);
    /** Intra-op threads asked for by the first session of this process (0 = default), -1 before it. */
    private static final AtomicInteger FIRST_POOL = new AtomicInteger(-1);

    /**
     * deterministic = one intra-op thread and every op run in the calling thread (inter-op -1): CPU runs
     * with the same seed then produce the same weights bit for bit. threads > 0 caps TensorFlow's pools
     * otherwise (0 = TensorFlow's default, one per core).
     *
     * <p>Why inter-op -1 and not 1: with one inter-op thread TensorFlow still runs some ops inline on the
     * thread that finished their input while others wait for the pool, so two ops can overlap; measured
     * on the GAN, two same-seed runs in one JVM then diverged after 1-3 steps in about half the tries.
     * With -1, 18 of 18 runs were identical.
     *
     * <p>TensorFlow sizes its CPU intra-op pool once per process, from the first session's options;
     * later sessions share it, so bit reproducibility needs deterministic=true in a process whose first
     * session asked for it (the launcher's train command is such a process); otherwise this logs a warning.
     */
    public static ConfigProto config(boolean deterministic, int threads) {
        int wanted = deterministic ? 1 : Math.max(0, threads);
        FIRST_POOL.compareAndSet(-1, wanted);
        int pool = FIRST_POOL.get();
        if (deterministic && pool != 1) {
            LOG.warn("deterministic=true, but this process's TensorFlow CPU pool was sized earlier by a "
                    + "multi-threaded session: results may differ in the last digits; run in a fresh process");
        }
        return threadConfig(deterministic, threads);
    }

    private static ConfigProto threadConfig(boolean deterministic, int threads) {
        ConfigProto.Builder b = ConfigProto.newBuilder().setAllowSoftPlacement(true);
        if (deterministic) {
            b.setIntraOpParallelismThreads(1).setInterOpParallelismThreads(-1);
        } else if (threads > 0) {
            b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(Math.min(2, threads));
        }
        return b.build();
    }

    /** Whether a deterministic session made now gets a single-threaded CPU pool (see config). */
    public static boolean singleThreadedPool() {
        int pool = FIRST_POOL.get();
        return pool == -1 || pool == 1;
    }

    /**
     * Runs a step traced and sums op time by op type: the top entries, e.g. "ScatterSub 812us, ...".
     * A diagnostic for where a training step spends its time (hyperparameter profile=true).
     */
    public static String profile(Session.Runner runner, int top) {
        runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build());
        java.util.Map<String, Long> byType = new java.util.HashMap<>();
        long total = 0;
        try (Result r = runner.runAndFetchMetadata()) {
            if (r.getMetadata().isEmpty()) return "";
            for (DeviceStepStats d : r.getMetadata().get().getStepStats().getDevStatsList()) {
                for (org.tensorflow.proto.NodeExecStats n : d.getNodeStatsList()) {
                    String label = n.getTimelineLabel();
                    int eq = label.indexOf("= "), paren = label.indexOf('(', Math.max(0, eq));
                    String type = eq >= 0 && paren > eq ? label.substring(eq + 2, paren) : n.getNodeName();
                    long us = n.getOpEndRelMicros() - n.getOpStartRelMicros();
                    byType.merge(type, us, Long::sum);
                    total += us;
                }
            }
        }
        StringBuilder sb = new StringBuilder("op time " + total + "us:");
        byType.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> sb.append(' ').append(e.getKey()).append('=').append(e.getValue()).append("us"));
        return sb.toString();
    }

    /** CPU seconds used by this process so far (all threads), or 0 where the JVM cannot tell. */
    public static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime()) / 1e9;
        }
        return 0;
    }

    /**
     * Which devices executed a step: runs it once traced and reads the step stats (TF Java has no
     * public device list). Returns e.g. "cpu" or "gpu" (GPU when any op ran on a GPU).
     */
    public static String traceDevice(Session.Runner runner) {
        runner.setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.SOFTWARE_TRACE).build());
        TreeSet<String> devices = new TreeSet<>();
        try (Result r = runner.runAndFetchMetadata()) {
            r.getMetadata().ifPresent(m -> {
                for (DeviceStepStats d : m.getStepStats().getDevStatsList()) devices.add(d.getDevice());
            });
        }
        boolean gpu = devices.stream().anyMatch(d -> d.toUpperCase().contains("GPU"));
        return gpu ? "gpu" : "cpu";
    }
}
