package dev.penchant.serving.catalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Content vectors of the catalogue for cold items and content-based similar items: TF-IDF over the
 * title and description tokens plus one token per category (categories carry much of the signal on
 * short titles), smooth idf ln((1+N)/(1+df))+1, rows L2-normalised, stored sparse.
 */
public final class ContentIndex {
    private static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
            "in", "is", "it", "of", "on", "or", "that", "the", "this", "to", "was", "with", "de", "la", "le", "les", "il");

    /** A sparse L2-normalised vector: term ids ascending, weights. */
    public record Vector(int[] terms, float[] weights) {
        static final Vector EMPTY = new Vector(new int[0], new float[0]);

        public double dot(Vector o) {
            double s = 0;
            int i = 0, j = 0;
            while (i < terms.length && j < o.terms.length) {
                if (terms[i] == o.terms[j]) s += weights[i++] * o.weights[j++];
                else if (terms[i] < o.terms[j]) i++;
                else j++;
            }
            return s;
        }

        public boolean isEmpty() {
            return terms.length == 0;
        }
    }

    /** Text of one item as the catalogue holds it. */
    public record Doc(String itemId, String title, String description, Collection<String> categories) {
    }

    private final Map<String, Vector> vectors;

    private ContentIndex(Map<String, Vector> vectors) {
        this.vectors = vectors;
    }

    public static ContentIndex build(List<Doc> docs) {
        List<List<String>> tokens = new ArrayList<>(docs.size());
        Map<String, Integer> df = new HashMap<>();
        for (Doc d : docs) {
            List<String> t = tokens(d);
            tokens.add(t);
            for (String term : new java.util.HashSet<>(t)) df.merge(term, 1, Integer::sum);
        }
        Map<String, Integer> ids = new HashMap<>();
        List<String> names = new ArrayList<>();
        int n = docs.size();
        Map<String, Vector> out = new HashMap<>(n * 2);
        for (int r = 0; r < n; r++) {
            Map<Integer, Float> w = new HashMap<>();
            for (String term : tokens.get(r)) {
                Integer id = ids.get(term);
                if (id == null) {
                    id = names.size();
                    ids.put(term, id);
                    names.add(term);
                }
                w.merge(id, 1f, Float::sum);
            }
            int[] terms = w.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            float[] weights = new float[terms.length];
            double norm = 0;
            List<String> t = tokens.get(r);
            for (int i = 0; i < terms.length; i++) {
                String term = names.get(terms[i]);
                double idf = Math.log((1.0 + n) / (1.0 + df.get(term))) + 1.0;
                weights[i] = (float) (w.get(terms[i]) / t.size() * idf);
                norm += weights[i] * weights[i];
            }
            norm = Math.sqrt(norm);
            if (norm > 0) for (int i = 0; i < weights.length; i++) weights[i] /= (float) norm;
            out.put(docs.get(r).itemId(), terms.length == 0 ? Vector.EMPTY : new Vector(terms, weights));
        }
        return new ContentIndex(out);
    }

    static List<String> tokens(Doc d) {
        List<String> out = new ArrayList<>();
        text(d.title(), out);
        text(d.description(), out);
        if (d.categories() != null) for (String c : d.categories()) out.add("category:" + c.toLowerCase(Locale.ROOT));
        return out;
    }

    private static void text(String s, List<String> out) {
        if (s == null) return;
        for (String t : s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
            if (t.length() >= 2 && !STOP.contains(t)) out.add(t);
    }

    /** The vector of an item; empty when unknown or without text. */
    public Vector vector(String itemId) {
        return vectors.getOrDefault(itemId, Vector.EMPTY);
    }

    public boolean contains(String itemId) {
        return vectors.containsKey(itemId);
    }

    public int size() {
        return vectors.size();
    }

    /** Highest cosine of itemId's vector with any of the given vectors (0 when none overlap). */
    public double maxSimilarity(String itemId, List<Vector> to) {
        Vector v = vector(itemId);
        double best = 0;
        for (Vector o : to) best = Math.max(best, v.dot(o));
        return best;
    }

    /** All items by cosine to itemId, best first, without itemId itself and without zero scores. */
    public List<Map.Entry<String, Double>> similar(String itemId, int k, java.util.function.Predicate<String> keep) {
        Vector v = vector(itemId);
        if (v.isEmpty()) return List.of();
        List<Map.Entry<String, Double>> all = new ArrayList<>();
        for (Map.Entry<String, Vector> e : vectors.entrySet()) {
            if (e.getKey().equals(itemId) || !keep.test(e.getKey())) continue;
            double s = v.dot(e.getValue());
            if (s > 0) all.add(Map.entry(e.getKey(), s));
        }
        all.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        return all.subList(0, Math.min(k, all.size()));
    }
}
