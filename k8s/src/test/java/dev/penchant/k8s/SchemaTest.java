package dev.penchant.k8s;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every rendered manifest of every overlay passes the strict Kubernetes (or checked CRD) schema. */
class SchemaTest {
    static final List<String> OVERLAYS = Repo.OVERLAYS;

    @ParameterizedTest
    @FieldSource("OVERLAYS")
    void everyManifestMatchesItsSchema(String overlay) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> doc : Kustomize.render(Repo.overlay(overlay))) {
            try {
                Schemas.validate(doc);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        assertEquals(List.of(), problems, overlay);
    }
}
