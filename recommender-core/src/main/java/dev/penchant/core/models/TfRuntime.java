package dev.penchant.core.models;

import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.RunOptions;

import java.util.TreeSet;

/** Session configuration and device reporting shared by the TF models. */
public final class TfRuntime {
    private TfRuntime() {
    }

    /**
     * deterministic = one intra- and one inter-op thread: CPU runs with the same seed then produce the
     * same weights bit for bit (multi-threaded reductions may sum in a different order).
     * threads > 0 caps TensorFlow's pools otherwise (0 = TensorFlow's default, one per core).
     */
    public static ConfigProto config(boolean deterministic, int threads) {
        ConfigProto.Builder b = ConfigProto.newBuilder().setAllowSoftPlacement(true);
        if (deterministic) {
            b.setIntraOpParallelismThreads(1).setInterOpParallelismThreads(1);
        } else if (threads > 0) {
            b.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(Math.min(2, threads));
        }
        return b.build();
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
