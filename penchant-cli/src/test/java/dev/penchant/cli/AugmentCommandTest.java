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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsBothVariantsAndWritesBucketedResults() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 40; u++)
            for (int k = 0; k < 12; k++) sb.append(u).append(' ').append((u % 4) * 10 + (u + k) % 10).append('\n');
        Path data = dir.resolve("seq.txt");
        Files.writeString(data, sb.toString());
        Path report = dir.resolve("augment.json");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PenchantCli.run(new String[]{"augment", "--data", data.toString(), "--format", "user-item",
                "--model", "popularity", "--report", report.toString(), "--seed", "3", "--set", "eval.negatives=5",
                "gan.epochs=2", "gan.gen_hidden=8", "gan.dis_hidden=8", "gan.deterministic=true", "augment.max_events=5",
                "augment.per_user=2", "augment.truncate_max=5"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        String table = out.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("variant original") && table.contains("variant truncated") && table.contains("1-5"), table);
        JsonNode r = new ObjectMapper().readTree(report.toFile());
        JsonNode results = r.get("results");
        assertEquals(2, results.size());
        assertEquals(0, results.get(0).get("usersAugmented").asInt(), "10 training events each: nobody sparse");
        JsonNode truncated = results.get(1);
        assertTrue(truncated.get("usersAugmented").asInt() > 5);
        assertEquals(2L * truncated.get("usersAugmented").asInt(), truncated.get("interactionsAdded").asLong());
        assertEquals(4, truncated.get("with").size());
        assertTrue(truncated.get("with").get(1).get("sampled").get("metrics").has("HR@10"));
    }
}
