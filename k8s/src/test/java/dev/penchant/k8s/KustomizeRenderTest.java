package dev.penchant.k8s;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every overlay renders, holds what it should, and the fallback renderer renders it exactly as kubectl does. */
class KustomizeRenderTest {
    static final List<String> OVERLAYS = Repo.OVERLAYS;

    @Test
    void theOverlaysOnDiskAreTheOnesTested() {
        assertEquals(Repo.OVERLAYS, Repo.overlays());
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void rendersTheWholePlatform(String overlay) {
        List<Map<String, Object>> docs = Kustomize.render(Repo.overlay(overlay));
        Set<String> ids = docs.stream().map(Manifests::id).collect(Collectors.toCollection(TreeSet::new));
        for (String expected : List.of("Deployment/platform-api", "Deployment/inference-node", "Deployment/training-worker",
                "Deployment/admin-ui", "Service/platform-api", "Service/inference-node", "Service/admin-ui",
                "HorizontalPodAutoscaler/inference-node", "PodDisruptionBudget/inference-node", "Job/penchant-migrate",
                "Ingress/penchant", "ConfigMap/penchant-node", "ConfigMap/penchant-database", "ServiceAccount/penchant")) {
            assertTrue(ids.contains(expected), overlay + " lacks " + expected + ": " + ids);
        }
        boolean prod = overlay.startsWith("prod");
        assertEquals(prod, ids.contains("Cluster/penchant-db"), overlay + ": CloudNativePG cluster in prod only");
        assertEquals(prod, ids.contains("ServiceMonitor/penchant"), overlay + ": ServiceMonitor in prod only");
        String namespace = prod ? "penchant" : "penchant-" + overlay;
        for (Map<String, Object> doc : docs) assertEquals(namespace, Manifests.metadata(doc).get("namespace"), Manifests.id(doc));
    }

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void fallbackRendersExactlyAsKubectl(String overlay) {
        assumeTrue(Kustomize.kubectlAvailable(), "kubectl is not installed: nothing to compare the fallback with");
        List<Map<String, Object>> kubectl = Repo.documents(Kustomize.kubectl(Repo.overlay(overlay)));
        List<Map<String, Object>> fallback = FallbackKustomize.render(Repo.overlay(overlay));
        assertEquals(kubectl.stream().map(Manifests::id).toList(), fallback.stream().map(Manifests::id).toList(), overlay + ": resources or order");
        for (int i = 0; i < kubectl.size(); i++) {
            String difference = Manifests.firstDifference(kubectl.get(i), fallback.get(i), "");
            assertEquals(null, difference, overlay + " " + Manifests.id(kubectl.get(i)) + " differs at");
        }
        assertEquals(kubectl, fallback);
    }
}
