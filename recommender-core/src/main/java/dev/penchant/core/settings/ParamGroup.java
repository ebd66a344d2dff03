package dev.penchant.core.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Declared settings under one key prefix ("" for a model's hyperparameters, "data.", "split.",
 * "eval.") with the checks every caller shares: unknown keys (with the closest known name), wrong
 * types, values out of range.
 */
public record ParamGroup(String prefix, String description, List<Param> params) {
    public ParamGroup {
        params = List.copyOf(params);
        Map<String, Param> seen = new LinkedHashMap<>();
        for (Param p : params) {
            if (seen.put(p.name(), p) != null) throw new IllegalStateException("setting '" + prefix + p.name() + "' declared twice");
            if (p.defaultValue() != null) p.parse(p.defaultValue()); // a bad declaration fails at class initialisation
        }
    }

    public Param param(String name) {
        for (Param p : params) if (p.name().equals(name)) return p;
        return null;
    }

    /** Full keys of this group, prefix included. */
    public List<String> keys() {
        return params.stream().map(p -> prefix + p.name()).toList();
    }

    /**
     * Checks settings of this group (keys without the prefix) and adds a problem per bad key.
     *
     * @param allKeys every key the caller accepts (all groups, prefixed): unknown keys are matched against them
     */
    public void check(Map<String, String> settings, Collection<String> allKeys, List<SettingProblem> out) {
        settings.forEach((k, v) -> {
            Param p = param(k);
            String key = prefix + k;
            if (p == null) {
                out.add(new SettingProblem(key, unknown(key, allKeys)));
                return;
            }
            try {
                p.parse(v);
            } catch (IllegalArgumentException e) {
                out.add(new SettingProblem(key, e.getMessage()));
            }
        });
    }

    /** Typed values of the given settings plus the declared defaults (null where there is none). */
    public Map<String, Object> values(Map<String, String> settings) {
        List<SettingProblem> problems = new ArrayList<>();
        check(settings, keys(), problems);
        if (!problems.isEmpty()) throw new InvalidSettingsException(problems);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : params) {
            String raw = settings.containsKey(p.name()) ? settings.get(p.name()) : p.defaultValue();
            out.put(p.name(), raw == null ? null : p.parse(raw));
        }
        return out;
    }

    private String unknown(String key, Collection<String> allKeys) {
        String bare = key.substring(prefix.length());
        for (Param p : params)
            if (p.formerNames().contains(bare)) return "renamed: use '" + prefix + p.name() + "'";
        String hint = closest(key, allKeys);
        return "unknown setting" + (description.isEmpty() ? "" : " for " + description) + (hint == null ? "" : "; did you mean '" + hint + "'?");
    }

    /** The known name closest to name (edit distance, ignoring case and the prefix), or null when none is close. */
    public static String closest(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String n = name.toLowerCase(Locale.ROOT);
        for (String k : known) {
            String c = k.toLowerCase(Locale.ROOT);
            int d = Math.min(distance(n, c), distance(n, c.substring(c.indexOf('.') + 1)));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int allowed = Math.max(2, n.length() / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
