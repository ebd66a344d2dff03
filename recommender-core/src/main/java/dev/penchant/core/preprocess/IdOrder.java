package dev.penchant.core.preprocess;

import java.util.Comparator;

/**
 * Order of external ids in the vocabularies: integers numerically, then other ids as strings. Sorting
 * (instead of first-seen order) makes indices independent of the order of the input file. Sequence
 * order does not use it: equal timestamps keep the recorded order (see {@link Preprocessor}).
 */
final class IdOrder implements Comparator<String> {
    static final IdOrder INSTANCE = new IdOrder();

    @Override
    public int compare(String a, String b) {
        Long x = asLong(a);
        Long y = asLong(b);
        if (x != null && y != null) return x.compareTo(y);
        if (x != null) return -1;
        if (y != null) return 1;
        return a.compareTo(b);
    }

    private static Long asLong(String s) {
        if (s.isEmpty() || s.length() > 18) return null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return null;
        }
        // leading zeros would make "01" and "1" equal numerically; keep those as strings
        if (s.length() > 1 && s.charAt(0) == '0') return null;
        return Long.parseLong(s);
    }
}
