package dev.penchant.cli;

import dev.penchant.core.data.SyntheticSequences;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code penchant generate <out file> [users=50000] [items=5000] [min=5] [max=30] [follow=0.7] [seed=1]}:
 * writes {@link SyntheticSequences} as a "user item" per line file (format user-item, file order = time order).
 * {@code penchant generate demo <out dir> [users=..] [items=..] [days=..] [seed=..]} writes the demo shop
 * ({@link dev.penchant.cli.demo.DemoData}) that {@code penchant up} loads.
 */
public final class GenerateCommand {
    private GenerateCommand() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("demo")) {
            dev.penchant.cli.demo.DemoData.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length < 1) {
            System.err.println("usage: generate <out file> [users=50000] [items=5000] [min=5] [max=30] [follow=0.7] [seed=1]\n"
                    + "       generate demo <out dir> [users=500] [items=300] [days=30] [seed=1]");
            System.exit(2);
        }
        java.util.Map<String, String> o = new java.util.HashMap<>();
        for (int i = 1; i < args.length; i++) o.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        int users = Integer.parseInt(o.getOrDefault("users", "50000"));
        int items = Integer.parseInt(o.getOrDefault("items", "5000"));
        int[][] seqs = SyntheticSequences.sequences(users, items, Integer.parseInt(o.getOrDefault("min", "5")), Integer.parseInt(o.getOrDefault("max", "30")),
                Double.parseDouble(o.getOrDefault("follow", "0.7")), Long.parseLong(o.getOrDefault("seed", "1")));
        Path out = Path.of(args[0]);
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        long lines = 0;
        // users interleaved round-robin by position, so file order is a plausible global time order
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            int longest = 0;
            for (int[] s : seqs) longest = Math.max(longest, s.length);
            for (int t = 0; t < longest; t++) {
                for (int u = 0; u < users; u++) {
                    if (t >= seqs[u].length) continue;
                    w.write("u" + u + " i" + seqs[u][t] + "\n");
                    lines++;
                }
            }
        }
        System.err.printf("wrote %d interactions of %d users over %d items to %s%n", lines, users, items, out);
    }
}
