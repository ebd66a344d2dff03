package dev.penchant.core.data.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * "user item" per line, whitespace separated, as the SASRec paper's data sets. There is no time: the
 * file order is the time order, so line n gets the synthetic timestamp n (epoch seconds); type
 * "interaction", no value. A directory must hold exactly one regular file.
 */
public final class UserItemSource implements DataSource {
    private final Path file;

    public UserItemSource(Path path) {
        this.file = Files.isDirectory(path) ? single(path) : path;
    }

    private static Path single(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
            if (files.size() != 1)
                throw new IllegalArgumentException("user-item: expected one file in " + dir + ", found " + files.size());
            return files.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        return TextFiles.lines(file, StandardCharsets.UTF_8, 0, (lineNo, line) -> {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) throw new IllegalArgumentException("expected 'user item'");
            return new RawEvent(f[0], f[1], "interaction", null, Instant.ofEpochSecond(lineNo));
        });
    }
}
