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
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void comparesModelsOverSeedsAndWritesTableAndReport() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 40; u++)
            for (int k = 0; k < 8; k++) sb.append(u).append(' ').append((u + k * 3) % 25).append('\n');
        Path data = dir.resolve("seq.txt");
        Files.writeString(data, sb.toString());
        Path report = dir.resolve("out/compare.json");
        Path table = dir.resolve("out/table.md");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PenchantCli.run(new String[]{"compare", "--data", data.toString(), "--format", "user-item",
                        "--models", "dnn", "--seeds", "2", "--set", "epochs=1", "dim=8", "hidden=8", "eval.negatives=5",
                        "seqknn.steps=2", "--report", report.toString(), "--out", table.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String md = out.toString(StandardCharsets.UTF_8);
        assertEquals(md, Files.readString(table));
        for (String model : List.of("popularity", "transition", "itemknn", "seqknn", "dnn"))
            assertTrue(md.contains("| " + model + " | "), md);
        assertTrue(md.contains("seeds 1, 2") && md.contains("Best baseline by NDCG@10 full"), md);

        JsonNode r = new ObjectMapper().readTree(report.toFile());
        assertTrue(r.get("commandLine").asText().startsWith("./penchant compare --data "));
        assertEquals(List.of("popularity", "transition", "itemknn", "seqknn", "dnn"),
                new ObjectMapper().convertValue(r.get("models"), List.class));
        assertEquals(10, r.get("runs").size()); // 5 models x 2 seeds
        for (JsonNode run : r.get("runs")) {
            JsonNode hp = run.get("training").get("hyperparameters");
            switch (run.get("model").asText()) {
                case "dnn" -> assertEquals(1, hp.get("epochs").asInt());
                case "seqknn" -> assertEquals(2, hp.get("steps").asInt());
                case "itemknn" -> assertTrue(!hp.has("epochs")); // unscoped keys are not for baselines
                default -> { }
            }
            assertTrue(run.get("results").size() >= 4);
            assertTrue(!run.get("results").get(0).has("perUser"));
        }
        JsonNode cmp = r.get("comparison");
        assertEquals(5 * 4, cmp.get("summaries").size());
        JsonNode first = cmp.get("summaries").get(0);
        assertEquals(40, first.get("overUsers").get("n").asInt());
        assertEquals(2, first.get("seedMeans").size());
        String best = cmp.get("bestBaseline").asText();
        assertTrue(List.of("popularity", "transition", "itemknn", "seqknn").contains(best));
        for (JsonNode d : cmp.get("differences")) {
            String v = d.get("verdict").asText();
            assertTrue(v.equals("no difference") || v.contains(" > ") || v.contains(" < "), v);
            double lo = d.get("difference").get("lower").asDouble();
            double hi = d.get("difference").get("upper").asDouble();
            assertEquals(v.equals("no difference"), lo <= 0 && hi >= 0, d.toString());
        }
    }

    @Test
    void argumentsAreCheckedBeforeAnyDataIsRead() {
        assertEquals(List.of(1L, 2L, 3L), CompareCommand.seeds("3"));
        assertEquals(List.of(42L, 7L), CompareCommand.seeds("42,7"));
        assertThrows(IllegalArgumentException.class, () -> CompareCommand.parse(
                new String[]{"compare", "--data", "x", "--format", "user-item", "--models", "nope"}));
        assertThrows(IllegalArgumentException.class, () -> CompareCommand.parse(
                new String[]{"compare", "--data", "x", "--format", "user-item", "--models", "dnn", "--set", "sasrec.dim=8"}));
        assertThrows(IllegalArgumentException.class, () -> CompareCommand.parse(
                new String[]{"compare", "--data", "x", "--format", "user-item"}));
        Map<String, String> set = Map.of("epochs", "3", "seqknn.steps", "2", "eval.negatives", "5");
        assertEquals(Map.of("epochs", "3"), CompareCommand.hyperparameters("dnn", set));
        assertEquals(Map.of("steps", "2"), CompareCommand.hyperparameters("seqknn", set));
        assertEquals(Map.of(), CompareCommand.hyperparameters("popularity", set));
        assertEquals("./penchant compare --set 'a=b c'", CompareCommand.commandLine(new String[]{"compare", "--set", "a=b c"}));
    }
}
