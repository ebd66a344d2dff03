package dev.penchant.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The registry's artifact format: an exported model directory as one zip (relative paths, sorted,
 * fixed timestamps: same files, same bytes). The training worker packs, the inference node unpacks.
 */
public final class ModelArchive {
    private ModelArchive() {
    }

    public static void zip(Path dir, OutputStream out) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Path f : files) {
                ZipEntry e = new ZipEntry(dir.relativize(f).toString().replace('\\', '/'));
                e.setTime(0L);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    /** Unpacks into dir; rejects entries outside it and archives without any entry (not a zip). */
    public static void unzip(InputStream in, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; entries++) {
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) throw new IOException("zip entry outside the target: " + e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        if (entries == 0) throw new IOException("artifact is not a zip archive (no entries)");
    }

    /** Deletes a temporary directory tree, best effort. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // temporary files; best effort
        }
    }
}
