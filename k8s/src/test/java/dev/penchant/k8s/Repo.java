package dev.penchant.k8s;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Where the manifests and the nodes live, and reading YAML the one way every test does. */
final class Repo {
    /** The nodes, each a Quarkus app with its image recipe under src/main/docker. */
    static final List<String> NODES = List.of("platform-api", "inference-node", "training-worker", "admin-ui");
    /** The overlays that must exist; a new one is found by {@link #overlays()} and must be added here. */
    static final List<String> OVERLAYS = List.of("dev", "prod", "prod-gpu");

    private Repo() {
    }

    static Path root() {
        String configured = System.getProperty("penchant.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("k8s/base")) && Files.exists(p.resolve("pom.xml"))) return p;
        }
        throw new IllegalStateException("repository root (with k8s/base) not found above " + start);
    }

    static Path k8s() {
        return root().resolve("k8s");
    }

    static Path overlay(String name) {
        return k8s().resolve("overlays").resolve(name);
    }

    /** The overlay directories present on disk. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(k8s().resolve("overlays"))) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path node(String node) {
        return root().resolve(node);
    }

    /** Every non-empty document of a multi-document YAML text, as plain maps and lists. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(yaml)) {
            if (doc == null) continue;
            if (!(doc instanceof Map)) throw new IllegalArgumentException("a YAML document is not a mapping: " + doc);
            docs.add((Map<String, Object>) doc);
        }
        return docs;
    }

    static Object load(String yaml) {
        return yaml().load(yaml);
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }
}
