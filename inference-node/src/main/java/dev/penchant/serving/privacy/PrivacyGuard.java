package dev.penchant.serving.privacy;

import dev.penchant.schema.Channels;
import dev.penchant.serving.catalog.ItemCatalog;
import dev.penchant.serving.models.LoadedModel;
import dev.penchant.serving.models.ModelHolder;
import dev.penchant.support.db.PgListener;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * This inference node's part of a privacy deletion. It heartbeats in privacy_listeners (the workflow
 * waits for every live node), and on NOTIFY privacy_forget (payload: request id) evicts what it holds
 * about the request's user -- loaded models whose vocabulary lists them (reloaded from the registry,
 * which by then serves rewritten artifacts or none), the trending counts that included their events --
 * then acknowledges in privacy_cache_acks. Histories are read per request from PostgreSQL, so nothing
 * else here is per user. Suppressed users (privacy_suppressions, keyed hashes) are answered cold start.
 */
@Singleton
public class PrivacyGuard {
    private static final Logger LOG = Logger.getLogger(PrivacyGuard.class);

    private final Pool pool;
    private final PgListener listener;
    private final ModelHolder models;
    private final ItemCatalog catalog;
    private final Optional<SecretKeySpec> key;
    private final Duration heartbeat;
    private final String nodeId;
    /** Keyed hashes of suppressed users (needs penchant.privacy.hash-key). */
    private volatile Set<String> suppressed = Set.of();
    /** SHA-256 of users forgotten since start (from open requests), for a node without the key. */
    private final Set<String> forgotten = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService executor;

    public PrivacyGuard(Pool pool, PgListener listener, ModelHolder models, ItemCatalog catalog,
                        @ConfigProperty(name = "penchant.privacy.hash-key") Optional<String> hashKey,
                        @ConfigProperty(name = "penchant.privacy.heartbeat-interval", defaultValue = "PT10S") Duration heartbeat) {
        this.pool = pool;
        this.listener = listener;
        this.models = models;
        this.catalog = catalog;
        this.key = hashKey.filter(k -> !k.isBlank())
                .map(k -> new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        this.heartbeat = heartbeat;
        this.nodeId = "inference-" + ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void onStart(@Observes StartupEvent ev) {
        if (key.isEmpty()) {
            LOG.warn("penchant.privacy.hash-key not set: users deleted before this node started are recognised only "
                    + "by their (deleted) data, not by the suppression list");
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "privacy-guard");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(500, heartbeat.toMillis());
        executor.scheduleWithFixedDelay(this::beat, 0, every, TimeUnit.MILLISECONDS);
        listener.listen(Channels.PRIVACY_FORGET, payload -> executor.execute(() -> forget(payload)),
                () -> executor.execute(this::reloadSuppressions));
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (executor != null) executor.shutdownNow();
        try {
            pool.preparedQuery("delete from privacy_listeners where node_id = $1").execute(Tuple.of(nodeId))
                    .await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            // the live window drops it anyway
        }
    }

    public String nodeId() {
        return nodeId;
    }

    /** Whether the user asked to be forgotten: their recommendations are cold start. */
    public boolean suppressed(String userId) {
        if (userId == null) return false;
        if (!forgotten.isEmpty() && forgotten.contains(sha256(userId))) return true;
        return key.isPresent() && !suppressed.isEmpty() && suppressed.contains(hmac(userId));
    }

    private void beat() {
        try {
            pool.preparedQuery("""
                    insert into privacy_listeners (node_id) values ($1)
                    on conflict (node_id) do update set seen_at = now()""").execute(Tuple.of(nodeId))
                    .await().atMost(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.debug("privacy heartbeat failed: " + e.getMessage());
        }
    }

    void reloadSuppressions() {
        try {
            Set<String> s = ConcurrentHashMap.newKeySet();
            for (Row r : pool.query("select subject_hash from privacy_suppressions").execute().await().atMost(Duration.ofSeconds(30))) {
                s.add(r.getString(0));
            }
            suppressed = s;
        } catch (RuntimeException e) {
            LOG.warn("could not read the suppression list: " + e.getMessage());
        }
    }

    /** Evicts what this node holds about the request's user, then acknowledges. */
    void forget(String payload) {
        long requestId;
        try {
            requestId = Long.parseLong(payload.trim());
        } catch (NumberFormatException e) {
            LOG.warn("privacy_forget with a bad payload: " + payload);
            return;
        }
        try {
            beat();
            Map<String, Object> evicted = new LinkedHashMap<>();
            var rows = pool.preparedQuery("select user_id from privacy_requests where id = $1").execute(Tuple.of(requestId))
                    .await().atMost(Duration.ofSeconds(10));
            String user = rows.size() == 0 ? null : rows.iterator().next().getString(0);
            if (user != null) {
                forgotten.add(sha256(user));
                List<Long> knowing = new ArrayList<>();
                for (LoadedModel m : models.loaded()) if (m.users().indexOf(user) >= 0) knowing.add(m.identity().id());
                for (long id : knowing) models.unload(id);
                evicted.put("models", knowing.size());
                // trending counts included the deleted events
                evicted.put("trending", catalog.refreshTrending() ? 1 : 0);
            }
            reloadSuppressions();
            evicted.put("suppressedUsers", suppressed.size());
            pool.preparedQuery("""
                    insert into privacy_cache_acks (request_id, node_id, evicted) values ($1, $2, $3::text::jsonb)
                    on conflict (request_id, node_id) do update set acked_at = now(), evicted = excluded.evicted""")
                    .execute(Tuple.of(requestId, nodeId, io.vertx.core.json.Json.encode(evicted)))
                    .await().atMost(Duration.ofSeconds(10));
            LOG.infof("privacy request %d: evicted %s, acknowledged", requestId, evicted);
        } catch (RuntimeException e) {
            // no ack: the workflow re-notifies until its timeout
            LOG.warnf("privacy request %d: eviction failed (%s); not acknowledged", requestId, e.getMessage());
        }
    }

    private String hmac(String userId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key.orElseThrow());
            return HexFormat.of().formatHex(mac.doFinal(userId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
