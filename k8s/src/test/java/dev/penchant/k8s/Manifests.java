package dev.penchant.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Navigating rendered manifests: ids, metadata, pod specs and containers. */
final class Manifests {
    private Manifests() {
    }

    static String id(Map<String, Object> doc) {
        return doc.get("kind") + "/" + metadata(doc).get("name");
    }

    static String kind(Map<String, Object> doc) {
        return (String) doc.get("kind");
    }

    static String name(Map<String, Object> doc) {
        return (String) metadata(doc).get("name");
    }

    static Map<String, Object> metadata(Map<String, Object> doc) {
        return map(doc, "metadata");
    }

    /** The value at a dotted path of map keys, or null where any step is missing. */
    static Object at(Object node, String path) {
        Object current = node;
        for (String key : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> m)) return null;
            current = m.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String path) {
        Object v = at(node, path);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node, String path) {
        Object v = at(node, path);
        if (!(v instanceof List<?> l)) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) if (o instanceof Map) out.add((Map<String, Object>) o);
        return out;
    }

    /** The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job, CronJob), or null. */
    static Map<String, Object> podTemplate(Map<String, Object> doc) {
        return switch (kind(doc)) {
            case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> map(doc, "spec.template");
            case "CronJob" -> map(doc, "spec.jobTemplate.spec.template");
            case "Pod" -> doc;
            default -> null;
        };
    }

    static boolean isWorkload(Map<String, Object> doc) {
        return podTemplate(doc) != null;
    }

    /** Containers and init containers of a workload. */
    static List<Map<String, Object>> containers(Map<String, Object> doc) {
        Map<String, Object> pod = podTemplate(doc);
        List<Map<String, Object>> all = new ArrayList<>(list(pod, "spec.initContainers"));
        all.addAll(list(pod, "spec.containers"));
        return all;
    }

    /** Where two parsed documents first differ (a path and both values), or null when equal. */
    static String firstDifference(Object a, Object b, String path) {
        if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
            for (Object k : ma.keySet()) {
                if (!mb.containsKey(k)) return path + "." + k + ": only in the first";
                String d = firstDifference(ma.get(k), mb.get(k), path + "." + k);
                if (d != null) return d;
            }
            for (Object k : mb.keySet()) if (!ma.containsKey(k)) return path + "." + k + ": only in the second";
            return null;
        }
        if (a instanceof List<?> la && b instanceof List<?> lb) {
            for (int i = 0; i < Math.min(la.size(), lb.size()); i++) {
                String d = firstDifference(la.get(i), lb.get(i), path + "[" + i + "]");
                if (d != null) return d;
            }
            return la.size() == lb.size() ? null : path + ": " + la.size() + " items vs " + lb.size();
        }
        return Objects.equals(a, b) ? null : path + ": " + a + " (" + type(a) + ") vs " + b + " (" + type(b) + ")";
    }

    private static String type(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName();
    }
}
