package dev.penchant.core.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/** Lazy line streams shared by the readers: the file stays open until the stream is closed. */
final class TextFiles {
    private TextFiles() {
    }

    /** Line stream with 1-based line numbers passed to the parser; blank lines and nulls are dropped. */
    static <T> Stream<T> lines(Path file, Charset charset, int skip, BiFunction<Long, String, T> parser) {
        BufferedReader reader = open(file, charset);
        try {
            for (int i = 0; i < skip; i++) reader.readLine();
        } catch (IOException e) {
            closeQuietly(reader);
            throw new UncheckedIOException(e);
        }
        long[] lineNo = {skip};
        return reader.lines()
                .onClose(() -> closeQuietly(reader))
                .map(line -> {
                    lineNo[0]++;
                    if (line.isBlank()) return null;
                    try {
                        return parser.apply(lineNo[0], line);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(file.getFileName() + ":" + lineNo[0] + ": " + e.getMessage(), e);
                    }
                })
                .filter(x -> x != null);
    }

    static String firstLine(Path file, Charset charset) {
        try (BufferedReader r = open(file, charset)) {
            String line = r.readLine();
            if (line == null) throw new IllegalArgumentException(file + " is empty");
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedReader open(Path file, Charset charset) {
        try {
            return Files.newBufferedReader(file, charset);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void closeQuietly(BufferedReader r) {
        try {
            r.close();
        } catch (IOException ignored) {
            // closing a read-only file: nothing to recover
        }
    }

    /** Splits one delimited line; with quoting, fields may be wrapped in "..." with "" as an escaped quote. */
    static List<String> split(String line, char delimiter, boolean quoting) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoting && c == '"') {
                if (inQuotes && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    inQuotes = !inQuotes;
                }
            } else if (c == delimiter && !inQuotes) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    static Double parseDoubleOrNull(String s) {
        if (s == null || s.isBlank()) return null;
        return Double.parseDouble(s.trim());
    }
}
