package dev.penchant.cli.importer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.penchant.core.data.io.DataSource;
import dev.penchant.core.data.io.RawEvent;
import dev.penchant.core.data.io.RawItem;
import dev.penchant.core.data.io.RawUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Streams a data set into the platform through its REST API: users, then items, then events, in
 * batches with several requests in flight. Plain Java (java.net.http, Jackson), so it runs from a
 * command line, a test, or later behind an admin endpoint.
 *
 * <p>Event ids are derived from the data (dataset, user, item, timestamp, position in the source),
 * so re-running an import, or resuming one that died, stores no event twice. With shiftToNow every
 * timestamp moves by the same amount so the newest event is now (old data sets then fill the recent
 * windows trending and experiments read); the ids still come from the original timestamps. Events
 * without a type in the source ("interaction") are sent as views.
 */
public final class DatasetImporter {
    public record Options(URI baseUrl, String apiKey, String dataset, int batchSize, int concurrency,
                          PrintStream progress, boolean shiftToNow) {
        public Options {
            if (batchSize < 1 || concurrency < 1) {
                throw new IllegalArgumentException("batchSize and concurrency must be >= 1");
            }
        }

        public Options(URI baseUrl, String apiKey, String dataset, int batchSize, int concurrency, PrintStream progress) {
            this(baseUrl, apiKey, dataset, batchSize, concurrency, progress, false);
        }
    }

    /** A source type the platform does not know, for sources that have none. */
    static final String UNTYPED = "interaction";

    public record Summary(long users, long items, long events, long accepted, long duplicates, Duration elapsed) {
        public double eventsPerSecond() {
            return events / Math.max(1e-9, elapsed.toNanos() / 1e9);
        }
    }

    /** The catalogue endpoints take at most this many per batch. */
    static final int MAX_CATALOG_BATCH = 1000;
    private static final int MAX_ATTEMPTS = 6;

    private final Options options;
    private final HttpClient http;
    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonFactory json = mapper.getFactory();

    public DatasetImporter(Options options) {
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Summary run(DataSource source) {
        long start = System.nanoTime();
        long users = send("users", "/v1/users/batch", Math.min(options.batchSize(), MAX_CATALOG_BATCH),
                source::users, this::writeUser, null);
        long items = send("items", "/v1/items/batch", Math.min(options.batchSize(), MAX_CATALOG_BATCH),
                source::items, this::writeItem, null);
        AtomicLong accepted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        long[] ordinal = {0};
        Duration shift = options.shiftToNow() ? shiftToNow(source) : Duration.ZERO;
        long events = send("events", "/v1/events", options.batchSize(), source::events,
                (g, e) -> writeEvent(g, e, ordinal[0]++, shift), body -> {
                    accepted.addAndGet(body.path("accepted").asLong());
                    duplicates.addAndGet(body.path("duplicates").asLong());
                });
        return new Summary(users, items, events, accepted.get(), duplicates.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    private interface Writer<T> extends BiConsumer<JsonGenerator, T> {
    }

    /** How far to move every timestamp so the newest event lands one second before now. */
    static Duration shiftToNow(DataSource source) {
        java.time.Instant newest;
        try (Stream<RawEvent> s = source.events()) {
            newest = s.map(RawEvent::timestamp).filter(java.util.Objects::nonNull).max(java.util.Comparator.naturalOrder()).orElse(null);
        }
        if (newest == null) return Duration.ZERO;
        return Duration.between(newest, java.time.Instant.now().minusSeconds(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    private <T> long send(String what, String path, int batchSize, java.util.function.Supplier<Stream<T>> records,
                          Writer<T> writer, java.util.function.Consumer<JsonNode> onResponse) {
        long total;
        try (Stream<T> s = records.get()) {
            total = s.count(); // a cheap first pass, so the progress bar knows its end
        }
        if (total == 0) {
            return 0;
        }
        Progress progress = new Progress(what, total, options.progress());
        Semaphore inFlight = new Semaphore(options.concurrency());
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long sent = 0;
        try (Stream<T> s = records.get()) {
            Iterator<T> it = s.iterator();
            while (it.hasNext() && failure.get() == null) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream(batchSize * 128);
                int n = 0;
                try (JsonGenerator g = json.createGenerator(buf)) {
                    g.writeStartArray();
                    while (n < batchSize && it.hasNext()) {
                        writer.accept(g, it.next());
                        n++;
                    }
                    g.writeEndArray();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sent += n;
                inFlight.acquireUninterruptibly();
                int count = n;
                CompletableFuture<Void> f = post(path, buf.toByteArray(), 1)
                        .thenAccept(body -> {
                            if (onResponse != null) {
                                onResponse.accept(body);
                            }
                            progress.advance(count);
                        })
                        .exceptionally(e -> {
                            failure.compareAndSet(null, new IllegalStateException(
                                    "importing " + what + " failed: " + rootMessage(e), e));
                            return null;
                        })
                        .whenComplete((v, e) -> inFlight.release());
                pending.add(f);
                pending.removeIf(CompletableFuture::isDone);
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        progress.done();
        if (failure.get() != null) {
            throw failure.get();
        }
        return sent;
    }

    /** POSTs with retries on connection errors, 5xx and 429; a retried batch is safe (idempotent ids, upserts). */
    private CompletableFuture<JsonNode> post(String path, byte[] body, int attempt) {
        HttpRequest request = HttpRequest.newBuilder(options.baseUrl().resolve(path))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .header("X-API-Key", options.apiKey() == null ? "" : options.apiKey())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((resp, err) -> {
                    boolean retry = err != null || resp.statusCode() >= 500 || resp.statusCode() == 429;
                    if (retry && attempt < MAX_ATTEMPTS) {
                        return sleep(200L << attempt).thenCompose(v -> post(path, body, attempt + 1));
                    }
                    if (err != null) {
                        return CompletableFuture.<JsonNode>failedFuture(err);
                    }
                    if (resp.statusCode() / 100 != 2) {
                        return CompletableFuture.<JsonNode>failedFuture(new IllegalStateException(
                                "HTTP " + resp.statusCode() + " from " + path + ": " + problem(resp.body())));
                    }
                    try {
                        return CompletableFuture.completedFuture(mapper.readTree(resp.body()));
                    } catch (IOException e) {
                        return CompletableFuture.<JsonNode>failedFuture(e);
                    }
                })
                .thenCompose(f -> f);
    }

    /**
     * One line from a problem answer: its detail, the first field error and how many there were (a
     * rejected batch lists up to a thousand, which help nobody on a terminal).
     */
    String problem(byte[] body) {
        try {
            JsonNode p = mapper.readTree(body);
            StringBuilder s = new StringBuilder(p.path("detail").asText(p.path("title").asText("no detail")));
            JsonNode errors = p.path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                s.append("; first: ");
                if (first.has("index")) s.append("#").append(first.get("index").asInt()).append(' ');
                s.append(first.path("field").asText("$")).append(": ").append(first.path("message").asText());
                if (errors.size() > 1) s.append(" (").append(errors.size()).append(" errors listed)");
            }
            return s.length() > 400 ? s.substring(0, 400) + "..." : s.toString();
        } catch (IOException | RuntimeException e) {
            String text = new String(body, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            return text.length() > 200 ? text.substring(0, 200) + "..." : text;
        }
    }

    private static CompletableFuture<Void> sleep(long millis) {
        return CompletableFuture.runAsync(() -> {
        }, CompletableFuture.delayedExecutor(millis, java.util.concurrent.TimeUnit.MILLISECONDS));
    }

    private void writeUser(JsonGenerator g, RawUser u) {
        try {
            g.writeStartObject();
            g.writeStringField("userId", u.userId());
            g.writeFieldName("attributes");
            mapper.writeValue(g, u.attributes() == null ? Map.of() : u.attributes());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeItem(JsonGenerator g, RawItem i) {
        try {
            g.writeStartObject();
            g.writeStringField("itemId", i.itemId());
            if (i.title() != null) {
                g.writeStringField("title", i.title());
            }
            if (i.description() != null) {
                g.writeStringField("description", i.description());
            }
            g.writeFieldName("categories");
            mapper.writeValue(g, i.categories() == null ? List.of() : i.categories());
            g.writeFieldName("attributes");
            mapper.writeValue(g, i.attributes() == null ? Map.of() : i.attributes());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeEvent(JsonGenerator g, RawEvent e, long ordinal, Duration shift) {
        try {
            g.writeStartObject();
            g.writeStringField("eventId", eventId(options.dataset(), e, ordinal)); // from the original time
            g.writeStringField("userId", e.userId());
            g.writeStringField("itemId", e.itemId());
            g.writeStringField("type", e.type() == null || e.type().equals(UNTYPED) ? "view" : e.type());
            if (e.value() != null) {
                g.writeNumberField("value", e.value());
            }
            if (e.timestamp() != null) {
                g.writeStringField("timestamp", e.timestamp().plus(shift).toString());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** "dataset:" + 128 bits of SHA-256 over user, item, timestamp and position in the source. */
    static String eventId(String dataset, RawEvent e, long ordinal) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String key = e.userId() + '\u0000' + e.itemId() + '\u0000' + e.timestamp() + '\u0000' + ordinal;
            byte[] d = sha.digest(key.getBytes(StandardCharsets.UTF_8));
            return dataset + ":" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** A one-line progress bar on stderr (or nowhere when the stream is null). */
    static final class Progress {
        private final String what;
        private final long total;
        private final PrintStream out;
        private final AtomicLong done = new AtomicLong();
        private final long start = System.nanoTime();
        private volatile long lastPrint;

        Progress(String what, long total, PrintStream out) {
            this.what = what;
            this.total = total;
            this.out = out;
        }

        void advance(long n) {
            long d = done.addAndGet(n);
            long now = System.nanoTime();
            if (out != null && (now - lastPrint > 200_000_000L || d == total)) {
                lastPrint = now;
                print(d, now);
            }
        }

        void done() {
            if (out != null) {
                print(done.get(), System.nanoTime());
                out.println();
            }
        }

        private synchronized void print(long d, long now) {
            int width = 30;
            int filled = (int) (width * d / Math.max(1, total));
            double secs = Math.max(1e-9, (now - start) / 1e9);
            out.printf("\r%-7s [%s%s] %,d/%,d %5.1f%% %,.0f/s", what, "#".repeat(filled), " ".repeat(width - filled),
                    d, total, 100.0 * d / Math.max(1, total), d / secs);
            out.flush();
        }
    }
}
