package dev.penchant.core.preprocess;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Features;
import dev.penchant.core.data.Interactions;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Builds a {@link Dataset} from a {@link DataSource}: reads events once (streaming), cleans them
 * (duplicates, unknown users/items, rating threshold, bots), builds sorted vocabularies, orders each
 * user's interactions by time with equal timestamps kept in reading (file) order, as RecBole and the
 * SASRec paper's preprocessing do, and encodes side features. Every step
 * goes into the {@link PreprocessingReport}.
 */
public final class Preprocessor {
    private final PreprocessOptions options;
    /** The per-user rules, shared with serving (HistoryEncoder); the item-table flag is fixed once the tables are read. */
    private HistoryRules rules;

    public Preprocessor(PreprocessOptions options) {
        this.options = options;
    }

    public static PreparedDataset build(DataSource source) {
        return new Preprocessor(PreprocessOptions.defaults()).run(source);
    }

    /** Events held compactly while cleaning: ids as temporary codes, one array slot per event. */
    private static final class Events {
        final Map<String, Integer> userCodes = new HashMap<>();
        final Map<String, Integer> itemCodes = new HashMap<>();
        final List<String> userIds = new ArrayList<>();
        final List<String> itemIds = new ArrayList<>();
        final Map<String, Integer> typeCodes = new HashMap<>();
        int[] user = new int[1024];
        int[] item = new int[1024];
        int[] type = new int[1024];
        float[] value = new float[1024];
        long[] time = new long[1024];
        boolean[] keep = new boolean[1024];
        int size;
        long missingTime;

        void add(RawEvent e) {
            if (size == user.length) grow();
            user[size] = userCodes.computeIfAbsent(e.userId(), k -> {
                userIds.add(k);
                return userIds.size() - 1;
            });
            item[size] = itemCodes.computeIfAbsent(e.itemId(), k -> {
                itemIds.add(k);
                return itemIds.size() - 1;
            });
            type[size] = typeCodes.computeIfAbsent(Objects.toString(e.type(), ""), k -> typeCodes.size());
            value[size] = e.value() == null ? Float.NaN : e.value().floatValue();
            if (e.timestamp() == null) {
                missingTime++;
                time[size] = size; // no time: order of reading is time order
            } else {
                time[size] = e.timestamp().getEpochSecond();
            }
            keep[size] = true;
            size++;
        }

        private void grow() {
            int n = user.length * 2;
            user = Arrays.copyOf(user, n);
            item = Arrays.copyOf(item, n);
            type = Arrays.copyOf(type, n);
            value = Arrays.copyOf(value, n);
            time = Arrays.copyOf(time, n);
            keep = Arrays.copyOf(keep, n);
        }

        int kept() {
            int k = 0;
            for (int i = 0; i < size; i++) if (keep[i]) k++;
            return k;
        }
    }

    public PreparedDataset run(DataSource source) {
        PreprocessingReport report = new PreprocessingReport(source.name());
        Events ev = new Events();
        try (Stream<RawEvent> s = source.events()) {
            s.forEach(ev::add);
        }
        Map<String, RawUser> userTable = new HashMap<>();
        Map<String, RawItem> itemTable = new HashMap<>();
        try (Stream<RawUser> s = source.users()) {
            s.forEach(u -> userTable.put(u.userId(), u));
        }
        try (Stream<RawItem> s = source.items()) {
            s.forEach(i -> itemTable.put(i.itemId(), i));
        }
        long[] perType = new long[ev.typeCodes.size()];
        for (int i = 0; i < ev.size; i++) perType[ev.type[i]]++;
        Map<String, Object> types = new TreeMap<>();
        ev.typeCodes.forEach((k, v) -> types.put(k, perType[v]));
        report.add("read", Map.of("source", source.name()), map("events", ev.size, "users", ev.userIds.size(),
                "items", ev.itemIds.size(), "eventTypes", types, "eventsWithoutTimestamp", ev.missingTime,
                "userTableRows", userTable.size(), "itemTableRows", itemTable.size()));

        rules = HistoryRules.of(options, !itemTable.isEmpty());
        keepEventTypes(ev, report);
        dropDuplicates(ev, report);
        dropUnknown(ev, userTable, itemTable, report);
        applyImplicitThreshold(ev, report);
        dropBots(ev, report);

        // vocabularies over what is left, sorted so that indices do not depend on input order
        TreeSet<String> userSet = new TreeSet<>(IdOrder.INSTANCE);
        TreeSet<String> itemSet = new TreeSet<>(IdOrder.INSTANCE);
        for (int i = 0; i < ev.size; i++) {
            if (!ev.keep[i]) continue;
            userSet.add(ev.userIds.get(ev.user[i]));
            itemSet.add(ev.itemIds.get(ev.item[i]));
        }
        Vocabulary users = Vocabulary.of(new ArrayList<>(userSet));
        Vocabulary items = Vocabulary.of(new ArrayList<>(itemSet));
        Interactions interactions = order(ev, users, items);
        long n = interactions.size();
        double density = users.size() == 0 || items.size() == 0 ? 0 : (double) n / ((double) users.size() * items.size());
        report.add("index", map("userOrder", "sorted ids (integers numerically)", "itemOrder", "sorted ids (integers numerically)",
                "sequenceOrder", HistoryRules.ORDER),
                map("users", users.size(), "items", items.size(), "interactions", n, "density", density,
                        "avgSequenceLength", users.size() == 0 ? 0 : (double) n / users.size()));

        Features uf = Features.empty(users.size());
        Features itf = Features.empty(items.size());
        if (options.features()) {
            uf = userFeatures(users, userTable, report);
            itf = itemFeatures(items, itemTable, report);
        }
        Dataset ds = new Dataset(source.name(), users, items, interactions, uf, itf);
        return new PreparedDataset(ds, report, rules);
    }

    private void keepEventTypes(Events ev, PreprocessingReport report) {
        List<String> kept = options.eventTypes();
        if (kept.isEmpty()) {
            report.add("eventTypes", map("kept", "all"), map("dropped", 0, "remaining", ev.kept()));
            return;
        }
        boolean[] keepType = new boolean[ev.typeCodes.size()];
        ev.typeCodes.forEach((type, code) -> keepType[code] = rules.keepsType(type));
        int dropped = 0;
        for (int i = 0; i < ev.size; i++) {
            if (ev.keep[i] && !keepType[ev.type[i]]) {
                ev.keep[i] = false;
                dropped++;
            }
        }
        report.add("eventTypes", map("kept", kept), map("dropped", dropped, "remaining", ev.kept()));
    }

    private void dropDuplicates(Events ev, PreprocessingReport report) {
        if (!options.dropDuplicates()) {
            report.add("dropDuplicates", map("enabled", false), map());
            return;
        }
        record Key(int u, int i, int t, float v, long ts) {
        }
        Set<Key> seen = new HashSet<>();
        int dropped = 0;
        for (int i = 0; i < ev.size; i++) {
            if (!ev.keep[i]) continue;
            // NaN != NaN for floats but record equals uses Float.compare, so missing values match
            if (!seen.add(new Key(ev.user[i], ev.item[i], ev.type[i], ev.value[i], ev.time[i]))) {
                ev.keep[i] = false;
                dropped++;
            }
        }
        report.add("dropDuplicates", map("enabled", true, "key", "user, item, type, value, timestamp"),
                map("dropped", dropped, "remaining", ev.kept()));
    }

    private void dropUnknown(Events ev, Map<String, RawUser> userTable, Map<String, RawItem> itemTable,
                             PreprocessingReport report) {
        boolean checkUsers = options.dropUnknown() && !userTable.isEmpty();
        boolean checkItems = options.dropUnknown() && !itemTable.isEmpty();
        int du = 0;
        int di = 0;
        for (int i = 0; i < ev.size; i++) {
            if (!ev.keep[i]) continue;
            if (checkUsers && !userTable.containsKey(ev.userIds.get(ev.user[i]))) {
                ev.keep[i] = false;
                du++;
            } else if (checkItems && !itemTable.containsKey(ev.itemIds.get(ev.item[i]))) {
                ev.keep[i] = false;
                di++;
            }
        }
        report.add("dropUnknown", map("enabled", options.dropUnknown(), "checkUsers", checkUsers, "checkItems", checkItems),
                map("droppedUnknownUser", du, "droppedUnknownItem", di, "remaining", ev.kept()));
    }

    private void applyImplicitThreshold(Events ev, PreprocessingReport report) {
        Double t = options.implicitThreshold();
        if (t == null) {
            report.add("implicitFeedback", map("threshold", null,
                    "rule", "every interaction is a positive (SASRec protocol)"), map("dropped", 0, "remaining", ev.kept()));
            return;
        }
        int dropped = 0;
        for (int i = 0; i < ev.size; i++) {
            if (ev.keep[i] && !rules.keepsValue(ev.value[i])) {
                ev.keep[i] = false;
                dropped++;
            }
        }
        report.add("implicitFeedback", map("threshold", t, "rule", "keep value >= threshold; events without value kept"),
                map("dropped", dropped, "remaining", ev.kept()));
    }

    private void dropBots(Events ev, PreprocessingReport report) {
        Double max = options.botMaxEventsPerHour();
        if (max == null) {
            report.add("dropBots", map("maxEventsPerHour", null), map("droppedUsers", 0, "droppedEvents", 0));
            return;
        }
        int nu = ev.userIds.size();
        long[] count = new long[nu];
        long[] first = new long[nu];
        long[] last = new long[nu];
        Arrays.fill(first, Long.MAX_VALUE);
        Arrays.fill(last, Long.MIN_VALUE);
        for (int i = 0; i < ev.size; i++) {
            if (!ev.keep[i]) continue;
            int u = ev.user[i];
            count[u]++;
            first[u] = Math.min(first[u], ev.time[i]);
            last[u] = Math.max(last[u], ev.time[i]);
        }
        boolean[] bot = new boolean[nu];
        int bots = 0;
        double maxRate = 0;
        for (int u = 0; u < nu; u++) {
            if (count[u] == 0) continue;
            maxRate = Math.max(maxRate, HistoryRules.rate(count[u], first[u], last[u]));
            if (rules.isBot(count[u], first[u], last[u])) {
                bot[u] = true;
                bots++;
            }
        }
        int dropped = 0;
        for (int i = 0; i < ev.size; i++) {
            if (ev.keep[i] && bot[ev.user[i]]) {
                ev.keep[i] = false;
                dropped++;
            }
        }
        report.add("dropBots", map("maxEventsPerHour", max, "rate", "events / max(1 h, last - first event time)"),
                map("droppedUsers", bots, "droppedEvents", dropped, "highestRate", maxRate, "remaining", ev.kept()));
    }

    private static Interactions order(Events ev, Vocabulary users, Vocabulary items) {
        int nu = users.size();
        int[] userIndex = new int[ev.userIds.size()];
        int[] itemIndex = new int[ev.itemIds.size()];
        for (int c = 0; c < userIndex.length; c++) userIndex[c] = users.indexOf(ev.userIds.get(c));
        for (int c = 0; c < itemIndex.length; c++) itemIndex[c] = items.indexOf(ev.itemIds.get(c));
        int[] counts = new int[nu];
        for (int i = 0; i < ev.size; i++) if (ev.keep[i]) counts[userIndex[ev.user[i]]]++;
        int[][] rows = new int[nu][];
        for (int u = 0; u < nu; u++) rows[u] = new int[counts[u]];
        int[] fill = new int[nu];
        for (int i = 0; i < ev.size; i++) {
            if (!ev.keep[i]) continue;
            int u = userIndex[ev.user[i]];
            rows[u][fill[u]++] = i;
        }
        int[][] outItems = new int[nu][];
        float[][] outValues = new float[nu][];
        long[][] outTimes = new long[nu][];
        for (int u = 0; u < nu; u++) {
            // the history order shared with serving (HistoryRules.compare): time, then reading order
            // (rows[u] holds events in reading order; the sort is stable, the explicit tie-break only says
            // so): equal timestamps keep the recorded order, never item id, which would plant a learnable
            // artefact (ids correlate with popularity in MovieLens)
            Integer[] idx = Arrays.stream(rows[u]).boxed().toArray(Integer[]::new);
            Arrays.sort(idx, (a, b) -> HistoryRules.compare(ev.time[a], a, ev.time[b], b));
            outItems[u] = new int[idx.length];
            outValues[u] = new float[idx.length];
            outTimes[u] = new long[idx.length];
            for (int t = 0; t < idx.length; t++) {
                outItems[u][t] = itemIndex[ev.item[idx[t]]];
                outValues[u][t] = ev.value[idx[t]];
                outTimes[u][t] = ev.time[idx[t]];
            }
        }
        return new Interactions(outItems, outValues, outTimes);
    }

    // ---- side features ----

    private Features userFeatures(Vocabulary users, Map<String, RawUser> table, PreprocessingReport report) {
        if (table.isEmpty()) {
            report.add("userFeatures", map(), map("columns", 0, "note", "source has no user table"));
            return Features.empty(users.size());
        }
        List<Map<String, Object>> attrs = new ArrayList<>();
        int missingRows = 0;
        for (int u = 0; u < users.size(); u++) {
            RawUser r = table.get(users.idOf(u));
            if (r == null) missingRows++;
            attrs.add(r == null ? Map.of() : r.attributes());
        }
        FeatureBuilder fb = new FeatureBuilder(users.size());
        for (String a : options.userNumeric()) fb.numeric("userFeatures." + a, a, column(attrs, a), report);
        for (String a : options.userCategorical()) fb.categorical("userFeatures." + a, a, column(attrs, a), report);
        report.add("userFeatures", map("numeric", options.userNumeric(), "categorical", options.userCategorical()),
                map("columns", fb.names.size(), "usersWithoutRow", missingRows));
        return fb.build();
    }

    private Features itemFeatures(Vocabulary items, Map<String, RawItem> table, PreprocessingReport report) {
        if (table.isEmpty()) {
            report.add("itemFeatures", map(), map("columns", 0, "note", "source has no item table"));
            return Features.empty(items.size());
        }
        List<RawItem> rows = new ArrayList<>();
        int missingRows = 0;
        for (int i = 0; i < items.size(); i++) {
            RawItem r = table.get(items.idOf(i));
            if (r == null) missingRows++;
            rows.add(r);
        }
        FeatureBuilder fb = new FeatureBuilder(items.size());
        // categories (genres) multi-hot; an item without categories is all zeros
        TreeSet<String> cats = new TreeSet<>();
        int noCats = 0;
        for (RawItem r : rows) {
            if (r == null || r.categories() == null || r.categories().isEmpty()) noCats++;
            else cats.addAll(r.categories());
        }
        for (String c : cats) {
            float[] col = new float[items.size()];
            for (int i = 0; i < rows.size(); i++)
                if (rows.get(i) != null && rows.get(i).categories() != null && rows.get(i).categories().contains(c)) col[i] = 1f;
            fb.add("genre=" + c, col);
        }
        report.add("itemFeatures.genres", map("encoding", "multi-hot", "missing", "all zeros"),
                map("categories", new ArrayList<>(cats), "itemsWithoutCategories", noCats));
        List<Map<String, Object>> attrs = rows.stream().map(r -> r == null ? Map.<String, Object>of() : r.attributes()).toList();
        for (String a : options.itemNumeric()) fb.numeric("itemFeatures." + a, a, column(attrs, a), report);
        // title + description -> TF-IDF
        List<List<String>> docs = new ArrayList<>();
        for (RawItem r : rows) {
            String text = r == null ? "" : (Objects.toString(r.title(), "") + " " + Objects.toString(r.description(), ""));
            docs.add(TextVectorizer.tokens(text));
        }
        TextVectorizer tv = TextVectorizer.fit(docs, options.tfidfMaxVocabulary(), options.tfidfMinDf());
        float[][] m = tv.transform(docs);
        for (int j = 0; j < tv.terms.size(); j++) {
            float[] col = new float[items.size()];
            for (int i = 0; i < items.size(); i++) col[i] = m[i][j];
            fb.add("tfidf:" + tv.terms.get(j), col);
        }
        int emptyDocs = 0;
        for (List<String> d : docs) if (d.isEmpty()) emptyDocs++;
        report.add("itemFeatures.text", map("fields", List.of("title", "description"), "maxVocabulary", options.tfidfMaxVocabulary(),
                "minDf", options.tfidfMinDf(), "tokens", "lower-case alphanumeric, length >= 2, stop words removed",
                "tf", "count / tokens", "idf", "ln((1+N)/(1+df)) + 1", "norm", "l2"),
                map("vocabulary", tv.terms.size(), "itemsWithoutText", emptyDocs));
        report.add("itemFeatures", map("numeric", options.itemNumeric()),
                map("columns", fb.names.size(), "itemsWithoutRow", missingRows));
        return fb.build();
    }

    private static List<Object> column(List<Map<String, Object>> rows, String attr) {
        List<Object> out = new ArrayList<>(rows.size());
        for (Map<String, Object> r : rows) out.add(r.get(attr));
        return out;
    }

    /** Collects feature columns and records numeric / categorical encodings in the report. */
    private static final class FeatureBuilder {
        final int rows;
        final List<String> names = new ArrayList<>();
        final List<float[]> columns = new ArrayList<>();

        FeatureBuilder(int rows) {
            this.rows = rows;
        }

        void add(String name, float[] col) {
            names.add(name);
            columns.add(col);
        }

        void numeric(String step, String attr, List<Object> values, PreprocessingReport report) {
            double[] x = new double[rows];
            List<Double> present = new ArrayList<>();
            int missing = 0;
            for (int r = 0; r < rows; r++) {
                Double v = toDouble(values.get(r));
                if (v == null) {
                    x[r] = Double.NaN;
                    missing++;
                } else {
                    x[r] = v;
                    present.add(v);
                }
            }
            if (present.isEmpty()) {
                report.add(step, map("encoding", "z-score"), map("skipped", "no numeric values", "missing", missing));
                return;
            }
            double mean = present.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            double var = present.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / present.size();
            double std = Math.sqrt(var);
            double[] sorted = present.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int k = sorted.length;
            double median = k % 2 == 1 ? sorted[k / 2] : (sorted[k / 2 - 1] + sorted[k / 2]) / 2;
            double scale = std > 0 ? std : 1;
            float[] col = new float[rows];
            for (int r = 0; r < rows; r++) col[r] = (float) (((Double.isNaN(x[r]) ? median : x[r]) - mean) / scale);
            add(attr + "(z)", col);
            report.add(step, map("encoding", "z-score", "fill", "median", "statisticsOver", "present values"),
                    map("mean", mean, "std", std, "median", median, "missing", missing, "present", present.size()));
        }

        void categorical(String step, String attr, List<Object> values, PreprocessingReport report) {
            Map<String, Integer> counts = new TreeMap<>();
            int missing = 0;
            for (Object v : values) {
                if (v == null || v.toString().isBlank()) missing++;
                else counts.merge(v.toString().trim(), 1, Integer::sum);
            }
            if (counts.isEmpty()) {
                report.add(step, map("encoding", "one-hot"), map("skipped", "no values", "missing", missing));
                return;
            }
            // mode; ties go to the first category in sorted order
            String mode = counts.entrySet().stream().max((a, b) -> a.getValue().equals(b.getValue())
                    ? b.getKey().compareTo(a.getKey()) : Integer.compare(a.getValue(), b.getValue())).get().getKey();
            List<String> cats = new ArrayList<>(counts.keySet());
            for (String c : cats) {
                float[] col = new float[rows];
                for (int r = 0; r < rows; r++) {
                    Object v = values.get(r);
                    String s = v == null || v.toString().isBlank() ? mode : v.toString().trim();
                    if (s.equals(c)) col[r] = 1f;
                }
                add(attr + "=" + c, col);
            }
            report.add(step, map("encoding", "one-hot", "fill", "mode"),
                    map("categories", cats, "mode", mode, "missing", missing));
        }

        private static Double toDouble(Object v) {
            if (v == null) return null;
            if (v instanceof Number n) return n.doubleValue();
            try {
                double d = Double.parseDouble(v.toString().trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        Features build() {
            float[][] m = new float[rows][names.size()];
            for (int j = 0; j < names.size(); j++) {
                float[] col = columns.get(j);
                for (int r = 0; r < rows; r++) m[r][j] = col[r];
            }
            return new Features(List.copyOf(names), m);
        }
    }

    /** Insertion-ordered map that allows null values (Map.of does not). */
    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}
