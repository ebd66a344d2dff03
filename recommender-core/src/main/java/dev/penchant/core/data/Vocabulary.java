package dev.penchant.core.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps external ids to dense indices 0..size-1 in first-seen order; saved with every model. */
public final class Vocabulary {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> ids = new ArrayList<>();

    public int add(String id) {
        Integer existing = index.get(id);
        if (existing != null) return existing;
        index.put(id, ids.size());
        ids.add(id);
        return ids.size() - 1;
    }

    /** Dense index of id, or -1 when unknown. */
    public int indexOf(String id) {
        return index.getOrDefault(id, -1);
    }

    public String idOf(int index) {
        return ids.get(index);
    }

    public int size() {
        return ids.size();
    }

    public List<String> ids() {
        return List.copyOf(ids);
    }

    public static Vocabulary of(List<String> ids) {
        Vocabulary v = new Vocabulary();
        ids.forEach(v::add);
        return v;
    }
}
