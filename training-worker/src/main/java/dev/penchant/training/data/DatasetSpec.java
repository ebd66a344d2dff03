package dev.penchant.training.data;

import dev.penchant.core.data.io.DataFormats;

import java.nio.file.Path;
import java.util.Map;

/**
 * A job's dataset value: "platform" (the platform's events, users, items) or "file:PATH#FORMAT" for an
 * offline data set in a format the core readers know (DataFormats.FORMATS). The path is read on the
 * worker's machine.
 */
public record DatasetSpec(String value, Path path, String format) {
    public static final String PLATFORM = "platform";

    public boolean platform() {
        return path == null;
    }

    /** Parses and checks the syntax and format (not that the file exists: it must exist on the worker). */
    public static DatasetSpec parse(String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("dataset is required");
        String v = value.trim();
        if (v.equals(PLATFORM)) return new DatasetSpec(v, null, null);
        if (!v.startsWith("file:")) {
            throw new IllegalArgumentException("dataset must be 'platform' or 'file:<path>#<format>'");
        }
        int hash = v.lastIndexOf('#');
        if (hash < 0 || hash == v.length() - 1) {
            throw new IllegalArgumentException("file data set needs a format: 'file:<path>#<format>', formats: "
                    + DataFormats.FORMATS);
        }
        String path = v.substring("file:".length(), hash);
        String format = v.substring(hash + 1);
        if (path.isBlank()) throw new IllegalArgumentException("file data set needs a path");
        if (!DataFormats.FORMATS.contains(format) && !format.equals("atomic") && !format.equals("udata")) {
            throw new IllegalArgumentException("unknown format '" + format + "'; known: " + DataFormats.FORMATS);
        }
        return new DatasetSpec(v, Path.of(path), format);
    }

    /** Lineage for models.data_snapshot of a file data set (the platform source records its own). */
    public Map<String, Object> fileLineage() {
        return Map.of("source", "file", "path", path.toAbsolutePath().toString(), "format", format);
    }
}
