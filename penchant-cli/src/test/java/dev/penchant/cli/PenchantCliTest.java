package dev.penchant.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PenchantCliTest {
    @TempDir
    Path dir;

    @Test
    void trainsABaselineAndWritesTheReport() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 20; u++)
            for (int k = 0; k < 6; k++) sb.append(u).append(' ').append((u + k * 3) % 15).append('\n');
        Path data = dir.resolve("seq.txt");
        Files.writeString(data, sb.toString());
        Path report = dir.resolve("out/report.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PenchantCli.run(new String[]{"train", "--data", data.toString(), "--format", "user-item",
                "--model", "popularity", "--baselines", "transition,itemknn", "--report", report.toString(),
                "--set", "eval.negatives=5", "--seed", "7"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("HR@10") && table.contains("transition") && table.contains("Recall@10"), table);
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertEquals(20, r.get("dataset").get("users").asInt());
        assertEquals(120, r.get("dataset").get("interactions").asInt());
        assertEquals("cpu", r.get("training").get("device").asText());
        assertTrue(r.get("memory").get("jvmHeapPeakBytes").asLong() > 0);
        assertTrue(r.get("preprocessing").get("steps").size() > 3);
        Set<String> seen = new HashSet<>();
        for (JsonNode x : r.get("results")) {
            seen.add(x.get("model").asText() + "/" + x.get("protocol").asText() + "/" + x.get("split").asText());
            assertTrue(x.get("metrics").has(x.get("protocol").asText().equals("full") ? "Recall@10" : "HR@10"));
        }
        // 3 models x 2 protocols x 2 splits
        assertEquals(12, seen.size(), seen.toString());
        assertTrue(seen.contains("itemknn/sampled-5/test"));
    }

    @Test
    void reportStatesTimePerEpochAndPeakMemory() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 30; u++)
            for (int k = 0; k < 8; k++) sb.append(u).append(' ').append((u + k * 3) % 20).append('\n');
        Path data = dir.resolve("seq2.txt");
        Files.writeString(data, sb.toString());
        Path report = dir.resolve("out/report2.json");
        int code = PenchantCli.run(new String[]{"train", "--data", data.toString(), "--format", "user-item",
                "--model", "dnn", "--baselines", "none", "--report", report.toString(), "--set", "epochs=2",
                "--set", "patience=5", "--set", "dim=8", "--set", "hidden=8", "--set", "eval.negatives=5"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(0, code);
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        JsonNode t = r.get("training");
        assertEquals(2, t.get("epochs").asInt());
        assertEquals(2, t.get("epochSeconds").size());
        for (JsonNode e : t.get("epochSeconds")) assertTrue(e.asDouble() > 0);
        assertTrue(t.get("meanEpochSeconds").asDouble() > 0 && t.get("seconds").asDouble() > 0);
        assertTrue(r.get("memory").get("peakRssBytes").asLong() > 0);
    }

    @Test
    void unknownModelFailsBeforeReadingData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PenchantCli.run(
                new String[]{"train", "--data", "/nonexistent", "--format", "csv", "--model", "sasrec-xl"},
                System.out, System.err));
        assertTrue(e.getMessage().contains("unknown model 'sasrec-xl'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PenchantCli.parse(new String[]{"train", "--format", "csv"}));
        assertThrows(IllegalArgumentException.class, () -> PenchantCli.parse(new String[]{"fit"}));
    }
}
