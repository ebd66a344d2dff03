package dev.penchant.k8s;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** RFC 6902 operations add, replace, remove and test on parsed YAML (maps and lists), RFC 6901 pointers. */
final class JsonPatch {
    private JsonPatch() {
    }

    @SuppressWarnings("unchecked")
    static void apply(Object doc, Map<String, Object> op) {
        String kind = (String) op.get("op");
        String path = (String) op.get("path");
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("JSON patch path must start with '/': " + op);
        List<String> tokens = tokens(path);
        Object parent = doc;
        for (String token : tokens.subList(0, tokens.size() - 1)) parent = child(parent, token, path);
        String last = tokens.get(tokens.size() - 1);
        switch (kind) {
            case "add" -> {
                Object value = copy(op.get("value"));
                if (parent instanceof Map<?, ?> m) {
                    ((Map<String, Object>) m).put(last, value);
                } else {
                    List<Object> list = (List<Object>) parent;
                    int index = last.equals("-") ? list.size() : index(last, list.size() + 1, path);
                    list.add(index, value);
                }
            }
            case "replace" -> {
                Object value = copy(op.get("value"));
                if (parent instanceof Map<?, ?> m) {
                    if (!m.containsKey(last)) throw new IllegalArgumentException("replace of a missing member: " + path);
                    ((Map<String, Object>) m).put(last, value);
                } else {
                    List<Object> list = (List<Object>) parent;
                    list.set(index(last, list.size(), path), value);
                }
            }
            case "remove" -> {
                if (parent instanceof Map<?, ?> m) {
                    if (!m.containsKey(last)) throw new IllegalArgumentException("remove of a missing member: " + path);
                    m.remove(last);
                } else {
                    List<Object> list = (List<Object>) parent;
                    list.remove(index(last, list.size(), path));
                }
            }
            case "test" -> {
                Object actual = child(parent, last, path);
                if (!actual.equals(op.get("value"))) {
                    throw new IllegalArgumentException("JSON patch test failed at " + path + ": " + actual + " is not " + op.get("value"));
                }
            }
            default -> throw new UnsupportedOperationException("JSON patch op '" + kind + "' is outside the subset");
        }
    }

    private static Object child(Object node, String token, String path) {
        if (node instanceof Map<?, ?> m) {
            if (!m.containsKey(token)) throw new IllegalArgumentException("JSON patch path does not exist: " + path);
            return m.get(token);
        }
        if (node instanceof List<?> l) return l.get(index(token, l.size(), path));
        throw new IllegalArgumentException("JSON patch path runs through a scalar: " + path);
    }

    private static int index(String token, int bound, String path) {
        if (!token.matches("0|[1-9]\\d*")) throw new IllegalArgumentException("not a list index: " + token + " in " + path);
        int i = Integer.parseInt(token);
        if (i >= bound) throw new IllegalArgumentException("list index out of range: " + path);
        return i;
    }

    private static List<String> tokens(String path) {
        List<String> tokens = new ArrayList<>();
        for (String raw : path.substring(1).split("/", -1)) tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        return tokens;
    }

    @SuppressWarnings("unchecked")
    static Object copy(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) m).forEach((k, v) -> out.put(k, copy(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) out.add(copy(o));
            return out;
        }
        return value;
    }
}
