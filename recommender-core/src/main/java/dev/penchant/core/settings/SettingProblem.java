package dev.penchant.core.settings;

/** One refused setting: the key it concerns (as given, prefix included) and why. */
public record SettingProblem(String key, String message) {
    @Override
    public String toString() {
        return key + ": " + message;
    }
}
