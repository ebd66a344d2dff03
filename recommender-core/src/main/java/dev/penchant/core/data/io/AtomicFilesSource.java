package dev.penchant.core.data.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * RecBole "atomic files": &lt;name&gt;.inter (+ optional .item / .user) in one directory, tab-separated,
 * header "field:type". Known columns: user_id, item_id, rating or value, type, timestamp (.inter; without
 * a type column every event is a "rating" when there is a rating column, else an "interaction"); movie_title or
 * title, description, class or genre (space-separated categories) (.item); every other column is an
 * attribute (numbers kept as strings; the pipeline decides what is numeric).
 */
public final class AtomicFilesSource implements DataSource {
    private final String name;
    private final Path inter;
    private final Path item;
    private final Path user;

    public AtomicFilesSource(Path path) {
        Path interFile;
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                List<Path> inters = s.filter(p -> p.getFileName().toString().endsWith(".inter")).sorted().toList();
                if (inters.isEmpty()) throw new IllegalArgumentException("no .inter file in " + path);
                Path named = path.resolve(path.getFileName() + ".inter");
                interFile = Files.exists(named) ? named : inters.get(0);
                if (!Files.exists(named) && inters.size() > 1)
                    throw new IllegalArgumentException("several .inter files in " + path + "; pass one of them");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            interFile = path;
        }
        String file = interFile.getFileName().toString();
        if (!file.endsWith(".inter")) throw new IllegalArgumentException("not a .inter file: " + interFile);
        this.name = file.substring(0, file.length() - ".inter".length());
        this.inter = interFile;
        Path dir = interFile.toAbsolutePath().getParent();
        this.item = dir.resolve(name + ".item");
        this.user = dir.resolve(name + ".user");
    }

    @Override
    public String name() {
        return name;
    }

    /** Column names of a header line, without their ":type" suffixes. */
    static List<String> header(Path file) {
        String[] cols = TextFiles.firstLine(file, StandardCharsets.UTF_8).split("\t", -1);
        List<String> names = new ArrayList<>();
        for (String c : cols) {
            int colon = c.indexOf(':');
            names.add((colon < 0 ? c : c.substring(0, colon)).trim());
        }
        return names;
    }

    @Override
    public Stream<RawEvent> events() {
        List<String> cols = header(inter);
        int u = require(cols, inter, "user_id");
        int i = require(cols, inter, "item_id");
        int r = cols.contains("rating") ? cols.indexOf("rating") : cols.indexOf("value");
        int t = cols.indexOf("timestamp");
        int ty = cols.indexOf("type");
        String defaultType = cols.contains("rating") ? "rating" : "interaction";
        return TextFiles.lines(inter, StandardCharsets.UTF_8, 1, (lineNo, line) -> {
            String[] f = line.split("\t", -1);
            Double value = r >= 0 ? TextFiles.parseDoubleOrNull(f[r]) : null;
            String type = ty >= 0 && ty < f.length && !f[ty].isBlank() ? f[ty].trim() : defaultType;
            // no timestamp column: file order is time order
            Instant ts = t >= 0 && !f[t].isBlank()
                    ? Instant.ofEpochSecond((long) Double.parseDouble(f[t].trim()))
                    : Instant.ofEpochSecond(lineNo);
            return new RawEvent(f[u].trim(), f[i].trim(), type, value, ts);
        });
    }

    @Override
    public Stream<RawUser> users() {
        if (!Files.exists(user)) return Stream.empty();
        List<String> cols = header(user);
        int u = require(cols, user, "user_id");
        return TextFiles.lines(user, StandardCharsets.UTF_8, 1, (lineNo, line) -> {
            String[] f = line.split("\t", -1);
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (int c = 0; c < cols.size() && c < f.length; c++)
                if (c != u && !f[c].isBlank()) attrs.put(cols.get(c), f[c].trim());
            return new RawUser(f[u].trim(), attrs);
        });
    }

    @Override
    public Stream<RawItem> items() {
        if (!Files.exists(item)) return Stream.empty();
        List<String> cols = header(item);
        int i = require(cols, item, "item_id");
        int title = cols.contains("movie_title") ? cols.indexOf("movie_title") : cols.indexOf("title");
        int desc = cols.indexOf("description");
        int cls = cols.contains("class") ? cols.indexOf("class") : cols.indexOf("genre");
        return TextFiles.lines(item, StandardCharsets.UTF_8, 1, (lineNo, line) -> {
            String[] f = line.split("\t", -1);
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (int c = 0; c < cols.size() && c < f.length; c++)
                if (c != i && c != title && c != desc && c != cls && !f[c].isBlank()) attrs.put(cols.get(c), f[c].trim());
            List<String> cats = cls >= 0 && cls < f.length && !f[cls].isBlank()
                    ? Arrays.asList(f[cls].trim().split("\\s+")) : List.of();
            return new RawItem(f[i].trim(), field(f, title), field(f, desc), cats, attrs);
        });
    }

    private static String field(String[] f, int c) {
        return c >= 0 && c < f.length && !f[c].isBlank() ? f[c].trim() : null;
    }

    private static int require(List<String> cols, Path file, String col) {
        int idx = cols.indexOf(col);
        if (idx < 0) throw new IllegalArgumentException(file + " has no '" + col + "' column; header: " + cols);
        return idx;
    }
}
