package dev.penchant.core.data.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The one factory for file formats, used by the launcher and the platform's importer. */
public final class DataFormats {
    public static final List<String> FORMATS = List.of("movielens-atomic", "movielens-udata", "user-item", "csv");

    private DataFormats() {
    }

    /**
     * Opens path (a directory or a file) in the given format; nothing is read until a stream is
     * consumed. Options are format-specific (see {@link CsvSource}).
     */
    public static DataSource open(Path path, String format, Map<String, String> options) {
        if (!Files.exists(path)) throw new IllegalArgumentException("no such file or directory: " + path);
        Map<String, String> opts = options == null ? Map.of() : options;
        return switch (format) {
            case "movielens-atomic", "atomic" -> new AtomicFilesSource(path);
            case "movielens-udata", "udata" -> new UdataSource(path);
            case "user-item" -> new UserItemSource(path);
            case "csv" -> new CsvSource(path, opts);
            default -> throw new IllegalArgumentException("unknown format '" + format + "'; known: " + FORMATS);
        };
    }
}
