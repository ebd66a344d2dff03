package dev.penchant.k8s;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonSyntaxException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Strict schema validation of one rendered manifest. Core kinds go through the Kubernetes API
 * models of io.kubernetes:client-java-api (validateJsonElement rejects unknown fields and missing
 * required ones, recursively; deserialising with strict scalars then rejects values of the wrong
 * type, such as a number where a string belongs). The two custom
 * resources (CloudNativePG Cluster, Prometheus Operator ServiceMonitor) have no model there, so
 * {@link #CNPG_CLUSTER} and {@link #SERVICE_MONITOR} check exactly the fields Penchant uses, as
 * strictly: a field outside them fails, whatever the real CRD allows. A kind with no entry here
 * fails, so nothing reaches a cluster unchecked.
 */
final class Schemas {
    /** A core model: its static validateJsonElement and its class for deserialising. */
    private record Model(Validator validator, Class<?> type) {
    }

    @FunctionalInterface
    private interface Validator {
        void validate(JsonElement json) throws IOException;
    }

    private static final Map<String, Model> CORE = Map.ofEntries(
            Map.entry("apps/v1 Deployment", new Model(V1Deployment::validateJsonElement, V1Deployment.class)),
            Map.entry("v1 Service", new Model(V1Service::validateJsonElement, V1Service.class)),
            Map.entry("v1 ConfigMap", new Model(V1ConfigMap::validateJsonElement, V1ConfigMap.class)),
            Map.entry("v1 Secret", new Model(V1Secret::validateJsonElement, V1Secret.class)),
            Map.entry("v1 ServiceAccount", new Model(V1ServiceAccount::validateJsonElement, V1ServiceAccount.class)),
            Map.entry("batch/v1 Job", new Model(V1Job::validateJsonElement, V1Job.class)),
            Map.entry("networking.k8s.io/v1 Ingress", new Model(V1Ingress::validateJsonElement, V1Ingress.class)),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", new Model(V1NetworkPolicy::validateJsonElement, V1NetworkPolicy.class)),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", new Model(V2HorizontalPodAutoscaler::validateJsonElement, V2HorizontalPodAutoscaler.class)),
            Map.entry("policy/v1 PodDisruptionBudget", new Model(V1PodDisruptionBudget::validateJsonElement, V1PodDisruptionBudget.class)));

    private static final Gson GSON = new Gson();
    /**
     * The client's own Gson (its Quantity, IntOrString and model adapters) with strict scalars: Gson
     * alone reads 5 into a String field and "true" into a boolean, which the API server rejects.
     */
    private static final Gson STRICT = JSON.getGson().newBuilder()
            .registerTypeAdapter(String.class, strict(JsonToken.STRING, JsonReader::nextString, JsonWriter::value))
            .registerTypeAdapter(Boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean, JsonWriter::value))
            .registerTypeAdapter(boolean.class, strict(JsonToken.BOOLEAN, JsonReader::nextBoolean, JsonWriter::value))
            .registerTypeAdapter(Integer.class, strict(JsonToken.NUMBER, JsonReader::nextInt, (w, v) -> w.value(v)))
            .registerTypeAdapter(int.class, strict(JsonToken.NUMBER, JsonReader::nextInt, (w, v) -> w.value(v)))
            .registerTypeAdapter(Long.class, strict(JsonToken.NUMBER, JsonReader::nextLong, (w, v) -> w.value(v)))
            .registerTypeAdapter(long.class, strict(JsonToken.NUMBER, JsonReader::nextLong, (w, v) -> w.value(v)))
            .create();

    private interface Read<T> {
        T read(JsonReader in) throws IOException;
    }

    private interface Write<T> {
        void write(JsonWriter out, T value) throws IOException;
    }

    private static <T> TypeAdapter<T> strict(JsonToken token, Read<T> read, Write<T> write) {
        return new TypeAdapter<>() {
            @Override
            public T read(JsonReader in) throws IOException {
                if (in.peek() == JsonToken.NULL) {
                    in.nextNull();
                    return null;
                }
                if (in.peek() != token) {
                    throw new JsonSyntaxException("expected a " + token.name().toLowerCase(java.util.Locale.ROOT) + " at " + in.getPath() + " but found a "
                            + in.peek().name().toLowerCase(java.util.Locale.ROOT));
                }
                return read.read(in);
            }

            @Override
            public void write(JsonWriter out, T value) throws IOException {
                if (value == null) out.nullValue();
                else write.write(out, value);
            }
        };
    }

    private Schemas() {
    }

    /** Throws IllegalArgumentException naming the resource and the first problem found. */
    static void validate(Map<String, Object> doc) {
        String key = doc.get("apiVersion") + " " + doc.get("kind");
        String what = key + " " + name(doc);
        JsonElement json = GSON.toJsonTree(doc);
        Model model = CORE.get(key);
        try {
            if (model != null) {
                model.validator().validate(json);
                STRICT.fromJson(json, model.type());
            } else if (key.equals("postgresql.cnpg.io/v1 Cluster")) {
                CNPG_CLUSTER.check(doc, "");
            } else if (key.equals("monitoring.coreos.com/v1 ServiceMonitor")) {
                SERVICE_MONITOR.check(doc, "");
            } else {
                throw new IllegalArgumentException("no schema known for " + key);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    private static Object name(Map<String, Object> doc) {
        return doc.get("metadata") instanceof Map<?, ?> m ? m.get("name") : null;
    }

    // --- the custom resources: a small strict structural check -----------------------------------

    /** A shape of a YAML value; check throws IllegalArgumentException naming the path. */
    interface Shape {
        void check(Object value, String path);
    }

    /** An object with exactly these fields allowed; those named in required must be present. */
    record Obj(Map<String, Shape> fields, List<String> required) implements Shape {
        @Override
        public void check(Object value, String path) {
            if (!(value instanceof Map<?, ?> map)) throw new IllegalArgumentException(at(path) + " must be an object");
            for (String r : required) {
                if (!map.containsKey(r)) throw new IllegalArgumentException("missing required field " + at(path + "." + r));
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Shape shape = fields.get(String.valueOf(e.getKey()));
                if (shape == null) {
                    throw new IllegalArgumentException("field " + at(path + "." + e.getKey()) + " is not in the checked schema subset");
                }
                shape.check(e.getValue(), path + "." + e.getKey());
            }
        }
    }

    static final Shape STRING = (v, p) -> {
        if (!(v instanceof String s) || s.isEmpty()) throw new IllegalArgumentException(at(p) + " must be a non-empty string");
    };
    static final Shape POSITIVE_INT = (v, p) -> {
        if (!(v instanceof Integer i) || i < 1) throw new IllegalArgumentException(at(p) + " must be a positive integer");
    };
    /** A Kubernetes quantity, as the API accepts it: "50Gi", "500m", "1". */
    static final Shape QUANTITY = (v, p) -> {
        if (!(v instanceof String s) || !s.matches("[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?")) {
            throw new IllegalArgumentException(at(p) + " must be a quantity string such as 50Gi");
        }
    };
    static final Shape DURATION = (v, p) -> {
        if (!(v instanceof String s) || !s.matches("([0-9]+(ms|s|m|h))+")) throw new IllegalArgumentException(at(p) + " must be a duration such as 30s");
    };
    /** PostgreSQL parameters: CloudNativePG takes every value as a string. */
    static final Shape STRING_MAP = (v, p) -> {
        if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException(at(p) + " must be an object");
        m.forEach((k, x) -> {
            if (!(x instanceof String)) throw new IllegalArgumentException(at(p + "." + k) + " must be a string");
        });
    };
    static final Shape OBJECT_META = model(V1ObjectMeta::validateJsonElement, V1ObjectMeta.class);
    static final Shape LABEL_SELECTOR = model(V1LabelSelector::validateJsonElement, V1LabelSelector.class);
    static final Shape RESOURCES = model(V1ResourceRequirements::validateJsonElement, V1ResourceRequirements.class);

    static Shape constant(String expected) {
        return (v, p) -> {
            if (!expected.equals(v)) throw new IllegalArgumentException(at(p) + " must be " + expected);
        };
    }

    static Shape listOf(Shape item) {
        return (v, p) -> {
            if (!(v instanceof List<?> l) || l.isEmpty()) throw new IllegalArgumentException(at(p) + " must be a non-empty list");
            for (int i = 0; i < l.size(); i++) item.check(l.get(i), p + "[" + i + "]");
        };
    }

    /** A part of a custom resource that is a core type (metadata, selectors, resources): the model checks it. */
    private static Shape model(Validator validator, Class<?> type) {
        return (v, p) -> {
            try {
                JsonElement json = GSON.toJsonTree(v);
                validator.validate(json);
                STRICT.fromJson(json, type);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException(at(p) + ": " + e.getMessage());
            }
        };
    }

    private static String at(String path) {
        return path.isEmpty() ? "the resource" : path.substring(1);
    }

    /** A custom resource: its apiVersion and kind, metadata as the core model checks it, and this spec. */
    private static Obj customResource(String apiVersion, String kind, Obj spec) {
        return new Obj(Map.of("apiVersion", constant(apiVersion), "kind", constant(kind), "metadata", OBJECT_META, "spec", spec),
                List.of("apiVersion", "kind", "metadata", "spec"));
    }

    /** postgresql.cnpg.io/v1 Cluster: the fields of CloudNativePG's Cluster that prod uses. */
    static final Obj CNPG_CLUSTER = customResource("postgresql.cnpg.io/v1", "Cluster", new Obj(Map.of(
            "instances", POSITIVE_INT,
            "imageName", STRING,
            "bootstrap", new Obj(Map.of(
                    "initdb", new Obj(Map.of("database", STRING, "owner", STRING), List.of("database", "owner"))),
                    List.of("initdb")),
            "postgresql", new Obj(Map.of("parameters", STRING_MAP), List.of()),
            "storage", new Obj(Map.of("size", QUANTITY), List.of("size")),
            "resources", RESOURCES),
            List.of("instances", "storage")));

    /** monitoring.coreos.com/v1 ServiceMonitor: the fields of the Prometheus Operator's ServiceMonitor that prod uses. */
    static final Obj SERVICE_MONITOR = customResource("monitoring.coreos.com/v1", "ServiceMonitor", new Obj(Map.of(
            "selector", LABEL_SELECTOR,
            "endpoints", listOf(new Obj(Map.of("port", STRING, "path", STRING, "interval", DURATION), List.of("port")))),
            List.of("selector", "endpoints")));
}
