package dev.penchant.core.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Features;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessorTest {
    static RawEvent ev(String u, String i, Double v, long t) {
        return new RawEvent(u, i, "rating", v, Instant.ofEpochSecond(t));
    }

    private static int col(Features f, String name) {
        int c = f.names().indexOf(name);
        assertTrue(c >= 0, name + " not in " + f.names());
        return c;
    }

    @Test
    void ordersByTimeKeepingReadingOrderForTiesAndCleans() {
        List<RawEvent> events = List.of(
                ev("2", "10", 5.0, 100), ev("2", "9", 3.0, 100), ev("2", "10", 5.0, 100), // exact duplicate
                ev("2", "11", 1.0, 50), ev("1", "9", 4.0, 10), ev("1", "10", 4.0, 20), ev("3", "99", 4.0, 5));
        List<RawUser> users = List.of(new RawUser("1", Map.of()), new RawUser("2", Map.of()), new RawUser("3", Map.of()));
        List<RawItem> items = List.of(new RawItem("9", null, null, List.of(), Map.of()),
                new RawItem("10", null, null, List.of(), Map.of()), new RawItem("11", null, null, List.of(), Map.of()));
        PreparedDataset p = Preprocessor.build(new ListSource("t", events, users, items));
        Dataset d = p.dataset();
        // user 3 only had item 99, which is not in the item table -> gone
        assertEquals(List.of("1", "2"), d.users().ids());
        assertEquals(List.of("9", "10", "11"), d.items().ids()); // numeric order, not first-seen
        // user 2: t=50 item 11, then t=100 tie between 10 and 9 -> reading order 10, 9 (not item id)
        assertArrayEquals(new int[]{2, 1, 0}, d.interactions().items()[1]);
        assertArrayEquals(new float[]{1f, 5f, 3f}, d.interactions().values()[1]);
        assertEquals(1, p.report().step("dropDuplicates").result().get("dropped"));
        assertEquals(1, p.report().step("dropUnknown").result().get("droppedUnknownItem"));
        assertEquals(5L, d.interactions().size());
    }

    @Test
    void implicitThresholdAndBotsAreOptional() {
        List<RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) events.add(ev("bot", "i" + i, 5.0, 1000 + i)); // 50 events in under an hour
        events.add(ev("human", "i1", 5.0, 0));
        events.add(ev("human", "i2", 2.0, 86_400));
        events.add(new RawEvent("human", "i3", "view", null, Instant.ofEpochSecond(2 * 86_400)));
        PreparedDataset all = Preprocessor.build(new ListSource(events));
        assertEquals(53L, all.dataset().interactions().size()); // default keeps everything
        PreprocessOptions strict = PreprocessOptions.defaults().withImplicitThreshold(4.0).withBotMaxEventsPerHour(20.0);
        PreparedDataset p = new Preprocessor(strict).run(new ListSource(events));
        assertEquals(List.of("human"), p.dataset().users().ids());
        // rating 2 dropped; the valueless view is kept
        assertEquals(2L, p.dataset().interactions().size());
        assertEquals(1, p.report().step("implicitFeedback").result().get("dropped"));
        assertEquals(1, p.report().step("dropBots").result().get("droppedUsers"));
        assertEquals(50, p.report().step("dropBots").result().get("droppedEvents"));
    }

    @Test
    void sideFeaturesWithFills() throws Exception {
        List<RawEvent> events = List.of(ev("a", "x", 4.0, 1), ev("b", "y", 4.0, 2), ev("c", "z", 4.0, 3), ev("d", "x", 1.0, 4));
        List<RawUser> users = List.of(
                new RawUser("a", Map.of("age", "20", "gender", "F", "occupation", "artist")),
                new RawUser("b", Map.of("age", "40", "gender", "M")),
                new RawUser("c", Map.of("gender", "M", "occupation", "artist")),
                new RawUser("d", Map.of("age", "30", "occupation", "doctor")));
        List<RawItem> items = List.of(
                new RawItem("x", "Star Wars", "space opera", List.of("Action", "Sci-Fi"), Map.of("release_year", "1977")),
                new RawItem("y", "Star Trek", null, List.of("Sci-Fi"), Map.of("release_year", "1979")),
                new RawItem("z", "Heat", "crime in space", List.of(), Map.of()));
        PreprocessOptions o = PreprocessOptions.fromMap(Map.of("tfidfMinDf", "2"));
        PreparedDataset p = new Preprocessor(o).run(new ListSource("f", events, users, items));
        Features uf = p.dataset().userFeatures();
        // ages 20, 40, 30 present: mean 30, population std sqrt(200/3) = 8.1649658; c missing -> median 30 -> z 0
        int age = col(uf, "age(z)");
        assertEquals(-10 / Math.sqrt(200.0 / 3), uf.matrix()[0][age], 1e-5);
        assertEquals(0f, uf.matrix()[2][age], 1e-6);
        // gender: M is the mode (2 of 3) -> d filled with M
        assertEquals(1f, uf.matrix()[3][col(uf, "gender=M")]);
        assertEquals(0f, uf.matrix()[3][col(uf, "gender=F")]);
        // occupation: artist mode -> b filled with artist
        assertEquals(1f, uf.matrix()[1][col(uf, "occupation=artist")]);
        Features itf = p.dataset().itemFeatures();
        assertEquals(1f, itf.matrix()[0][col(itf, "genre=Action")]);
        assertEquals(1f, itf.matrix()[1][col(itf, "genre=Sci-Fi")]);
        assertEquals(0f, itf.matrix()[2][col(itf, "genre=Sci-Fi")]);
        // release year: 1977, 1979 present, mean 1978 std 1; z missing -> median 1978 -> 0
        int ry = col(itf, "release_year(z)");
        assertEquals(-1f, itf.matrix()[0][ry], 1e-5);
        assertEquals(0f, itf.matrix()[2][ry], 1e-5);
        // tf-idf with minDf 2: "star" (x, y) and "space" (x, z) survive; "wars", "trek", "heat" do not
        assertEquals(List.of("tfidf:space", "tfidf:star"), itf.names().stream().filter(n -> n.startsWith("tfidf:")).toList());
        // x: tokens star wars space opera -> star and space both tf 1/4 and same idf -> both 1/sqrt(2) after l2
        assertEquals((float) (1 / Math.sqrt(2)), itf.matrix()[0][col(itf, "tfidf:star")], 1e-6);
        assertEquals(1f, itf.matrix()[1][col(itf, "tfidf:star")], 1e-6);
        // the report is JSON with the statistics
        JsonNode json = new ObjectMapper().readTree(p.report().toJson());
        JsonNode ageStep = null;
        for (JsonNode s : json.get("steps")) if (s.get("name").asText().equals("userFeatures.age")) ageStep = s;
        assertEquals(30.0, ageStep.get("result").get("mean").asDouble(), 1e-9);
        assertEquals(30.0, ageStep.get("result").get("median").asDouble(), 1e-9);
        assertEquals(1, ageStep.get("result").get("missing").asInt());
    }
}
