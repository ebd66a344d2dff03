package dev.penchant.serving.catalog;

import dev.penchant.serving.config.ServingConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * In-memory copy of what ranking needs from the catalogue and is too slow to read per request:
 * availability and categories of every item, the content index (cold items, content similarity) and
 * the trending list (cold-start users, fallback). Refreshed on a timer; when the database is away
 * the last good copy keeps serving.
 */
@ApplicationScoped
public class ItemCatalog {
    private static final Logger LOG = Logger.getLogger(ItemCatalog.class);

    public record Item(String itemId, boolean available, Set<String> categories) {
    }

    /** One read of the items table. */
    public record Items(Map<String, Item> byId, ContentIndex content, Instant readAt) {
        static final Items EMPTY = new Items(Map.of(), ContentIndex.build(List.of()), null);
    }

    public record Trend(String itemId, long count) {
    }

    /** Trending items, most events in the window first; readAt null = never read. */
    public record Trending(List<Trend> items, Instant readAt) {
        static final Trending NONE = new Trending(List.of(), null);
    }

    private final Pool pool;
    private final ServingConfig config;
    private volatile Items items = Items.EMPTY;
    private volatile Trending trending = Trending.NONE;
    private ScheduledExecutorService timer;

    public ItemCatalog(Pool pool, ServingConfig config) {
        this.pool = pool;
        this.config = config;
    }

    /**
     * Whether the items table has the item, as training's data.dropUnknown checked it; true while no
     * items are known (no table, or not read yet), so a missing copy never empties histories.
     */
    public boolean inItemTable(String itemId) {
        Map<String, Item> byId = items.byId();
        return byId.isEmpty() || byId.containsKey(itemId);
    }

    /** First read (synchronous), then the timers. */
    public synchronized void start() {
        if (timer != null) return;
        refreshItems();
        refreshTrending();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "catalog-refresh");
            t.setDaemon(true);
            return t;
        });
        long items = Math.max(1000, config.catalog().refreshInterval().toMillis());
        long trend = Math.max(1000, config.trending().refreshInterval().toMillis());
        timer.scheduleWithFixedDelay(this::refreshItems, items, items, TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::refreshTrending, trend, trend, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (timer != null) timer.shutdownNow();
    }

    public Items items() {
        return items;
    }

    public Trending trending() {
        return trending;
    }

    /** Re-reads the items table now; false when the database could not be read. */
    public boolean refreshItems() {
        try {
            RowSet<Row> rows = pool.query("select item_id, title, description, categories, available from items")
                    .execute().await().atMost(Duration.ofSeconds(60));
            Map<String, Item> byId = new HashMap<>(rows.size() * 2);
            List<ContentIndex.Doc> docs = new ArrayList<>(rows.size());
            for (Row r : rows) {
                String id = r.getString(0);
                String[] cats = r.getArrayOfStrings(3);
                Set<String> categories = cats == null ? Set.of() : Set.of(dedupe(cats));
                byId.put(id, new Item(id, r.getBoolean(4), categories));
                docs.add(new ContentIndex.Doc(id, r.getString(1), r.getString(2), categories));
            }
            items = new Items(Map.copyOf(byId), ContentIndex.build(docs), Instant.now());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not read items, keeping " + items.byId().size() + " cached: " + e.getMessage());
            return false;
        }
    }

    private static String[] dedupe(String[] a) {
        return java.util.Arrays.stream(a).filter(java.util.Objects::nonNull).distinct().toArray(String[]::new);
    }

    /**
     * Popularity over the configured window, counted back from the newest event rather than from now,
     * so a replayed data set (MovieLens is from 1998) still has a trend.
     */
    public boolean refreshTrending() {
        try {
            RowSet<Row> rows = pool.preparedQuery("""
                            with latest as (select max(occurred_at) as t from events)
                            select e.item_id, count(*) as n
                              from events e, latest
                             where e.occurred_at > latest.t - make_interval(secs => $1)
                             group by e.item_id
                             order by n desc, e.item_id
                             limit $2""")
                    .execute(Tuple.of((double) config.trending().window().toSeconds(), config.trending().size()))
                    .await().atMost(Duration.ofSeconds(60));
            List<Trend> out = new ArrayList<>(rows.size());
            for (Row r : rows) out.add(new Trend(r.getString(0), r.getLong(1)));
            trending = new Trending(List.copyOf(out), Instant.now());
            return true;
        } catch (RuntimeException e) {
            LOG.warn("could not compute trending items, keeping " + trending.items().size() + " cached: " + e.getMessage());
            return false;
        }
    }
}
