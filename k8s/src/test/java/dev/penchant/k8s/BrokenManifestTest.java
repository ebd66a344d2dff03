package dev.penchant.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checks can fail: deliberately broken copies of the rendered prod-gpu overlay (which holds
 * every kind Penchant uses), of the image recipes and of a kustomization are each rejected by the
 * check meant to catch them, with a message that names the problem.
 */
class BrokenManifestTest {
    private static final List<Map<String, Object>> GOOD = Kustomize.render(Repo.overlay("prod-gpu"));

    @Test
    void theUnbrokenCopyPasses() {
        for (Map<String, Object> doc : GOOD) Schemas.validate(doc);
        assertEquals(List.of(), Policy.check(GOOD, true));
    }

    // --- schemas -------------------------------------------------------------------------------------

    @Test
    void anUnknownFieldFailsTheSchemaOfEveryKind() {
        List<String> kinds = new ArrayList<>();
        for (Map<String, Object> doc : GOOD) {
            kinds.add(Manifests.kind(doc));
            Map<String, Object> broken = copy(doc);
            broken.put("specc", Map.of("replicas", 1));
            rejectedBySchema(broken, "specc");
            Map<String, Object> metadata = copy(doc);
            Manifests.metadata(metadata).put("lables", Map.of("a", "b"));
            rejectedBySchema(metadata, "lables");
        }
        assertTrue(kinds.containsAll(List.of("Deployment", "Service", "Ingress", "ConfigMap", "Job", "HorizontalPodAutoscaler",
                "PodDisruptionBudget", "ServiceAccount", "Cluster", "ServiceMonitor")), kinds.toString());
    }

    @Test
    void unknownFieldsDeepInsideFail() {
        rejectedBySchema(mutate("Deployment", "platform-api", d -> container(d).put("imagePullPolicyy", "Always")), "imagePullPolicyy");
        rejectedBySchema(mutate("Deployment", "platform-api", d -> probe(d, "readinessProbe").put("httpGett", Map.of())), "httpGett");
        rejectedBySchema(mutate("Deployment", "platform-api", d -> securityContext(d).put("readOnlyRootFileSystem", true)), "readOnlyRootFileSystem");
        rejectedBySchema(mutate("Service", "platform-api", d -> Manifests.list(d, "spec.ports").get(0).put("targetport", 8080)), "targetport");
        rejectedBySchema(mutate("Ingress", "penchant", d -> Manifests.list(d, "spec.rules").get(0).put("hosts", "x")), "hosts");
        rejectedBySchema(mutate("HorizontalPodAutoscaler", "inference-node", d -> Manifests.map(d, "spec").put("targetCPUUtilizationPercentage", 70)),
                "targetCPUUtilizationPercentage"); // autoscaling/v1's field, not v2's
        rejectedBySchema(mutate("Cluster", "penchant-db", d -> Manifests.map(d, "spec.storage").put("sizee", "1Gi")), "sizee");
        rejectedBySchema(mutate("ServiceMonitor", "penchant", d -> Manifests.list(d, "spec.endpoints").get(0).put("targetport", "http")), "targetport");
    }

    @Test
    void aMissingRequiredFieldFails() {
        rejectedBySchema(mutate("Deployment", "platform-api", d -> Manifests.map(d, "spec").remove("selector")), "selector");
        rejectedBySchema(mutate("Deployment", "platform-api", d -> container(d).remove("name")), "name");
        rejectedBySchema(mutate("Job", "penchant-migrate", d -> Manifests.map(d, "spec").remove("template")), "template");
        rejectedBySchema(mutate("Service", "platform-api", d -> Manifests.list(d, "spec.ports").get(0).remove("port")), "port");
        rejectedBySchema(mutate("HorizontalPodAutoscaler", "inference-node", d -> Manifests.map(d, "spec").remove("scaleTargetRef")), "scaleTargetRef");
        rejectedBySchema(mutate("Cluster", "penchant-db", d -> Manifests.map(d, "spec").remove("storage")), "storage");
        rejectedBySchema(mutate("ServiceMonitor", "penchant", d -> Manifests.map(d, "spec").remove("selector")), "selector");
    }

    @Test
    void aValueOfTheWrongTypeFails() {
        rejectedBySchema(mutate("Deployment", "platform-api", d -> Manifests.map(d, "spec").put("replicas", "2")), "expected a number at $.replicas");
        rejectedBySchema(mutate("Deployment", "platform-api", d -> Manifests.map(container(d), "resources.limits").put("memory", "a lot")), "quantity");
        rejectedBySchema(mutate("Deployment", "platform-api", d -> securityContext(d).put("readOnlyRootFilesystem", "true")),
                "expected a boolean at $.readOnlyRootFilesystem");
        // an unquoted number in an env value: the API server refuses it, so must the check
        rejectedBySchema(mutate("Deployment", "platform-api", d -> Manifests.list(container(d), "env").get(0).put("value", 8080)),
                "expected a string at $.value");
        rejectedBySchema(mutate("ConfigMap", "penchant-node", d -> Manifests.map(d, "data").put("PENCHANT_EMBEDDED_DB_ENABLED", false)), "expected a string");
        rejectedBySchema(mutate("Cluster", "penchant-db", d -> Manifests.map(d, "spec").put("instances", "3")), "instances");
    }

    @Test
    void aKindWithoutASchemaFails() {
        Map<String, Object> pod = new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Pod", "metadata", Map.of("name", "x")));
        rejectedBySchema(pod, "no schema known");
        Map<String, Object> oldHpa = copy(find("HorizontalPodAutoscaler", "inference-node"));
        oldHpa.put("apiVersion", "autoscaling/v1");
        rejectedBySchema(oldHpa, "no schema known");
    }

    // --- policy --------------------------------------------------------------------------------------

    @Test
    void unpinnedImagesFail() {
        rejectedByPolicy(d -> container(find(d, "Deployment", "platform-api")).put("image", "ghcr.io/penchant/platform-api:latest"), "tagged latest");
        rejectedByPolicy(d -> container(find(d, "Deployment", "admin-ui")).put("image", "ghcr.io/penchant/admin-ui"), "no tag");
        rejectedByPolicy(d -> container(find(d, "Job", "penchant-migrate")).put("image", "localhost:5000/platform-api"), "no tag");
        rejectedByPolicy(d -> Manifests.map(find(d, "Cluster", "penchant-db"), "spec").put("imageName", "ghcr.io/cloudnative-pg/postgresql:latest"), "tagged latest");
    }

    @Test
    void missingOrWrongProbesFail() {
        for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
            rejectedByPolicy(d -> container(find(d, "Deployment", "inference-node")).remove(probe), "no " + probe);
        }
        rejectedByPolicy(d -> Manifests.map(probe(find(d, "Deployment", "admin-ui"), "livenessProbe"), "httpGet").put("path", "/q/health"),
                "livenessProbe must GET /q/health/live");
        rejectedByPolicy(d -> Manifests.map(probe(find(d, "Deployment", "admin-ui"), "readinessProbe"), "httpGet").put("port", "metrics"),
                "is not a container port");
    }

    @Test
    void missingResourcesFail() {
        rejectedByPolicy(d -> Manifests.map(container(find(d, "Deployment", "training-worker")), "resources.limits").remove("memory"),
                "resources.limits.memory is not set");
        rejectedByPolicy(d -> Manifests.map(container(find(d, "Job", "penchant-migrate")), "resources").remove("requests"),
                "resources.requests.cpu is not set");
    }

    @Test
    void rootOrPrivilegedContainersFail() {
        rejectedByPolicy(d -> {
            Manifests.map(find(d, "Deployment", "platform-api"), "spec.template.spec.securityContext").put("runAsUser", 0);
        }, "runAsUser must be a numeric, non-root uid");
        rejectedByPolicy(d -> {
            Manifests.map(find(d, "Deployment", "platform-api"), "spec.template.spec.securityContext").remove("runAsNonRoot");
            securityContext(find(d, "Deployment", "platform-api")).remove("runAsNonRoot");
        }, "runAsNonRoot must be true");
        rejectedByPolicy(d -> securityContext(find(d, "Deployment", "admin-ui")).put("allowPrivilegeEscalation", true), "allowPrivilegeEscalation must be false");
        rejectedByPolicy(d -> securityContext(find(d, "Deployment", "admin-ui")).remove("capabilities"), "capabilities.drop must contain ALL");
        rejectedByPolicy(d -> securityContext(find(d, "Job", "penchant-migrate")).put("readOnlyRootFilesystem", false), "readOnlyRootFilesystem must be true");
        rejectedByPolicy(d -> Manifests.map(find(d, "Deployment", "inference-node"), "spec.template.spec.securityContext").remove("seccompProfile"),
                "seccompProfile.type must be RuntimeDefault");
        rejectedByPolicy(d -> container(find(d, "Deployment", "inference-node")).put("volumeMounts", List.of(Map.of("name", "tmp", "mountPath", "/tmp"))),
                "no volume mounted at /var/cache/penchant-javacpp");
    }

    @Test
    void committedSecretValuesFail() {
        rejectedByPolicy(d -> d.add(new LinkedHashMap<>(Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "penchant-secrets"),
                "stringData", Map.of("privacy-hash-key", "0123456789abcdef")))), "a Secret with values is committed");
        rejectedByPolicy(d -> ((List<Object>) cast(container(find(d, "Deployment", "platform-api")).get("env")))
                .add(Map.of("name", "QUARKUS_DATASOURCE_PASSWORD", "value", "hunter2")), "must come from a secretKeyRef");
        rejectedByPolicy(d -> Manifests.map(find(d, "ConfigMap", "penchant-database"), "data")
                .put("QUARKUS_DATASOURCE_JDBC_URL", "jdbc:postgresql://penchant-db-rw:5432/penchant?password=hunter2"), "carries a secret inline");
        rejectedByPolicy(d -> Manifests.map(find(d, "ConfigMap", "penchant-node"), "data").put("PENCHANT_AUTH_BOOTSTRAP_KEYS", "k"), "looks like a secret");
    }

    @Test
    void gpuWorkersNeedTheGpuAndItsNodes() {
        rejectedByPolicy(d -> Manifests.map(find(d, "Deployment", "training-worker"), "spec.template.spec").remove("tolerations"), "toleration");
        rejectedByPolicy(d -> Manifests.map(find(d, "Deployment", "training-worker"), "spec.template.spec").remove("nodeSelector"), "nodeSelector");
        rejectedByPolicy(d -> Manifests.map(container(find(d, "Deployment", "training-worker")), "resources.limits").remove(Policy.GPU), "request and limit");
        rejectedByPolicy(d -> container(find(d, "Deployment", "training-worker")).put("image", "ghcr.io/penchant/training-worker:0.1.0"), "GPU image");
        rejectedByPolicy(d -> Manifests.map(container(find(d, "Deployment", "inference-node")), "resources.limits").put(Policy.GPU, "1"), "outside the GPU overlay");
    }

    @Test
    void brokenWiringFails() {
        rejectedByPolicy(d -> Manifests.map(find(d, "HorizontalPodAutoscaler", "inference-node"), "spec.scaleTargetRef").put("name", "platform-api"),
                "no HorizontalPodAutoscaler targets the inference-node");
        rejectedByPolicy(d -> Manifests.map(find(d, "Deployment", "inference-node"), "spec").put("replicas", 3), "sets spec.replicas");
        rejectedByPolicy(d -> Manifests.map(find(d, "Deployment", "admin-ui"), "spec.selector.matchLabels").put("app.kubernetes.io/name", "console"),
                "does not match the template labels");
        rejectedByPolicy(d -> Manifests.map(find(d, "Service", "admin-ui"), "spec.selector").put("app.kubernetes.io/name", "console"), "selects no Deployment");
        rejectedByPolicy(d -> Manifests.list(find(d, "Service", "platform-api"), "spec.ports").get(0).put("targetPort", 9090), "targetPort 9090");
        rejectedByPolicy(d -> Manifests.map(find(d, "PodDisruptionBudget", "inference-node"), "spec.selector.matchLabels").put("app.kubernetes.io/name", "x"),
                "no PodDisruptionBudget covers the inference-node");
        rejectedByPolicy(d -> Manifests.map(Manifests.list(Manifests.list(find(d, "Ingress", "penchant"), "spec.rules").get(0), "http.paths").get(0),
                "backend.service").put("name", "api"), "backend api is not a Service");
        rejectedByPolicy(d -> Manifests.list(Manifests.list(find(d, "Ingress", "penchant"), "spec.rules").get(0), "http.paths").get(0).put("path", "/q"),
                "exposes /q");
        rejectedByPolicy(d -> Manifests.list(find(d, "ServiceMonitor", "penchant"), "spec.endpoints").get(0).put("port", "metrics"), "endpoint port metrics");
    }

    // --- image recipes -------------------------------------------------------------------------------

    @Test
    void brokenRecipesFail(@TempDir Path context) throws IOException {
        String good = Repo.read(Repo.node("platform-api").resolve("src/main/docker/Dockerfile.jvm"));
        assertEquals(List.of(), recipe(good, context));
        String from = "FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:1.24";
        assertTrue(good.contains(from));
        rejectedRecipe(good.replace(from, "FROM registry.access.redhat.com/ubi9/openjdk-17-runtime:latest"), context, "tagged latest");
        rejectedRecipe(good.replace(from, "FROM registry.access.redhat.com/ubi9/openjdk-17-runtime"), context, "has no tag");
        rejectedRecipe(good.replace(from, "ARG BASE\nFROM ${BASE}"), context, "build variable");
        rejectedRecipe(good.replace("USER 185", "USER root"), context, "must be a numeric, non-root uid");
        rejectedRecipe(good.replace("USER 185", "USER 0"), context, "must be a numeric, non-root uid");
        rejectedRecipe(good.replace("USER 185", ""), context, "sets no USER");
        rejectedRecipe(good.replace("EXPOSE", "EXPOSES"), context, "unknown instruction");
        rejectedRecipe(good.replace("COPY target/quarkus-app/quarkus/ /deployments/quarkus/", ""), context, "does not copy target/quarkus-app/quarkus/");
        rejectedRecipe(good.replace("COPY target/quarkus-app/app/", "COPY src/main/resources/"), context, "is not part of target/quarkus-app");
        rejectedRecipe(good + "\nADD https://example.com/agent.jar /deployments/\n", context, "use COPY");
        rejectedRecipe(good.replace("ENTRYPOINT", "# ENTRYPOINT"), context, "no ENTRYPOINT or CMD");

        // built: every COPY source must exist in target/quarkus-app
        Path app = Files.createDirectories(context.resolve("target/quarkus-app"));
        Files.createDirectories(app.resolve("lib"));
        Files.createDirectories(app.resolve("app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "");
        rejectedRecipe(good, context, "target/quarkus-app/quarkus/ does not exist");
        Files.createDirectories(app.resolve("quarkus"));
        assertEquals(List.of(), recipe(good, context));
    }

    // --- the fallback renderer -------------------------------------------------------------------------

    @Test
    void theFallbackRefusesWhatItDoesNotRender(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n");
        String head = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n";
        Files.writeString(dir.resolve("kustomization.yaml"), head + "commonLabels:\n  a: b\n");
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> FallbackKustomize.render(dir)).getMessage().contains("commonLabels"));
        Files.writeString(dir.resolve("smp.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: c\n");
        Files.writeString(dir.resolve("kustomization.yaml"), head + "patches:\n  - path: smp.yaml\n    target:\n      kind: ConfigMap\n      name: x\n");
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> FallbackKustomize.render(dir)).getMessage().contains("strategic merge"));
        Files.writeString(dir.resolve("kustomization.yaml"), head + "resources:\n  - cm.yaml\n");
        assertThrows(RuntimeException.class, () -> FallbackKustomize.render(dir)); // a duplicate key
        Files.writeString(dir.resolve("kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n  - cm.yaml\n");
        assertTrue(assertThrows(UnsupportedOperationException.class, () -> FallbackKustomize.render(dir)).getMessage().contains("defined twice"));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static void rejectedBySchema(Map<String, Object> doc, String mentioned) {
        try {
            Schemas.validate(doc);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains(mentioned), "rejected, but the message does not name '" + mentioned + "': " + e.getMessage());
            return;
        }
        fail("schema validation accepted a broken " + Manifests.id(doc) + " (" + mentioned + ")");
    }

    private static void rejectedByPolicy(Consumer<List<Map<String, Object>>> breakIt, String mentioned) {
        List<Map<String, Object>> docs = copyAll();
        breakIt.accept(docs);
        List<String> violations = Policy.check(docs, true);
        assertTrue(violations.stream().anyMatch(v -> v.contains(mentioned)), "no violation mentions '" + mentioned + "': " + violations);
    }

    private static List<String> recipe(String text, Path context) {
        return Dockerfile.parse(context.resolve("Dockerfile"), text).problems(context);
    }

    private static void rejectedRecipe(String text, Path context, String mentioned) {
        List<String> problems = recipe(text, context);
        assertTrue(problems.stream().anyMatch(p -> p.contains(mentioned)), "no problem mentions '" + mentioned + "': " + problems);
    }

    private static Map<String, Object> mutate(String kind, String name, Consumer<Map<String, Object>> breakIt) {
        Map<String, Object> doc = copy(find(kind, name));
        breakIt.accept(doc);
        return doc;
    }

    private static Map<String, Object> find(String kind, String name) {
        return find(GOOD, kind, name);
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return ImageRecipeTest.find(docs, kind, name);
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return Manifests.list(workload, "spec.template.spec.containers").get(0);
    }

    private static Map<String, Object> probe(Map<String, Object> workload, String probe) {
        return Manifests.map(container(workload), probe);
    }

    private static Map<String, Object> securityContext(Map<String, Object> workload) {
        return Manifests.map(container(workload), "securityContext");
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> copy(Map<String, Object> doc) {
        return (Map<String, Object>) JsonPatch.copy(doc);
    }

    private static List<Map<String, Object>> copyAll() {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Map<String, Object> d : GOOD) docs.add(copy(d));
        return docs;
    }
}
