package dev.penchant.serving;

import dev.penchant.core.data.Dataset;
import dev.penchant.core.data.Features;
import dev.penchant.core.data.Interactions;
import dev.penchant.core.data.Vocabulary;
import dev.penchant.core.model.Hyperparameters;
import dev.penchant.core.model.ProgressListener;
import dev.penchant.core.model.TrainingContext;
import dev.penchant.core.model.ModelCatalog;
import dev.penchant.core.model.Recommender;
import dev.penchant.core.model.Exportable;
import dev.penchant.core.split.Splitter;
import dev.penchant.core.artifact.ModelArchive;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small platform for the serving tests: users walking through item "chains" (so the next item
 * depends on the history), items with chain-specific titles and categories, the same events in the
 * database and in a core Dataset, and really trained, exported and zipped models (sasrec, else dnn) registered the
 * way the training worker registers them.
 */
public final class TestFixtures {
    public static final int USERS = 200;
    public static final int CHAINS = 6;
    public static final int CHAIN_LENGTH = 10;
    public static final int SEQ = 20;
    static final String[] WORDS = {"galaxy", "dragon", "orchard", "harbor", "glacier", "circus"};

    private static Dataset dataset;
    private static int[] userChain;

    private TestFixtures() {
    }

    public static String item(int i) {
        return "i" + i;
    }

    public static int chainOf(int item) {
        return item / CHAIN_LENGTH;
    }

    public static synchronized Dataset dataset() {
        if (dataset != null) return dataset;
        Random rng = new Random(7);
        int numItems = CHAINS * CHAIN_LENGTH;
        Vocabulary users = new Vocabulary();
        Vocabulary items = new Vocabulary();
        for (int i = 0; i < numItems; i++) items.add(item(i));
        int[][] seqs = new int[USERS][];
        float[][] values = new float[USERS][];
        long[][] ts = new long[USERS][];
        userChain = new int[USERS];
        long base = OffsetDateTime.now(ZoneOffset.UTC).minusDays(2).toEpochSecond();
        for (int u = 0; u < USERS; u++) {
            users.add("u" + u);
            int chain = u % CHAINS;
            userChain[u] = chain;
            int pos = rng.nextInt(CHAIN_LENGTH);
            seqs[u] = new int[SEQ];
            values[u] = new float[SEQ];
            ts[u] = new long[SEQ];
            for (int t = 0; t < SEQ; t++) {
                // popularity skew inside the chain: the first items are visited more often
                if (rng.nextDouble() < 0.1) seqs[u][t] = rng.nextInt(numItems);
                else {
                    pos = (pos + 1) % CHAIN_LENGTH;
                    seqs[u][t] = chain * CHAIN_LENGTH + pos;
                }
                values[u][t] = 5f;
                ts[u][t] = base + u * 60L + t;
            }
        }
        dataset = new Dataset("chains", users, items, new Interactions(seqs, values, ts),
                Features.empty(USERS), Features.empty(numItems));
        return dataset;
    }

    /** Items (with titles and one category per chain) and every event of the dataset. */
    public static void insertPlatformData(Pool pool) {
        Dataset d = dataset();
        for (int i = 0; i < d.numItems(); i++) {
            int c = chainOf(i);
            pool.preparedQuery("insert into items (item_id, title, description, categories) values ($1, $2, $3, $4) "
                            + "on conflict (item_id) do nothing")
                    .execute(Tuple.of(item(i), "The " + WORDS[c] + " saga part " + (i % CHAIN_LENGTH),
                            "A story about the " + WORDS[c] + " and more " + WORDS[c] + "s", new String[]{"cat" + c}))
                    .await().indefinitely();
        }
        List<String> ids = new ArrayList<>(), users = new ArrayList<>(), items = new ArrayList<>();
        List<OffsetDateTime> times = new ArrayList<>();
        int[][] seqs = d.interactions().items();
        for (int u = 0; u < seqs.length; u++) {
            for (int t = 0; t < seqs[u].length; t++) {
                ids.add("e-" + u + "-" + t);
                users.add(d.users().idOf(u));
                items.add(d.items().idOf(seqs[u][t]));
                times.add(OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(d.interactions().timestamps()[u][t]), ZoneOffset.UTC));
            }
        }
        insertEvents(pool, ids, users, items, times);
    }

    /** The ingest statement's shape: partitions first, then the rows. */
    public static void insertEvents(Pool pool, List<String> ids, List<String> users, List<String> items,
                                    List<OffsetDateTime> times) {
        OffsetDateTime[] t = times.toArray(new OffsetDateTime[0]);
        pool.preparedQuery("select ensure_event_partitions($1::timestamptz[])").execute(Tuple.of(t)).await().indefinitely();
        pool.preparedQuery("""
                        insert into events (event_id, user_id, item_id, type, value, occurred_at)
                        select id, u, i, 'view', null, ts
                          from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[]) as x(id, u, i, ts)
                        on conflict do nothing""")
                .execute(Tuple.of(ids.toArray(new String[0]), users.toArray(new String[0]), items.toArray(new String[0]), t))
                .await().indefinitely();
    }

    /** The sequence model the tests train: the core's sasrec when it has one, else dnn (-Dserving.test.model). */
    public static String modelType() {
        return System.getProperty("serving.test.model", ModelCatalog.known().contains("sasrec") ? "sasrec" : "dnn");
    }

    /** Trains a small model on the dataset, exports it and zips the directory as the worker does. */
    public static byte[] trainedArtifact(long seed) throws Exception {
        Dataset d = dataset();
        Hyperparameters hp = new Hyperparameters(modelType().equals("sasrec")
                ? Map.of("dim", "16", "window", "10", "blocks", "1", "batch_size", "64", "epochs", "15",
                "lr", "0.01", "dropout", "0.1", "threads", "2")
                : Map.of("dim", "16", "window", "10", "recent", "2", "negatives", "20", "batch_size", "128",
                "hidden", "32", "epochs", "10", "features", "false", "lr", "0.01", "threads", "2"));
        Path dir = Files.createTempDirectory("penchant-test-export");
        try (Recommender model = ModelCatalog.create(modelType(), hp)) {
            model.fit(new TrainingContext(d, Splitter.leaveOneOut(d.interactions(), d.numItems()), hp, seed,
                    ProgressListener.NONE, null));
            ((Exportable) model).export(dir.resolve("model"), Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelArchive.zip(dir.resolve("model"), out);
            return out.toByteArray();
        } finally {
            ModelArchive.deleteTree(dir);
        }
    }

    /**
     * Stores an artifact and registers + promotes a model version like the worker's JobCompletion and
     * ModelRegistry.promote (archive the previous promoted version, NOTIFY model_promoted); returns the id.
     */
    public static long registerAndPromote(Pool pool, String name, byte[] content) throws Exception {
        long id = register(pool, name, modelType(), content);
        return pool.withTransaction(c -> c.preparedQuery(
                                "update models set status = 'archived' where name = $1 and status = 'promoted' and id <> $2")
                        .execute(Tuple.of(name, id))
                        .call(x -> c.preparedQuery("update models set status = 'promoted', promoted_at = now() where id = $1")
                                .execute(Tuple.of(id)))
                        .call(x -> c.preparedQuery("select pg_notify($1, $2)")
                                .execute(Tuple.of(dev.penchant.schema.Channels.MODEL_PROMOTED, Long.toString(id))))
                        .map(x -> id))
                .await().indefinitely();
    }

    /** Stores an artifact and registers a model version without promoting it (an experiment variant's model); returns the id. */
    public static long register(Pool pool, String name, String modelType, byte[] content) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        return pool.withTransaction(c -> c.preparedQuery(
                                "insert into model_artifacts (sha256, size_bytes, content) values ($1, $2, $3) returning id")
                        .execute(Tuple.of(sha, (long) content.length, Buffer.buffer(content)))
                        .map(rs -> rs.iterator().next().getLong(0))
                        .chain(artifact -> c.preparedQuery("""
                                        insert into models (name, version, model_type, artifact_id)
                                        select $1, coalesce(max(version), 0) + 1, $3, $2 from models where name = $1
                                        returning id""")
                                .execute(Tuple.of(name, artifact, modelType)))
                        .map(rs -> rs.iterator().next().getLong(0)))
                .await().indefinitely();
    }

    /** A baseline (popularity, transition, seqknn) fitted on the dataset and zipped as a penchant-baseline/1 archive. */
    public static byte[] baselineArtifact(String type) throws Exception {
        Dataset d = dataset();
        Hyperparameters hp = Hyperparameters.empty();
        Path dir = Files.createTempDirectory("penchant-test-baseline");
        try (Recommender model = ModelCatalog.create(type, hp)) {
            model.fit(new TrainingContext(d, Splitter.leaveOneOut(d.interactions(), d.numItems()), hp, 1, ProgressListener.NONE, null));
            ((Exportable) model).export(dir.resolve("model"), Map.of(), dev.penchant.core.preprocess.HistoryRules.none());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ModelArchive.zip(dir.resolve("model"), out);
            return out.toByteArray();
        } finally {
            ModelArchive.deleteTree(dir);
        }
    }

    public static List<String> eventsOf(Pool pool, String user) {
        List<String> out = new ArrayList<>();
        for (Row r : pool.preparedQuery("select item_id from events where user_id = $1").execute(Tuple.of(user))
                .await().indefinitely()) out.add(r.getString(0));
        return out;
    }
}
