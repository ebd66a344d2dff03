package dev.penchant.cli.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A realistic demo shop, written as RecBole atomic files (demo.inter, demo.item, demo.user) that the
 * importer reads ({@code --format movielens-atomic}): a catalogue of items with titles, descriptions,
 * categories and prices; users with profiles; and sessions of events of the types the platform accepts
 * (view with seconds viewed, click, add_to_cart, purchase with the price, rating 1-5 days later), in
 * the last {@code days} days up to {@code end}.
 *
 * <p>Structure a model can learn, that popularity cannot: each user favours one or two categories;
 * within a category the items form a series (a session mostly moves on to the next item of the
 * series); conversions follow the funnel view -> click -> cart -> purchase; ratings follow an item's
 * hidden quality. A few users have a profile and no events yet (cold start). Deterministic for a seed
 * (apart from {@code end}).
 */
public final class DemoData {
    public record Options(int users, int items, int days, long seed, Instant end) {
        public Options {
            if (users < 1 || items < 12 || days < 1) throw new IllegalArgumentException("users >= 1, items >= 12, days >= 1");
        }
    }

    public record Summary(int users, int usersWithEvents, int items, int categories, long events,
                          Map<String, Long> byType, Instant first, Instant last) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d users (%,d with events), %,d items in %d categories, %,d events from %s to %s %s",
                    users, usersWithEvents, items, categories, events, first, last, byType);
        }
    }

    static final String[] CATEGORIES = {"books", "music", "games", "outdoor", "kitchen", "garden", "fitness", "travel",
            "film", "toys", "art", "tech"};
    static final String[][] NOUNS = {
            {"Novel", "Atlas", "Cookbook", "Memoir", "Anthology", "Field Guide"},
            {"Vinyl", "Album", "Songbook", "Headphones", "Ukulele", "Box Set"},
            {"Board Game", "Puzzle", "Card Deck", "Strategy Game", "Dice Set", "Quest"},
            {"Tent", "Backpack", "Lantern", "Sleeping Bag", "Compass", "Trail Shoes"},
            {"Skillet", "Knife Set", "Teapot", "Mixing Bowls", "Spice Rack", "Dutch Oven"},
            {"Trowel", "Seed Kit", "Planter", "Watering Can", "Pruner", "Bird Feeder"},
            {"Yoga Mat", "Kettlebell", "Jump Rope", "Foam Roller", "Dumbbells", "Resistance Bands"},
            {"Suitcase", "Travel Pillow", "Guidebook", "Packing Cubes", "Adapter", "Daypack"},
            {"Documentary", "Drama", "Thriller", "Comedy", "Western", "Animation"},
            {"Building Blocks", "Plush Bear", "Kite", "Train Set", "Marble Run", "Puppet"},
            {"Sketchbook", "Watercolours", "Easel", "Brush Set", "Canvas", "Charcoal"},
            {"Keyboard", "Speaker", "Charger", "E-Reader", "Webcam", "Smart Lamp"}};
    static final String[] ADJECTIVES = {"Classic", "Compact", "Deluxe", "Everyday", "Handmade", "Heritage", "Modern",
            "Nordic", "Pocket", "Rustic", "Studio", "Vintage", "Wild", "Urban", "Golden", "Quiet"};
    static final double[] BASE_PRICE = {14, 22, 35, 80, 45, 18, 30, 60, 12, 25, 20, 70};
    static final String[] COUNTRIES = {"DE", "FR", "GB", "NL", "ES", "IT", "SE", "PL", "US", "CA"};
    static final String[] AGES = {"18-24", "25-34", "35-44", "45-54", "55-64", "65+"};
    static final String[] SEGMENTS = {"new", "regular", "loyal"};

    private record Event(long ts, String user, String item, String type, Double value) {
    }

    private DemoData() {
    }

    public static Summary write(Path dir, Options o) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(o.seed());
        int c = CATEGORIES.length;
        int perCategory = o.items() / c;
        int items = perCategory * c;
        double[] quality = new double[items];
        double[] price = new double[items];
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("demo.item"), StandardCharsets.UTF_8)) {
            w.write("item_id:token\ttitle:token_seq\tdescription:token_seq\tclass:token_seq\tprice:float\tseries:token\n");
            for (int i = 0; i < items; i++) {
                int cat = i % c, pos = i / c;
                quality[i] = rng.nextDouble();
                price[i] = Math.round(BASE_PRICE[cat] * (0.5 + 1.5 * rng.nextDouble()) * 100) / 100.0;
                String noun = NOUNS[cat][pos % NOUNS[cat].length];
                String adjective = ADJECTIVES[(pos * 7 + cat * 3) % ADJECTIVES.length];
                String title = adjective + " " + noun + (pos >= NOUNS[cat].length ? " No. " + (pos / NOUNS[cat].length + 1) : "");
                String categories = CATEGORIES[cat] + (rng.nextDouble() < 0.15 ? " gifts" : "");
                w.write(itemId(i) + "\t" + title + "\tA " + adjective.toLowerCase(Locale.ROOT) + " "
                        + noun.toLowerCase(Locale.ROOT) + " from our " + CATEGORIES[cat] + " range, part " + (pos + 1)
                        + " of the " + CATEGORIES[cat] + " series.\t" + categories + "\t"
                        + String.format(Locale.ROOT, "%.2f", price[i]) + "\t" + CATEGORIES[cat] + "-series\n");
            }
        }
        // Zipf over a category's positions: the first items of each series are the popular ones
        double[] cdf = new double[perCategory];
        double acc = 0;
        for (int p = 0; p < perCategory; p++) cdf[p] = acc += 1.0 / (p + 1);
        long end = o.end().truncatedTo(ChronoUnit.SECONDS).getEpochSecond();
        long start = end - Duration.ofDays(o.days()).toSeconds();
        List<Event> events = new ArrayList<>();
        int withEvents = 0;
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("demo.user"), StandardCharsets.UTF_8)) {
            w.write("user_id:token\tcountry:token\tage:token\tsegment:token\tsignup_days_ago:float\n");
            for (int u = 0; u < o.users(); u++) {
                String user = userId(u);
                int segment = rng.nextInt(SEGMENTS.length);
                w.write(user + "\t" + COUNTRIES[rng.nextInt(COUNTRIES.length)] + "\t" + AGES[rng.nextInt(AGES.length)] + "\t"
                        + SEGMENTS[segment] + "\t" + (o.days() + rng.nextInt(700)) + "\n");
                if (rng.nextDouble() < 0.03) continue; // profile only: a cold-start user
                withEvents++;
                int favourite = rng.nextInt(c);
                int second = rng.nextDouble() < 0.5 ? rng.nextInt(c) : favourite;
                int sessions = 2 + rng.nextInt(4 + 4 * segment);
                long[] starts = new long[sessions];
                for (int s = 0; s < sessions; s++) starts[s] = start + (long) (rng.nextDouble() * (end - start - 3600));
                java.util.Arrays.sort(starts);
                for (long t0 : starts) session(rng, user, favourite, second, perCategory, cdf, quality, price, t0, end, events);
            }
        }
        events.sort(Comparator.comparingLong(Event::ts).thenComparing(Event::user));
        Map<String, Long> byType = new TreeMap<>();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("demo.inter"), StandardCharsets.UTF_8)) {
            w.write("user_id:token\titem_id:token\ttype:token\tvalue:float\ttimestamp:float\n");
            for (Event e : events) {
                w.write(e.user + "\t" + e.item + "\t" + e.type + "\t"
                        + (e.value == null ? "" : String.format(Locale.ROOT, "%.2f", e.value)) + "\t" + e.ts + "\n");
                byType.merge(e.type, 1L, Long::sum);
            }
        }
        return new Summary(o.users(), withEvents, items, c, events.size(), byType,
                events.isEmpty() ? null : Instant.ofEpochSecond(events.get(0).ts),
                events.isEmpty() ? null : Instant.ofEpochSecond(events.get(events.size() - 1).ts));
    }

    /** One visit: a walk along a series of one category, with the funnel's conversions on the way. */
    private static void session(Random rng, String user, int favourite, int second, int perCategory, double[] cdf,
                                double[] quality, double[] price, long t0, long end, List<Event> out) {
        int c = CATEGORIES.length;
        int cat = rng.nextDouble() < 0.85 ? (rng.nextDouble() < 0.7 ? favourite : second) : rng.nextInt(c);
        int pos = zipf(rng, cdf);
        int steps = 2 + rng.nextInt(6);
        long t = t0;
        for (int s = 0; s < steps && t < end; s++) {
            int item = pos * c + cat;
            int seconds = 15 + rng.nextInt(240);
            out.add(new Event(t, user, itemId(item), "view", (double) seconds));
            t += 2 + rng.nextInt(10);
            if (rng.nextDouble() < 0.35) {
                out.add(new Event(t, user, itemId(item), "click", null));
                t += 5 + rng.nextInt(40);
                if (rng.nextDouble() < 0.35) {
                    out.add(new Event(t, user, itemId(item), "add_to_cart", 1.0));
                    t += 20 + rng.nextInt(200);
                    if (rng.nextDouble() < 0.55) {
                        out.add(new Event(t, user, itemId(item), "purchase", price[item]));
                        long rated = t + 86_400 + rng.nextInt(2 * 86_400);
                        if (rng.nextDouble() < 0.6 && rated < end) {
                            double stars = Math.max(1, Math.min(5, Math.round(1 + 4 * quality[item] + rng.nextGaussian() * 0.6)));
                            out.add(new Event(rated, user, itemId(item), "rating", stars));
                        }
                    }
                }
            }
            t += seconds;
            double r = rng.nextDouble();
            if (r < 0.7) pos = (pos + 1) % perCategory;        // on to the next of the series
            else if (r < 0.9) pos = zipf(rng, cdf);           // something popular in the same category
            else {                                             // somewhere else entirely
                cat = rng.nextInt(c);
                pos = zipf(rng, cdf);
            }
        }
    }

    private static int zipf(Random rng, double[] cdf) {
        double x = rng.nextDouble() * cdf[cdf.length - 1];
        int lo = 0, hi = cdf.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    static String itemId(int i) {
        return "item-" + (i + 1);
    }

    static String userId(int u) {
        return "user-" + (u + 1);
    }

    /** {@code generate demo OUT_DIR [users=500] [items=300] [days=30] [seed=1]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: generate demo OUT_DIR [users=500] [items=300] [days=30] [seed=1]");
            System.exit(2);
        }
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                System.err.println("generate demo: expected key=value, got '" + args[i] + "'");
                System.exit(2);
            }
            opts.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Options o;
        try {
            o = new Options(Integer.parseInt(opts.getOrDefault("users", "500")), Integer.parseInt(opts.getOrDefault("items", "300")),
                    Integer.parseInt(opts.getOrDefault("days", "30")), Long.parseLong(opts.getOrDefault("seed", "1")), Instant.now());
        } catch (IllegalArgumentException e) {
            System.err.println("generate demo: " + e.getMessage());
            System.exit(2);
            return;
        }
        Summary s = write(Path.of(args[0]), o);
        System.err.println("wrote demo data to " + args[0] + ": " + s);
    }
}
