package dev.penchant.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.penchant.k8s.Manifests.at;
import static dev.penchant.k8s.Manifests.containers;
import static dev.penchant.k8s.Manifests.id;
import static dev.penchant.k8s.Manifests.kind;
import static dev.penchant.k8s.Manifests.list;
import static dev.penchant.k8s.Manifests.map;
import static dev.penchant.k8s.Manifests.name;
import static dev.penchant.k8s.Manifests.podTemplate;

/**
 * Penchant's deployment policy over one rendered overlay: each rule adds a line naming the resource
 * and what is wrong, so a test shows every violation at once.
 */
final class Policy {
    /**
     * Containers allowed a writable root filesystem, by container name, each with its reason. Empty:
     * every node writes only to /tmp and the JavaCPP cache, both emptyDir volumes.
     */
    static final Map<String, String> WRITABLE_ROOT_EXCEPTIONS = Map.of();
    /** Nodes that load TensorFlow and so need the JavaCPP cache volume. */
    static final Set<String> TENSORFLOW_NODES = Set.of("inference-node", "training-worker");
    static final String JAVACPP_CACHE = "/var/cache/penchant-javacpp";
    static final String GPU = "nvidia.com/gpu";
    private static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready", "livenessProbe", "/q/health/live");
    /** Names of settings that hold secrets; their values must come from a Secret. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE|API_?KEY|_KEYS?$|HASH_KEY).*");
    /** A value that carries a secret inline (a password in a URL, a private key). */
    private static final Pattern SECRET_VALUE = Pattern.compile("(?is).*(password=|passwd=|secret=|token=|://[^/@\\s]+:[^/@\\s]+@|-----BEGIN).*");

    private final List<Map<String, Object>> docs;
    private final List<String> violations = new ArrayList<>();

    private Policy(List<Map<String, Object>> docs) {
        this.docs = docs;
    }

    /** Violations of the policy; gpu: the overlay must run the training workers on GPUs (else none may ask for one). */
    static List<String> check(List<Map<String, Object>> docs, boolean gpu) {
        Policy p = new Policy(docs);
        for (Map<String, Object> doc : docs) {
            if (Manifests.isWorkload(doc)) p.workload(doc);
            switch (kind(doc)) {
                case "Secret" -> p.secret(doc);
                case "ConfigMap" -> p.configMap(doc);
                case "Deployment" -> p.deployment(doc);
                case "Service" -> p.service(doc);
                case "HorizontalPodAutoscaler" -> p.autoscaler(doc);
                case "PodDisruptionBudget" -> p.disruptionBudget(doc);
                case "Ingress" -> p.ingress(doc);
                case "ServiceMonitor" -> p.serviceMonitor(doc);
                case "Cluster" -> p.image(doc, "imageName", (String) at(doc, "spec.imageName"));
                default -> {
                }
            }
        }
        p.gpu(gpu);
        p.autoscaledInferenceNode();
        return p.violations;
    }

    private void fail(Map<String, Object> doc, String message) {
        violations.add(id(doc) + ": " + message);
    }

    // --- every workload ----------------------------------------------------------------------------

    private void workload(Map<String, Object> doc) {
        Map<String, Object> podSpec = map(podTemplate(doc), "spec");
        Map<String, Object> podSecurity = map(podSpec, "securityContext");
        if (kind(doc).equals("Job") || kind(doc).equals("CronJob")) {
            Object restart = podSpec.get("restartPolicy");
            if (!"Never".equals(restart) && !"OnFailure".equals(restart)) fail(doc, "a Job's pods need restartPolicy Never or OnFailure");
        }
        if (!"RuntimeDefault".equals(at(podSecurity, "seccompProfile.type"))) fail(doc, "pod securityContext.seccompProfile.type must be RuntimeDefault");
        for (Map<String, Object> c : containers(doc)) {
            String where = "container " + c.get("name") + ": ";
            image(doc, where + "image", (String) c.get("image"));
            resources(doc, where, map(c, "resources"));
            security(doc, where, podSecurity, map(c, "securityContext"), (String) c.get("name"));
            environment(doc, where, c);
            writableDirectories(doc, where, podSpec, c);
        }
        if (containers(doc).isEmpty()) fail(doc, "no containers");
    }

    private void image(Map<String, Object> doc, String where, String image) {
        if (image == null || image.isBlank()) {
            fail(doc, where + " is missing");
            return;
        }
        String reason = ImageRef.parse(image).unpinnedReason();
        if (reason != null) fail(doc, where + " " + image + " " + reason);
    }

    private void resources(Map<String, Object> doc, String where, Map<String, Object> resources) {
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (at(resources, bound + "." + resource) == null) fail(doc, where + "resources." + bound + "." + resource + " is not set");
            }
        }
    }

    private void security(Map<String, Object> doc, String where, Map<String, Object> pod, Map<String, Object> container, String name) {
        if (!Boolean.TRUE.equals(first(container.get("runAsNonRoot"), pod.get("runAsNonRoot")))) fail(doc, where + "runAsNonRoot must be true");
        Object uid = first(container.get("runAsUser"), pod.get("runAsUser"));
        if (!(uid instanceof Integer u) || u <= 0) fail(doc, where + "runAsUser must be a numeric, non-root uid (is " + uid + ")");
        if (!Boolean.FALSE.equals(container.get("allowPrivilegeEscalation"))) fail(doc, where + "allowPrivilegeEscalation must be false");
        Object drop = at(container, "capabilities.drop");
        if (!(drop instanceof List<?> d) || !d.contains("ALL")) fail(doc, where + "capabilities.drop must contain ALL");
        Object seccomp = at(container, "seccompProfile.type");
        if (seccomp != null && !"RuntimeDefault".equals(seccomp)) fail(doc, where + "seccompProfile.type must be RuntimeDefault");
        if (Boolean.TRUE.equals(container.get("privileged"))) fail(doc, where + "must not be privileged");
        if (!Boolean.TRUE.equals(container.get("readOnlyRootFilesystem")) && !WRITABLE_ROOT_EXCEPTIONS.containsKey(name)) {
            fail(doc, where + "readOnlyRootFilesystem must be true (or a listed exception)");
        }
    }

    private static Object first(Object preferred, Object fallback) {
        return preferred != null ? preferred : fallback;
    }

    private void environment(Map<String, Object> doc, String where, Map<String, Object> c) {
        for (Map<String, Object> env : list(c, "env")) {
            String name = String.valueOf(env.get("name"));
            Object value = env.get("value");
            boolean fromSecret = at(env, "valueFrom.secretKeyRef") != null;
            if (SECRET_NAME.matcher(name).matches() && !fromSecret) fail(doc, where + "env " + name + " must come from a secretKeyRef");
            if (value instanceof String s && SECRET_VALUE.matcher(s).matches()) fail(doc, where + "env " + name + " carries a secret inline");
        }
        List<Object> words = new ArrayList<>();
        if (c.get("command") instanceof List<?> l) words.addAll(l);
        if (c.get("args") instanceof List<?> l) words.addAll(l);
        for (Object w : words) {
            if (w instanceof String s && SECRET_VALUE.matcher(s).matches()) fail(doc, where + "command line carries a secret inline");
        }
    }

    /** A read-only root needs somewhere to write: /tmp (and the JavaCPP cache for TensorFlow nodes) on emptyDir. */
    private void writableDirectories(Map<String, Object> doc, String where, Map<String, Object> podSpec, Map<String, Object> c) {
        List<String> needed = new ArrayList<>(List.of("/tmp"));
        if (TENSORFLOW_NODES.contains(name(doc))) needed.add(JAVACPP_CACHE);
        for (String path : needed) {
            Map<String, Object> mount = list(c, "volumeMounts").stream().filter(m -> path.equals(m.get("mountPath"))).findFirst().orElse(null);
            if (mount == null) {
                fail(doc, where + "no volume mounted at " + path);
                continue;
            }
            Map<String, Object> volume = list(podSpec, "volumes").stream().filter(v -> Objects.equals(v.get("name"), mount.get("name")))
                    .findFirst().orElse(Map.of());
            if (!(volume.get("emptyDir") instanceof Map<?, ?> emptyDir)) {
                fail(doc, where + path + " must be an emptyDir volume");
            } else if (emptyDir.get("sizeLimit") == null) {
                fail(doc, where + "the emptyDir at " + path + " needs a sizeLimit");
            }
        }
    }

    // --- secrets and configuration -----------------------------------------------------------------

    private void secret(Map<String, Object> doc) {
        if (doc.get("data") != null || doc.get("stringData") != null) {
            fail(doc, "a Secret with values is committed; reference a Secret the operator creates instead");
        }
    }

    private void configMap(Map<String, Object> doc) {
        for (Map.Entry<String, Object> e : map(doc, "data").entrySet()) {
            if (SECRET_NAME.matcher(e.getKey()).matches()) fail(doc, "key " + e.getKey() + " looks like a secret; keep it in a Secret");
            if (e.getValue() instanceof String s && SECRET_VALUE.matcher(s).matches()) fail(doc, "key " + e.getKey() + " carries a secret inline");
        }
    }

    // --- Deployments, their probes, and what points at them --------------------------------------------

    private void deployment(Map<String, Object> doc) {
        Map<String, Object> selector = map(doc, "spec.selector.matchLabels");
        Map<String, Object> labels = map(podTemplate(doc), "metadata.labels");
        if (selector.isEmpty()) fail(doc, "spec.selector.matchLabels is empty");
        if (at(doc, "spec.selector.matchExpressions") != null) fail(doc, "selector.matchExpressions is not checked; use matchLabels");
        if (!labels.entrySet().containsAll(selector.entrySet())) fail(doc, "selector " + selector + " does not match the template labels " + labels);
        for (Map<String, Object> c : list(podTemplate(doc), "spec.containers")) {
            for (Map.Entry<String, String> probe : PROBES.entrySet()) {
                Map<String, Object> p = map(c, probe.getKey());
                if (p.isEmpty()) {
                    fail(doc, "container " + c.get("name") + ": no " + probe.getKey());
                } else if (!probe.getValue().equals(at(p, "httpGet.path"))) {
                    fail(doc, "container " + c.get("name") + ": " + probe.getKey() + " must GET " + probe.getValue() + " (is " + at(p, "httpGet.path") + ")");
                } else if (!hasPort(c, at(p, "httpGet.port"))) {
                    fail(doc, "container " + c.get("name") + ": " + probe.getKey() + " port " + at(p, "httpGet.port") + " is not a container port");
                }
            }
        }
    }

    private static boolean hasPort(Map<String, Object> container, Object port) {
        return list(container, "ports").stream().anyMatch(p -> Objects.equals(p.get("name"), port) || Objects.equals(p.get("containerPort"), port));
    }

    /** The Deployments whose pods carry every label of the selector. */
    private List<Map<String, Object>> deploymentsSelectedBy(Map<String, Object> selector) {
        if (selector.isEmpty()) return List.of();
        return docs.stream().filter(d -> kind(d).equals("Deployment"))
                .filter(d -> map(podTemplate(d), "metadata.labels").entrySet().containsAll(selector.entrySet())).toList();
    }

    private Map<String, Object> find(String kind, String name) {
        return docs.stream().filter(d -> kind(d).equals(kind) && Objects.equals(name(d), name)).findFirst().orElse(null);
    }

    private void service(Map<String, Object> doc) {
        List<Map<String, Object>> selected = deploymentsSelectedBy(map(doc, "spec.selector"));
        if (selected.isEmpty()) {
            fail(doc, "selector " + map(doc, "spec.selector") + " selects no Deployment's pods");
            return;
        }
        for (Map<String, Object> port : list(doc, "spec.ports")) {
            Object target = port.getOrDefault("targetPort", port.get("port"));
            for (Map<String, Object> d : selected) {
                if (list(podTemplate(d), "spec.containers").stream().noneMatch(c -> hasPort(c, target))) {
                    fail(doc, "targetPort " + target + " is not a port of " + id(d));
                }
            }
        }
    }

    private void autoscaler(Map<String, Object> doc) {
        Map<String, Object> ref = map(doc, "spec.scaleTargetRef");
        Map<String, Object> target = "apps/v1".equals(ref.get("apiVersion")) && "Deployment".equals(ref.get("kind"))
                ? find("Deployment", (String) ref.get("name")) : null;
        if (target == null) {
            fail(doc, "scaleTargetRef " + ref + " is not a Deployment here");
            return;
        }
        if (at(target, "spec.replicas") != null) fail(doc, id(target) + " sets spec.replicas, which every apply would reset under the autoscaler");
        boolean cpu = list(doc, "spec.metrics").stream().anyMatch(m -> "Resource".equals(m.get("type")) && "cpu".equals(at(m, "resource.name")));
        if (!cpu) fail(doc, "does not scale on CPU");
        for (Map<String, Object> c : list(podTemplate(target), "spec.containers")) {
            if (at(c, "resources.requests.cpu") == null) fail(doc, "CPU utilisation needs cpu requests on " + id(target) + " container " + c.get("name"));
        }
    }

    private void autoscaledInferenceNode() {
        boolean scaled = docs.stream().anyMatch(d -> kind(d).equals("HorizontalPodAutoscaler")
                && "Deployment".equals(at(d, "spec.scaleTargetRef.kind")) && "inference-node".equals(at(d, "spec.scaleTargetRef.name")));
        if (!scaled) violations.add("no HorizontalPodAutoscaler targets the inference-node Deployment");
        boolean budget = docs.stream().anyMatch(d -> kind(d).equals("PodDisruptionBudget")
                && deploymentsSelectedBy(map(d, "spec.selector.matchLabels")).stream().anyMatch(x -> name(x).equals("inference-node")));
        if (!budget) violations.add("no PodDisruptionBudget covers the inference-node pods");
    }

    private void disruptionBudget(Map<String, Object> doc) {
        if (deploymentsSelectedBy(map(doc, "spec.selector.matchLabels")).isEmpty()) fail(doc, "selects no Deployment's pods");
    }

    private void ingress(Map<String, Object> doc) {
        for (Map<String, Object> rule : list(doc, "spec.rules")) {
            for (Map<String, Object> path : list(rule, "http.paths")) {
                Map<String, Object> backend = map(path, "backend.service");
                Map<String, Object> service = find("Service", (String) backend.get("name"));
                if (service == null) {
                    fail(doc, "backend " + backend.get("name") + " is not a Service here");
                    continue;
                }
                Object port = first(at(backend, "port.name"), at(backend, "port.number"));
                boolean exists = list(service, "spec.ports").stream().anyMatch(p -> Objects.equals(p.get("name"), port) || Objects.equals(p.get("port"), port));
                if (!exists) fail(doc, "backend port " + port + " is not a port of " + id(service));
                if (String.valueOf(path.get("path")).startsWith("/q")) fail(doc, "exposes " + path.get("path") + " (health, metrics) outside the cluster");
            }
        }
    }

    private void serviceMonitor(Map<String, Object> doc) {
        Map<String, Object> selector = map(doc, "spec.selector.matchLabels");
        List<Map<String, Object>> services = docs.stream().filter(d -> kind(d).equals("Service"))
                .filter(s -> !selector.isEmpty() && map(s, "metadata.labels").entrySet().containsAll(selector.entrySet())).toList();
        if (services.isEmpty()) fail(doc, "selects no Service");
        for (Map<String, Object> endpoint : list(doc, "spec.endpoints")) {
            for (Map<String, Object> s : services) {
                if (list(s, "spec.ports").stream().noneMatch(p -> Objects.equals(p.get("name"), endpoint.get("port")))) {
                    fail(doc, "endpoint port " + endpoint.get("port") + " is not a named port of " + id(s));
                }
            }
            if (!"/q/metrics".equals(endpoint.get("path"))) fail(doc, "endpoint path must be /q/metrics");
        }
    }

    // --- GPUs ----------------------------------------------------------------------------------------

    private void gpu(boolean expected) {
        for (Map<String, Object> doc : docs) {
            if (!Manifests.isWorkload(doc)) continue;
            boolean asks = containers(doc).stream().anyMatch(c -> map(c, "resources.limits").containsKey(GPU) || map(c, "resources.requests").containsKey(GPU));
            if (!expected || !name(doc).equals("training-worker")) {
                if (asks) fail(doc, "asks for " + GPU + " outside the GPU overlay's training workers");
                continue;
            }
            Map<String, Object> podSpec = map(podTemplate(doc), "spec");
            for (Map<String, Object> c : containers(doc)) {
                Object limit = map(c, "resources.limits").get(GPU);
                Object request = map(c, "resources.requests").get(GPU);
                if (limit == null || request == null) fail(doc, "container " + c.get("name") + " must request and limit " + GPU);
                else if (!Objects.equals(String.valueOf(limit), String.valueOf(request))) fail(doc, GPU + " request and limit must be equal");
            }
            if (map(podSpec, "nodeSelector").isEmpty()) fail(doc, "GPU pods need a nodeSelector for GPU nodes");
            boolean tolerates = list(podSpec, "tolerations").stream().anyMatch(t -> GPU.equals(t.get("key")));
            if (!tolerates) fail(doc, "GPU pods need a toleration for the " + GPU + " taint");
            boolean gpuImage = containers(doc).stream().allMatch(c -> String.valueOf(c.get("image")).contains("-gpu"));
            if (!gpuImage) fail(doc, "GPU pods need the GPU image (training-worker-gpu)");
        }
    }
}
