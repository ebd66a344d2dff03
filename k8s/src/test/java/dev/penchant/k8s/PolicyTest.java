package dev.penchant.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every overlay keeps the deployment policy (Policy): probes, resources, non-root, pinned images, no secrets, GPUs, wiring. */
class PolicyTest {
    static final List<String> OVERLAYS = Repo.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyOverlayKeepsThePolicy(String overlay) {
        List<Map<String, Object>> docs = Kustomize.render(Repo.overlay(overlay));
        assertEquals(List.of(), Policy.check(docs, isGpu(overlay)), overlay);
        // the GPU check runs both ways: the CPU overlays ask for no GPU, the GPU overlay cannot do without
        assertTrue(!Policy.check(docs, !isGpu(overlay)).isEmpty(), overlay);
    }

    static boolean isGpu(String overlay) {
        return overlay.endsWith("-gpu");
    }
}
