package dev.penchant.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.core.settings.InvalidSettingsException;
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
        assertTrue(e.getMessage().contains("unknown model 'sasrec-xl'") && e.getMessage().contains("did you mean 'sasrec'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PenchantCli.parse(new String[]{"train", "--format", "csv"}));
        assertThrows(IllegalArgumentException.class, () -> PenchantCli.parse(new String[]{"fit"}));
    }

    /** Unknown keys, wrong types and out-of-range values are refused with the key named, before any data is read. */
    @Test
    void refusesBadHyperparametersNamingTheKey() {
        String[][] cases = {
                {"epochs=-5", "epochs", "1..1000000"},
                {"epohcs=5", "epohcs", "did you mean 'epochs'"},
                {"max_length=50", "max_length", "use 'window'"},
                {"dropout=abc", "dropout", "must be a number"},
                {"data.implicitTreshold=4", "data.implicitTreshold", "did you mean 'data.implicitThreshold'"},
                {"eval.negatives=0", "eval.negatives", ">= 1"}};
        for (String[] c : cases) {
            InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> PenchantCli.run(
                    new String[]{"train", "--data", "/nonexistent", "--format", "csv", "--model", "sasrec", "--set", c[0]},
                    System.out, System.err), c[0]);
            assertEquals(c[1], e.problems().get(0).key(), c[0]);
            assertTrue(e.getMessage().contains(c[2]) || e.getMessage().contains("in 1..1000000"), c[0] + " -> " + e.getMessage());
        }
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> PenchantCli.run(
                new String[]{"train", "--data", "/nonexistent", "--format", "csv", "--model", "dnn", "--split", "random"},
                System.out, System.err));
        assertEquals("split", e.problems().get(0).key());
    }

    @Test
    void modelsListsEveryModelWithItsHyperparameters() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, PenchantCli.run(new String[]{"models"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        String listing = out.toString(StandardCharsets.UTF_8);
        for (String m : dev.penchant.core.model.ModelCatalog.known()) assertTrue(listing.contains(m + " ("), m);
        for (String k : new String[]{"window", "heads", "neighbours", "epochs", "min_delta", "data.implicitThreshold",
                "data.eventTypes", "split.test", "eval.negatives", "baselines"})
            assertTrue(listing.contains(k), k + " in\n" + listing);
    }
}
