package dev.penchant.core.preprocess;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every preprocessing step in order, with its parameters and what it did (counts, means, fills),
 * so a model artefact records exactly how its inputs were made. Serialises to JSON with Jackson.
 */
public final class PreprocessingReport {
    /** One step: its name, the settings it ran with and its outcome. */
    public record Step(String name, Map<String, Object> parameters, Map<String, Object> result) {
    }

    private final String source;
    private final List<Step> steps = new ArrayList<>();

    public PreprocessingReport(String source) {
        this.source = source;
    }

    public String getSource() {
        return source;
    }

    public List<Step> getSteps() {
        return List.copyOf(steps);
    }

    Step add(String name, Map<String, Object> parameters, Map<String, Object> result) {
        Step s = new Step(name, new LinkedHashMap<>(parameters), new LinkedHashMap<>(result));
        steps.add(s);
        return s;
    }

    /** The first step with this name, or null. */
    public Step step(String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    public String toJson() {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(Path file) {
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
