package dev.penchant.support.auth;

import dev.penchant.support.problem.ProblemException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** API keys: stored as SHA-256 hashes in api_keys, checked through a short-lived in-process cache. */
@Singleton
public class ApiKeyService {
    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final AuthConfig config;
    /** key hash -> (valid?, expiry in System.nanoTime()) */
    private final Map<String, Verdict> cache = new ConcurrentHashMap<>();

    private record Verdict(boolean valid, long expiresAt) {
    }

    public record CreatedKey(long id, String name, String key, OffsetDateTime createdAt) {
    }

    public ApiKeyService(Pool pool, AuthConfig config) {
        this.pool = pool;
        this.config = config;
    }

    void bootstrap(@Observes StartupEvent event) {
        for (String key : config.bootstrapKeys().orElse(java.util.List.of())) {
            String k = key.strip();
            if (k.isEmpty()) {
                continue;
            }
            String hash = hash(k);
            // named after its hash prefix: stable across restarts, says nothing of the key
            pool.preparedQuery("insert into api_keys (name, key_hash) values ($1, $2) on conflict do nothing")
                    .execute(Tuple.of("bootstrap-" + hash.substring(0, 12), hash))
                    .await().indefinitely();
        }
        if (!config.enabled()) {
            LOG.warn("API-key authentication is OFF (penchant.auth.enabled=false)");
        }
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** True when the key exists and is not revoked (as of at most cache-ttl ago). */
    public Uni<Boolean> verify(String key) {
        if (key == null || key.isBlank() || key.length() > 512) {
            return Uni.createFrom().item(false);
        }
        String hash = hash(key.strip());
        long now = System.nanoTime();
        Verdict cached = cache.get(hash);
        if (cached != null && cached.expiresAt - now > 0) {
            return Uni.createFrom().item(cached.valid);
        }
        return pool.preparedQuery("select 1 from api_keys where key_hash = $1 and revoked_at is null")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    boolean valid = rows.size() > 0;
                    if (cache.size() >= config.cacheMaxEntries()) {
                        cache.clear(); // crude bound; a full cache means someone is trying many keys
                    }
                    long ttl = (valid ? config.cacheTtl() : config.negativeCacheTtl()).toNanos();
                    cache.put(hash, new Verdict(valid, System.nanoTime() + ttl));
                    return valid;
                });
    }

    /** Creates a key; the plaintext is returned here once and never stored. */
    public Uni<CreatedKey> create(String name) {
        String key = "pk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(32));
        String hash = hash(key);
        return pool.preparedQuery("insert into api_keys (name, key_hash) values ($1, $2) returning id, created_at")
                .execute(Tuple.of(name, hash))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    cache.remove(hash);
                    return new CreatedKey(r.getLong("id"), name, key, r.getOffsetDateTime("created_at"));
                })
                .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
                .transform(e -> ProblemException.conflict("An API key named '" + name + "' already exists"));
    }

    /** Revokes by name; takes effect on other nodes within cache-ttl. */
    public Uni<Boolean> revoke(String name) {
        return pool.preparedQuery("update api_keys set revoked_at = now() where name = $1 and revoked_at is null returning key_hash")
                .execute(Tuple.of(name))
                .map(rows -> {
                    rows.forEach(r -> cache.remove(r.getString(0)));
                    return rows.size() > 0;
                });
    }

    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
