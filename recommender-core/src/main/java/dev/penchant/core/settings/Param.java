package dev.penchant.core.settings;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One declared setting: its name, type, default, allowed range or choices and a one-line meaning.
 * Declarations are plain data (no model code), so a node without the models (platform-api, the
 * admin console) can validate and describe them.
 *
 * @param defaultValue the default as text; null when there is none: then {@code defaultNote} says what
 *                     happens (e.g. "from the data: ..." or "none: every interaction kept")
 * @param min          inclusive lower bound of numbers (of each element of a list); null = unbounded
 * @param max          inclusive upper bound; null = unbounded
 * @param choices      the allowed values of a CHOICE (each element of a list of choices)
 * @param formerNames  names this setting had before (refused, but the message names the new one)
 */
public record Param(String name, Type type, String defaultValue, String defaultNote, Double min, Double max,
                    List<String> choices, String meaning, List<String> formerNames) {

    public enum Type {
        INT("integer"), DOUBLE("number"), BOOLEAN("boolean"), STRING("text"), CHOICE("choice"),
        INT_LIST("comma list of integers"), CHOICE_LIST("comma list"), STRING_LIST("comma list");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Param {
        choices = choices == null ? List.of() : List.copyOf(choices);
        formerNames = formerNames == null ? List.of() : List.copyOf(formerNames);
    }

    public static Param integer(String name, int defaultValue, int min, int max, String meaning) {
        return new Param(name, Type.INT, String.valueOf(defaultValue), null, (double) min, (double) max, null, meaning, null);
    }

    public static Param number(String name, double defaultValue, double min, double max, String meaning) {
        return new Param(name, Type.DOUBLE, String.valueOf(defaultValue), null, min, max, null, meaning, null);
    }

    /** A number without bounds (a threshold on the data's own scale). */
    public static Param anyNumber(String name, double defaultValue, String meaning) {
        return new Param(name, Type.DOUBLE, String.valueOf(defaultValue), null, null, null, null, meaning, null);
    }

    public static Param flag(String name, boolean defaultValue, String meaning) {
        return new Param(name, Type.BOOLEAN, String.valueOf(defaultValue), null, null, null, null, meaning, null);
    }

    public static Param choice(String name, String defaultValue, List<String> choices, String meaning) {
        return new Param(name, Type.CHOICE, defaultValue, null, null, null, choices, meaning, null);
    }

    public static Param integers(String name, String defaultValue, int min, int max, String meaning) {
        return new Param(name, Type.INT_LIST, defaultValue, null, (double) min, (double) max, null, meaning, null);
    }

    public static Param choices(String name, String defaultValue, List<String> choices, String meaning) {
        return new Param(name, Type.CHOICE_LIST, defaultValue, null, null, null, choices, meaning, null);
    }

    public static Param texts(String name, String defaultValue, String meaning) {
        return new Param(name, Type.STRING_LIST, defaultValue, null, null, null, null, meaning, null);
    }

    /** The same setting without a fixed default; note says what is used instead. */
    public Param noDefault(String note) {
        return new Param(name, type, null, note, min, max, choices, meaning, formerNames);
    }

    /** The same setting with another default (a model that needs more epochs, a smaller batch, ...). */
    public Param withDefault(String value) {
        return new Param(name, type, value, null, min, max, choices, meaning, formerNames);
    }

    public Param formerly(String... names) {
        return new Param(name, type, defaultValue, defaultNote, min, max, choices, meaning, List.of(names));
    }

    /**
     * The typed value of raw text: Integer, Double, Boolean, String, int[] or List&lt;String&gt;.
     *
     * @throws IllegalArgumentException with a message that says what is allowed (without the key)
     */
    public Object parse(String raw) {
        String s = raw == null ? "" : raw.trim();
        switch (type) {
            case INT -> {
                long v;
                try {
                    v = Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be an integer" + range() + ", got '" + raw + "'");
                }
                checkRange(v, raw);
                return (int) v;
            }
            case DOUBLE -> {
                double v;
                try {
                    v = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a number" + range() + ", got '" + raw + "'");
                }
                if (!Double.isFinite(v)) throw new IllegalArgumentException("must be a finite number, got '" + raw + "'");
                checkRange(v, raw);
                return v;
            }
            case BOOLEAN -> {
                if (s.equalsIgnoreCase("true")) return true;
                if (s.equalsIgnoreCase("false")) return false;
                throw new IllegalArgumentException("must be true or false, got '" + raw + "'");
            }
            case STRING -> {
                return s;
            }
            case CHOICE -> {
                if (!choices.contains(s)) throw new IllegalArgumentException("must be one of " + String.join(", ", choices) + ", got '" + raw + "'");
                return s;
            }
            case INT_LIST -> {
                List<String> parts = split(s);
                if (parts.isEmpty()) throw new IllegalArgumentException("must be a comma list of integers" + range() + ", got '" + raw + "'");
                int[] out = new int[parts.size()];
                for (int i = 0; i < out.length; i++) {
                    long v;
                    try {
                        v = Long.parseLong(parts.get(i));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("must be a comma list of integers" + range() + ", got '" + raw + "'");
                    }
                    checkRange(v, raw);
                    out[i] = (int) v;
                }
                return out;
            }
            case CHOICE_LIST -> {
                List<String> parts = split(s);
                for (String p : parts)
                    if (!choices.contains(p)) throw new IllegalArgumentException("'" + p + "' is not one of " + String.join(", ", choices));
                return parts;
            }
            case STRING_LIST -> {
                return split(s);
            }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    private void checkRange(double v, String raw) {
        if ((min != null && v < min) || (max != null && v > max))
            throw new IllegalArgumentException("must be" + range() + ", got " + raw.trim());
    }

    private String range() {
        if (min == null && max == null) return "";
        if (max == null) return " >= " + fmt(min);
        if (min == null) return " <= " + fmt(max);
        return " in " + fmt(min) + ".." + fmt(max);
    }

    /** What is allowed, for listings: "1..4096", "softmax|bce", "true|false". */
    public String allowed() {
        return switch (type) {
            case BOOLEAN -> "true|false";
            case CHOICE -> String.join("|", choices);
            case CHOICE_LIST -> "list of " + String.join("|", choices);
            case STRING, STRING_LIST -> type.label();
            default -> (type == Type.INT_LIST ? "list, each " : "") + (min == null && max == null ? type.label()
                    : (min == null ? "" : fmt(min)) + ".." + (max == null ? "" : fmt(max)));
        };
    }

    /** The default for listings: the value, or the note when the default is not fixed. */
    public String defaultText() {
        if (defaultValue != null) return defaultValue.isEmpty() ? "(empty)" : defaultValue;
        return defaultNote == null ? "none" : defaultNote;
    }

    private static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        return new java.math.BigDecimal(d, java.math.MathContext.DECIMAL64).stripTrailingZeros().toPlainString();
    }

    static List<String> split(String s) {
        if (s == null || s.isBlank()) return List.of();
        return new ArrayList<>(Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList());
    }
}
