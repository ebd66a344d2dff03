package dev.penchant.core.data.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A delimited file with a header row. Options (all optional): user (default user_id), item (item_id),
 * value (none), timestamp (none), type (none; then every event has type "interaction", or "rating"
 * when a value column is set), delimiter (","; "tab" for tabs). Timestamps are epoch seconds (numbers;
 * option timestampUnit=ms for milliseconds) or ISO-8601 (instant, offset date-time, local date-time or
 * date, the local ones read as UTC). A directory must hold exactly one .csv file. Without a timestamp column the file order is the time order and
 * line n gets the synthetic timestamp n.
 */
public final class CsvSource implements DataSource {
    private final Path file;
    private final Map<String, String> options;
    private final char delimiter;

    public CsvSource(Path path, Map<String, String> options) {
        this.file = Files.isDirectory(path) ? singleCsv(path) : path;
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("csv: not a file: " + file);
        this.options = Map.copyOf(options);
        String d = options.getOrDefault("delimiter", ",");
        this.delimiter = "tab".equalsIgnoreCase(d) || "\\t".equals(d) ? '\t' : d.charAt(0);
    }

    private static Path singleCsv(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> csvs = s.filter(p -> p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv"))
                    .sorted().toList();
            if (csvs.size() != 1)
                throw new IllegalArgumentException("csv: expected one .csv file in " + dir + ", found " + csvs.size());
            return csvs.get(0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    @Override
    public Stream<RawEvent> events() {
        List<String> header = TextFiles.split(TextFiles.firstLine(file, StandardCharsets.UTF_8), delimiter, true)
                .stream().map(h -> h.trim().replace("\uFEFF", "")).toList();
        int u = column(header, "user", "user_id", true);
        int i = column(header, "item", "item_id", true);
        int v = column(header, "value", null, false);
        int t = column(header, "timestamp", null, false);
        int ty = column(header, "type", null, false);
        boolean millis = "ms".equalsIgnoreCase(options.getOrDefault("timestampUnit", "s"));
        String defaultType = v >= 0 ? "rating" : "interaction";
        return TextFiles.lines(file, StandardCharsets.UTF_8, 1, (lineNo, line) -> {
            List<String> f = TextFiles.split(line, delimiter, true);
            String user = get(f, u);
            String item = get(f, i);
            if (user == null || item == null) throw new IllegalArgumentException("missing user or item");
            Double value = v >= 0 ? TextFiles.parseDoubleOrNull(get(f, v)) : null;
            String tsText = t >= 0 ? get(f, t) : null;
            Instant ts = tsText == null ? Instant.ofEpochSecond(lineNo) : parseTime(tsText, millis);
            String type = ty >= 0 && get(f, ty) != null ? get(f, ty) : defaultType;
            return new RawEvent(user, item, type, value, ts);
        });
    }

    static Instant parseTime(String s, boolean millis) {
        if (s.matches("-?\\d+(\\.\\d+)?")) {
            double x = Double.parseDouble(s);
            return millis ? Instant.ofEpochMilli((long) x) : Instant.ofEpochSecond((long) x);
        }
        try {
            return Instant.parse(s);
        } catch (RuntimeException ignored) {
            // not an instant; try the other ISO forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (RuntimeException ignored) {
            // no offset
        }
        try {
            return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException ignored) {
            // date only
        }
        return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static String get(List<String> f, int c) {
        if (c < 0 || c >= f.size()) return null;
        String s = f.get(c).trim();
        return s.isEmpty() ? null : s;
    }

    private int column(List<String> header, String option, String fallback, boolean required) {
        String name = options.getOrDefault(option, fallback);
        if (name == null) return -1;
        int idx = header.indexOf(name);
        if (idx < 0 && required && fallback != null && !options.containsKey(option)) idx = header.indexOf(option);
        if (idx < 0 && (required || options.containsKey(option)))
            throw new IllegalArgumentException("csv: no column '" + name + "' (option " + option + ") in header " + header);
        return idx;
    }
}
