package dev.penchant.core.settings;

import java.util.List;
import java.util.stream.Collectors;

/** Settings that do not match their declarations; each problem names its key. */
public final class InvalidSettingsException extends IllegalArgumentException {
    private final transient List<SettingProblem> problems;

    public InvalidSettingsException(List<SettingProblem> problems) {
        super(problems.stream().map(SettingProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<SettingProblem> problems() {
        return problems;
    }
}
