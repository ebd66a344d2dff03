package dev.penchant.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static dev.penchant.k8s.Manifests.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image recipes (each node's src/main/docker/Dockerfile.jvm, training-worker's Dockerfile.gpu)
 * pass the Dockerfile checks and agree with the manifests: ports, user, image names, the JavaCPP
 * cache directory, the migration Job's class path. COPY sources are checked on disk for every node
 * that has been packaged (target/quarkus-app), statically otherwise.
 */
class ImageRecipeTest {
    static final List<String> NODES = Repo.NODES;

    @ParameterizedTest
    @FieldSource("NODES")
    void jvmRecipePassesAndMatchesItsDeployment(String node) {
        Path file = Repo.node(node).resolve("src/main/docker/Dockerfile.jvm");
        Dockerfile recipe = Dockerfile.parse(file);
        assertEquals(List.of(), recipe.problems(Repo.node(node)), file.toString());
        matchesDeployment(recipe, deployment("prod", node), "ghcr.io/penchant/" + node);
    }

    @Test
    void gpuRecipePassesAndMatchesTheGpuDeployment() {
        Path file = Repo.node("training-worker").resolve("src/main/docker/Dockerfile.gpu");
        Dockerfile recipe = Dockerfile.parse(file);
        assertEquals(List.of(), recipe.problems(Repo.node("training-worker")), file.toString());
        matchesDeployment(recipe, deployment("prod-gpu", "training-worker"), "ghcr.io/penchant/training-worker-gpu");
        assertTrue(recipe.all("FROM").stream().anyMatch(f -> f.args().get(0).startsWith("nvidia/cuda:12.") && f.args().get(0).contains("cudnn")),
                "the GPU image is built on CUDA 12 with cuDNN");
    }

    private static void matchesDeployment(Dockerfile recipe, Map<String, Object> deployment, String imageName) {
        Map<String, Object> container = Manifests.list(deployment, "spec.template.spec.containers").get(0);
        assertEquals(imageName, ImageRef.parse((String) container.get("image")).name(), Manifests.id(deployment));
        assertEquals(List.of(at(Manifests.list(container, "ports").get(0), "containerPort")), recipe.exposed(), "EXPOSE vs containerPort");
        String user = recipe.finalStage().stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow().args().get(0);
        assertEquals(String.valueOf(at(deployment, "spec.template.spec.securityContext.runAsUser")), user.split(":")[0], "USER vs runAsUser");
        if (Policy.TENSORFLOW_NODES.contains(Manifests.name(deployment))) {
            assertEquals(Policy.JAVACPP_CACHE, recipe.systemProperty("org.bytedeco.javacpp.cachedir"), "JavaCPP cache vs the mounted volume");
        }
    }

    /** The Job's command runs MigrateMain from the platform-api image's class path, as the recipe lays it out. */
    @Test
    void migrationJobRunsFromThePlatformApiImageLayout() throws IOException {
        Map<String, Object> job = find(Kustomize.render(Repo.overlay("prod")), "Job", "penchant-migrate");
        Map<String, Object> container = Manifests.list(job, "spec.template.spec.containers").get(0);
        assertEquals("ghcr.io/penchant/platform-api", ImageRef.parse((String) container.get("image")).name());
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) container.get("command");
        String mainClass = command.get(command.size() - 1);
        String classPath = command.get(command.indexOf("-cp") + 1);
        assertEquals("dev.penchant.support.db.MigrateMain", mainClass);
        assertTrue(Files.exists(Repo.root().resolve("node-support/src/main/java/" + mainClass.replace('.', '/') + ".java")));

        Dockerfile recipe = Dockerfile.parse(Repo.node("platform-api").resolve("src/main/docker/Dockerfile.jvm"));
        List<String> destinations = recipe.all("COPY").stream().map(i -> i.args().get(i.args().size() - 1)).toList();
        for (String entry : classPath.split(":")) {
            assertTrue(entry.endsWith("/*"), entry);
            String dir = entry.substring(0, entry.length() - 1);
            assertTrue(destinations.stream().anyMatch(dir::startsWith), entry + " is not under a COPY destination " + destinations);
        }
        // packaged here: the directories are there and MigrateMain and the migrations are on that class path
        Path app = Repo.node("platform-api").resolve("target/quarkus-app");
        if (Files.isDirectory(app)) {
            for (String entry : classPath.split(":")) {
                Path local = app.resolve(entry.substring("/deployments/".length(), entry.length() - 2));
                assertTrue(Files.isDirectory(local), local.toString());
            }
            assertTrue(onClassPath(app, classPath, mainClass.replace('.', '/') + ".class"), "MigrateMain is in the packaged app");
            assertTrue(onClassPath(app, classPath, "db/migration/V1__schema.sql"), "the migrations are in the packaged app");
        }
    }

    static boolean onClassPath(Path app, String classPath, String entryName) throws IOException {
        for (String entry : classPath.split(":")) {
            Path dir = app.resolve(entry.substring("/deployments/".length(), entry.length() - 2));
            try (Stream<Path> jars = Files.list(dir)) {
                for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                    try (ZipFile zip = new ZipFile(jar.toFile())) {
                        if (zip.getEntry(entryName) != null) return true;
                    }
                }
            }
        }
        return false;
    }

    static Map<String, Object> deployment(String overlay, String node) {
        return find(Kustomize.render(Repo.overlay(overlay)), "Deployment", node);
    }

    static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(Manifests.name(d))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
    }
}
