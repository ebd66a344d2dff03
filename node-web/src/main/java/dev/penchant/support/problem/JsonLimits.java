package dev.penchant.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.Map;

/**
 * Checks a free-form JSON value (attributes, context) before it is stored: its serialized size, and
 * no U+0000 anywhere in it, keys included (jsonb rejects it). Null when fine, else the message.
 */
public final class JsonLimits {
    /** The size every free-form object may have, serialized: user and item attributes, event context. */
    public static final int MAX_OBJECT_CHARS = 16 * 1024;
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private JsonLimits() {
    }

    public static String check(Object value, int maxChars) {
        if (value == null) return null;
        if (containsNul(value)) return ProblemMappers.NUL_MESSAGE;
        try {
            int size = PLAIN.writeValueAsString(value).length();
            return size > maxChars ? "larger than " + maxChars + " characters serialized (" + size + ")" : null;
        } catch (JsonProcessingException e) {
            return "not serializable as JSON";
        }
    }

    static boolean containsNul(Object v) {
        if (v instanceof CharSequence s) return s.toString().indexOf('\u0000') >= 0;
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (containsNul(e.getKey()) || containsNul(e.getValue())) return true;
            }
            return false;
        }
        if (v instanceof Collection<?> c) {
            for (Object o : c) {
                if (containsNul(o)) return true;
            }
        }
        return false;
    }
}
