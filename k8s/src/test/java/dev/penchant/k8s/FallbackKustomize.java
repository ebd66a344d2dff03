package dev.penchant.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A kustomize for exactly the subset Penchant's overlays use, for machines without kubectl:
 * {@code resources} (files and directories), {@code namespace}, {@code replicas}, {@code images}
 * and {@code patches} holding JSON 6902 operations (add, replace, remove, test) with a
 * {@code target} of kind and name. Anything else fails loudly instead of rendering differently.
 * Transformers run in kustomize's order (patches, namespace, replicas, images) and the output is in
 * kustomize's default ("legacy") order. KustomizeRenderTest checks that it equals kubectl's output
 * for every overlay.
 */
final class FallbackKustomize {
    private static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "replicas", "images", "patches");
    private static final Set<String> WORKLOADS_WITH_REPLICAS = Set.of("Deployment", "ReplicaSet", "ReplicationController", "StatefulSet");
    /** Kinds the namespace transformer leaves alone; none is in the subset, so meeting one is an error. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
            "PersistentVolume", "StorageClass", "PriorityClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "IngressClass");
    /** kustomize's legacy order: these kinds first, in this order, the webhook configurations last. */
    private static final List<String> ORDER_FIRST = List.of("Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition",
            "ServiceAccount", "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
            "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment",
            "StatefulSet", "CronJob", "PodDisruptionBudget");
    private static final List<String> ORDER_LAST = List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
    private static final Pattern PLAIN_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

    private FallbackKustomize() {
    }

    static List<Map<String, Object>> render(Path dir) {
        List<Map<String, Object>> docs = build(dir.toAbsolutePath().normalize());
        docs.sort(LEGACY_ORDER);
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> build(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.exists(file)) throw new UnsupportedOperationException("no kustomization.yaml in " + dir);
        Map<String, Object> k = (Map<String, Object>) Repo.load(Repo.read(file));
        for (String field : k.keySet()) {
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new UnsupportedOperationException(file + ": '" + field + "' is outside the fallback renderer's subset");
            }
        }
        require("kustomize.config.k8s.io/v1beta1".equals(k.get("apiVersion")) && "Kustomization".equals(k.get("kind")),
                file + ": apiVersion/kind must be kustomize.config.k8s.io/v1beta1 Kustomization");

        List<Map<String, Object>> docs = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Object entry : list(k.get("resources"))) {
            Path p = dir.resolve((String) entry).normalize();
            List<Map<String, Object>> loaded = Files.isDirectory(p) ? build(p) : Repo.documents(Repo.read(p));
            for (Map<String, Object> doc : loaded) {
                require(ids.add(id(doc)), dir + ": resource " + id(doc) + " is defined twice");
                docs.add(doc);
            }
        }
        for (Object entry : list(k.get("patches"))) patch(dir, (Map<String, Object>) entry, docs);
        if (k.get("namespace") != null) {
            String ns = (String) k.get("namespace");
            for (Map<String, Object> doc : docs) {
                if (CLUSTER_SCOPED.contains(doc.get("kind"))) {
                    throw new UnsupportedOperationException("namespace on the cluster-scoped " + id(doc) + " is outside the subset");
                }
                map(doc, "metadata").put("namespace", ns);
            }
        }
        for (Object entry : list(k.get("replicas"))) replicas((Map<String, Object>) entry, docs);
        for (Object entry : list(k.get("images"))) images((Map<String, Object>) entry, docs);
        return docs;
    }

    @SuppressWarnings("unchecked")
    private static void patch(Path dir, Map<String, Object> entry, List<Map<String, Object>> docs) {
        require(Set.of("path", "target").containsAll(entry.keySet()) && entry.containsKey("path") && entry.containsKey("target"),
                dir + ": only patches with a path and a target are in the subset: " + entry);
        Map<String, Object> target = (Map<String, Object>) entry.get("target");
        require(Set.of("kind", "name").equals(target.keySet()), dir + ": a patch target names exactly kind and name: " + target);
        String name = (String) target.get("name");
        // kustomize reads a target name as a regular expression; the subset keeps to plain names
        require(PLAIN_NAME.matcher(name).matches(), dir + ": patch target name is not a plain name: " + name);
        Object ops = Repo.load(Repo.read(dir.resolve((String) entry.get("path"))));
        if (!(ops instanceof List)) {
            throw new UnsupportedOperationException(dir + ": strategic merge patches are outside the subset (" + entry.get("path") + ")");
        }
        int matched = 0;
        for (Map<String, Object> doc : docs) {
            if (target.get("kind").equals(doc.get("kind")) && name.equals(map(doc, "metadata").get("name"))) {
                matched++;
                for (Object op : (List<Object>) ops) JsonPatch.apply(doc, (Map<String, Object>) op);
            }
        }
        require(matched > 0, dir + ": patch " + entry.get("path") + " matches no resource");
    }

    @SuppressWarnings("unchecked")
    private static void replicas(Map<String, Object> entry, List<Map<String, Object>> docs) {
        require(Set.of("name", "count").equals(entry.keySet()), "replicas entries name exactly name and count: " + entry);
        int matched = 0;
        for (Map<String, Object> doc : docs) {
            if (WORKLOADS_WITH_REPLICAS.contains(doc.get("kind")) && entry.get("name").equals(map(doc, "metadata").get("name"))) {
                ((Map<String, Object>) doc.computeIfAbsent("spec", x -> new LinkedHashMap<>())).put("replicas", entry.get("count"));
                matched++;
            }
        }
        require(matched > 0, "replicas for " + entry.get("name") + " match no workload");
    }

    private static void images(Map<String, Object> entry, List<Map<String, Object>> docs) {
        require(entry.containsKey("name") && Set.of("name", "newName", "newTag", "digest").containsAll(entry.keySet()),
                "images entries have a name and newName / newTag / digest: " + entry);
        for (Map<String, Object> doc : docs) retag(doc, entry);
    }

    /** kustomize rewrites the image of every container and init container, wherever it sits. */
    @SuppressWarnings("unchecked")
    private static void retag(Object node, Map<String, Object> entry) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof List<?> cs) {
                    for (Object c : cs) {
                        if (c instanceof Map<?, ?> container && container.get("image") instanceof String image) {
                            ((Map<String, Object>) container).put("image", retagged(image, entry));
                        }
                    }
                } else {
                    retag(e.getValue(), entry);
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) retag(o, entry);
        }
    }

    static String retagged(String image, Map<String, Object> entry) {
        ImageRef ref = ImageRef.parse(image);
        if (!ref.name().equals(entry.get("name"))) return image;
        String name = entry.containsKey("newName") ? (String) entry.get("newName") : ref.name();
        if (entry.containsKey("digest")) return name + "@" + entry.get("digest");
        if (entry.containsKey("newTag")) return name + ":" + entry.get("newTag");
        return name + (ref.tag() != null ? ":" + ref.tag() : "") + (ref.digest() != null ? "@" + ref.digest() : "");
    }

    private static final Comparator<Map<String, Object>> LEGACY_ORDER = Comparator
            .comparingInt((Map<String, Object> d) -> rank((String) d.get("kind")))
            .thenComparing(FallbackKustomize::gvk)
            .thenComparing(d -> Objects.toString(map(d, "metadata").get("namespace"), ""))
            .thenComparing(d -> Objects.toString(map(d, "metadata").get("name"), ""));

    private static int rank(String kind) {
        int first = ORDER_FIRST.indexOf(kind);
        if (first >= 0) return first - ORDER_FIRST.size();
        int last = ORDER_LAST.indexOf(kind);
        return last >= 0 ? last + 1 : 0;
    }

    /** kustomize's Gvk.String(): group_version_kind, "~G" for the core group. */
    private static String gvk(Map<String, Object> doc) {
        String apiVersion = (String) doc.get("apiVersion");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "~G" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return group + "_" + version + "_" + doc.get("kind");
    }

    private static String id(Map<String, Object> doc) {
        return doc.get("apiVersion") + "/" + doc.get("kind") + "/" + map(doc, "metadata").get("namespace") + "/" + map(doc, "metadata").get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> doc, String key) {
        Object v = doc.get(key);
        if (!(v instanceof Map)) throw new IllegalArgumentException("resource without " + key + ": " + doc);
        return (Map<String, Object>) v;
    }

    private static List<?> list(Object value) {
        return value == null ? List.of() : (List<?>) value;
    }

    private static void require(boolean condition, String message) {
        if (!condition) throw new UnsupportedOperationException(message);
    }
}
