package dev.penchant.admin;

import io.quarkus.qute.TemplateExtension;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/** How pages print numbers and times (Qute template extensions). */
@TemplateExtension(namespace = "f")
public final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Formats() {
    }

    public static String fmt(Double d) {
        return d == null || d.isNaN() ? "—" : String.format(Locale.ROOT, "%.4f", d);
    }

    public static String num(Double d, int digits) {
        return d == null || d.isNaN() ? "—" : String.format(Locale.ROOT, "%." + digits + "f", d);
    }

    public static String pct(Double d) {
        return d == null || d.isNaN() ? "—" : String.format(Locale.ROOT, "%.1f%%", d * 100);
    }

    /** A bound as the input's min/max attribute: no ".0" on whole numbers. */
    public static String plain(Double d) {
        if (d == null) return null;
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString(d.longValue());
        return new java.math.BigDecimal(d).stripTrailingZeros().toPlainString();
    }

    public static String time(Instant t) {
        return t == null ? "—" : TIME.format(t) + " UTC";
    }

    public static String join(Collection<?> c) {
        return c == null ? "" : String.join(", ", c.stream().map(String::valueOf).toList());
    }

    /** A small map as "k=v, k=v" (hyperparameters, lineage). */
    public static String kv(Map<String, Object> m) {
        if (m == null || m.isEmpty()) return "—";
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append('=').append(v));
        return b.toString();
    }

    /** The value or null (for {#if}). */
    public static Object opt(Map<String, Object> m, String key) {
        return m == null ? null : m.get(key);
    }

    public static Object get(Map<String, Object> m, String key) {
        Object v = m == null ? null : m.get(key);
        return v == null ? "—" : v;
    }
}
