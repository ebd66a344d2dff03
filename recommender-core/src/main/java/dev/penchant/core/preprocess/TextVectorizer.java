package dev.penchant.core.preprocess;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Bag of words then TF-IDF: lower-case alphanumeric tokens of two or more characters, a small English
 * stop list, vocabulary = the maxVocabulary terms with the highest document frequency (ties by term)
 * among those in at least minDf documents; tf = count / tokens, idf = ln((1 + N) / (1 + df)) + 1
 * (scikit-learn's smooth idf), rows L2-normalised.
 */
final class TextVectorizer {
    static final Set<String> STOP = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in",
            "is", "it", "of", "on", "or", "that", "the", "this", "to", "was", "with", "de", "la", "le", "les", "il");

    final List<String> terms;
    final float[] idf;

    private TextVectorizer(List<String> terms, float[] idf) {
        this.terms = terms;
        this.idf = idf;
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) return out;
        for (String t : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
            if (t.length() >= 2 && !STOP.contains(t)) out.add(t);
        return out;
    }

    static TextVectorizer fit(List<List<String>> docs, int maxVocabulary, int minDf) {
        Map<String, Integer> df = new HashMap<>();
        for (List<String> d : docs)
            for (String t : new HashSet<>(d)) df.merge(t, 1, Integer::sum);
        List<String> terms = df.entrySet().stream()
                .filter(e -> e.getValue() >= minDf)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(maxVocabulary).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
        float[] idf = new float[terms.size()];
        int n = docs.size();
        for (int j = 0; j < terms.size(); j++) idf[j] = (float) (Math.log((1.0 + n) / (1.0 + df.get(terms.get(j)))) + 1.0);
        return new TextVectorizer(terms, idf);
    }

    float[][] transform(List<List<String>> docs) {
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < terms.size(); j++) index.put(terms.get(j), j);
        float[][] out = new float[docs.size()][terms.size()];
        for (int r = 0; r < docs.size(); r++) {
            List<String> d = docs.get(r);
            if (d.isEmpty()) continue;
            for (String t : d) {
                Integer j = index.get(t);
                if (j != null) out[r][j] += 1f / d.size();
            }
            double norm = 0;
            for (int j = 0; j < terms.size(); j++) {
                out[r][j] *= idf[j];
                norm += out[r][j] * out[r][j];
            }
            if (norm > 0) {
                float inv = (float) (1 / Math.sqrt(norm));
                for (int j = 0; j < terms.size(); j++) out[r][j] *= inv;
            }
        }
        return out;
    }
}
