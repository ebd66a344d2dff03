package dev.penchant.core.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExplainerTest {
    @Test
    void repeatedItemsAreOneReasonWithTheirWeightsSummed() {
        // history 7, 3, 7, -1 (unknown, padded in place), 7 with a window of 5
        int[] history = {7, 3, 7, -1, 7};
        List<Explainer.Attribution> raw = Explainer.fromWindow(history, new float[]{0.15f, 0.3f, 0.145f, 0.2f, 0.145f});
        assertEquals(4, raw.size(), "the unknown item is not a reason");
        List<Explainer.Attribution> merged = Explainer.merged(raw, 3);
        assertEquals(2, merged.size());
        assertEquals(7, merged.get(0).item());
        assertEquals((0.15 + 0.145 + 0.145) / 0.74, merged.get(0).weight(), 1e-6);
        assertEquals(4, merged.get(0).historyPosition(), "the newest occurrence");
        assertEquals(3, merged.get(1).item());
        assertEquals(1.0, merged.get(0).weight() + merged.get(1).weight(), 1e-6);
        assertEquals(1, Explainer.merged(raw, 1).size());
    }
}
