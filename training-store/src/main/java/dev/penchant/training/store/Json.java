package dev.penchant.training.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** jsonb columns to and from Java maps. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static String write(Object o) {
        try {
            return MAPPER.writeValueAsString(o == null ? Map.of() : o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static Map<String, Object> objectMap(String json) {
        if (json == null) return null;
        try {
            return MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad json in database: " + e.getOriginalMessage(), e);
        }
    }

    /** A JSON object of scalar values as strings (how training settings are passed on). */
    public static Map<String, String> stringMap(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            MAPPER.readTree(json).properties().forEach(e -> {
                JsonNode v = e.getValue();
                out.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bad json object in database: " + e.getOriginalMessage(), e);
        }
        return out;
    }
}
