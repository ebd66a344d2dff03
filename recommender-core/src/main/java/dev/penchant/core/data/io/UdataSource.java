package dev.penchant.core.data.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * GroupLens MovieLens 100K original layout: u.data (tab-separated user, item, rating, unix time),
 * optional u.item (pipe-separated: id|title|release date|video date|url|19 genre flags, Latin-1) and
 * u.user (id|age|gender|occupation|zip) next to it. The path is the directory or the u.data file.
 */
public final class UdataSource implements DataSource {
    static final List<String> GENRES = List.of("unknown", "Action", "Adventure", "Animation", "Children's",
            "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery",
            "Romance", "Sci-Fi", "Thriller", "War", "Western");
    private static final Pattern YEAR = Pattern.compile("(\\d{4})\\s*$");
    private static final Pattern TITLE_YEAR = Pattern.compile("\\s*\\(\\d{4}\\)\\s*$");

    private final Path data;
    private final Path item;
    private final Path user;

    public UdataSource(Path path) {
        this.data = Files.isDirectory(path) ? path.resolve("u.data") : path;
        if (!Files.isRegularFile(data)) throw new IllegalArgumentException("no u.data at " + data);
        Path dir = data.toAbsolutePath().getParent();
        this.item = dir.resolve("u.item");
        this.user = dir.resolve("u.user");
    }

    @Override
    public String name() {
        Path dir = data.toAbsolutePath().getParent();
        return dir.getFileName() == null ? "udata" : dir.getFileName().toString();
    }

    @Override
    public Stream<RawEvent> events() {
        return TextFiles.lines(data, StandardCharsets.UTF_8, 0, (lineNo, line) -> {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4) throw new IllegalArgumentException("expected user item rating timestamp");
            return new RawEvent(f[0], f[1], "rating", Double.parseDouble(f[2]),
                    Instant.ofEpochSecond(Long.parseLong(f[3])));
        });
    }

    @Override
    public Stream<RawUser> users() {
        if (!Files.exists(user)) return Stream.empty();
        String[] names = {"age", "gender", "occupation", "zip_code"};
        return TextFiles.lines(user, StandardCharsets.ISO_8859_1, 0, (lineNo, line) -> {
            String[] f = line.split("\\|", -1);
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (int c = 1; c < f.length && c <= names.length; c++)
                if (!f[c].isBlank()) attrs.put(names[c - 1], f[c].trim());
            return new RawUser(f[0].trim(), attrs);
        });
    }

    @Override
    public Stream<RawItem> items() {
        if (!Files.exists(item)) return Stream.empty();
        return TextFiles.lines(item, StandardCharsets.ISO_8859_1, 0, (lineNo, line) -> {
            String[] f = line.split("\\|", -1);
            Map<String, Object> attrs = new LinkedHashMap<>();
            Matcher m = YEAR.matcher(f.length > 2 ? f[2] : "");
            if (m.find()) attrs.put("release_year", m.group(1));
            if (f.length > 4 && !f[4].isBlank()) attrs.put("url", f[4].trim());
            List<String> cats = new ArrayList<>();
            for (int g = 0; g < GENRES.size() && 5 + g < f.length; g++)
                if ("1".equals(f[5 + g].trim())) cats.add(GENRES.get(g));
            String title = f.length > 1 ? TITLE_YEAR.matcher(f[1]).replaceAll("").trim() : null;
            return new RawItem(f[0].trim(), title == null || title.isEmpty() ? null : title, null, cats, attrs);
        });
    }
}
