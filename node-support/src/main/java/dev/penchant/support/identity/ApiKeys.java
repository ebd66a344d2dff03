package dev.penchant.support.identity;

import dev.penchant.schema.Channels;
import dev.penchant.support.audit.AuditLog;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.Roles;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * API keys (table api_keys): SHA-256 hashed, with roles, optional expiry, last use. Verification goes
 * through the {@link CredentialCache}; a revocation NOTIFYs {@link Channels#API_KEYS_CHANGED} in its
 * transaction, so every listening node drops its verdicts when it commits.
 */
@Singleton
public class ApiKeys {
    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    public static final String PREFIX = "pk_";
    /** A configured bootstrap key shorter than this refuses to start in the prod profile. */
    public static final int MIN_CONFIGURED_KEY_LENGTH = 32;
    static final String BOOTSTRAP_NAME = "bootstrap-";

    public record CreatedKey(String name, List<String> roles, String key, OffsetDateTime createdAt,
                             OffsetDateTime expiresAt) {
    }

    public record KeyView(String name, List<String> roles, OffsetDateTime createdAt, OffsetDateTime expiresAt,
                          OffsetDateTime revokedAt, OffsetDateTime lastUsedAt, String createdBy) {
    }

    private final Pool pool;
    private final AuthConfig config;
    private final CredentialCache cache;

    public ApiKeys(Pool pool, AuthConfig config, CredentialCache cache) {
        this.pool = pool;
        this.config = config;
        this.cache = cache;
    }

    /** Stores the configured bootstrap keys (admin); a revoked one stays revoked. Runs before the node serves. */
    void bootstrap(@Observes @Priority(10) StartupEvent event) {
        List<String> configured = configuredKeys();
        if (ConfigUtils.getProfiles().contains("prod")) {
            for (String k : configured) {
                if (k.length() < MIN_CONFIGURED_KEY_LENGTH) {
                    throw new IllegalStateException("penchant.auth.bootstrap-keys: a configured key must be at least "
                            + MIN_CONFIGURED_KEY_LENGTH + " characters in the prod profile (one has " + k.length() + ")");
                }
            }
        }
        for (String k : configured) {
            String hash = Secrets.hash(k);
            // named after its hash prefix: stable across restarts, says nothing of the key
            pool.preparedQuery("""
                            insert into api_keys (name, key_hash, roles, created_by) values ($1, $2, '{admin}', 'configuration')
                            on conflict do nothing""")
                    .execute(Tuple.of(BOOTSTRAP_NAME + hash.substring(0, 12), hash))
                    .await().indefinitely();
        }
    }

    public List<String> configuredKeys() {
        return config.bootstrapKeys().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The key's identity, or a failure (AuthenticationFailedException) when unknown, expired or revoked. */
    public Uni<SecurityIdentity> verify(String key) {
        if (key == null || key.isBlank() || key.length() > 512) return CredentialCache.invalid();
        String hash = Secrets.hash(key);
        return cache.verify(CredentialCache.Kind.API_KEY, hash, () -> pool.preparedQuery("""
                        with k as (select name, roles, expires_at, revoked_at, expires_at is not null and expires_at <= now() as expired
                                     from api_keys where key_hash = $1),
                        touched as (update api_keys set last_used_at = now()
                                     where key_hash = $1 and revoked_at is null and (expires_at is null or expires_at > now())
                                       and (last_used_at is null or last_used_at < now() - interval '1 minute'))
                        select name, roles, expires_at from k where revoked_at is null and not expired""")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    if (rows.size() == 0) return Optional.empty();
                    Row r = rows.iterator().next();
                    Instant expires = instant(r.getOffsetDateTime("expires_at"));
                    return Optional.of(new CredentialCache.Found(
                            Identities.apiKey(r.getString("name"), Arrays.asList(r.getArrayOfStrings("roles")), expires), expires));
                }));
    }

    /** Creates a key; the plaintext is returned here once and never stored. Audited in the same transaction. */
    public Uni<CreatedKey> create(String name, List<String> roles, Instant expiresAt, String actor) {
        String key = Secrets.newToken(PREFIX);
        String hash = Secrets.hash(key);
        OffsetDateTime expires = expiresAt == null ? null : expiresAt.atOffset(ZoneOffset.UTC);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("roles", roles);
        if (expiresAt != null) details.put("expiresAt", expiresAt.toString());
        return pool.withTransaction(c -> c.preparedQuery("""
                                insert into api_keys (name, key_hash, roles, expires_at, created_by)
                                values ($1, $2, $3::text[], $4, $5) returning created_at""")
                        .execute(Tuple.of(name, hash, roles.toArray(String[]::new), expires, actor))
                        .call(rows -> AuditLog.write(c, new AuditLog.Entry(actor, "api-key.created", name, details)))
                        .map(rows -> new CreatedKey(name, List.copyOf(roles), key,
                                rows.iterator().next().getOffsetDateTime(0).withOffsetSameInstant(ZoneOffset.UTC), expires)))
                .onFailure(e -> e instanceof PgException pg && "23505".equals(pg.getSqlState()))
                .transform(e -> ProblemException.conflict("An API key named '" + name + "' already exists"));
    }

    public Uni<List<KeyView>> list() {
        return pool.query("""
                        select name, roles, created_at, expires_at, revoked_at, last_used_at, created_by
                          from api_keys order by created_at, name""").execute()
                .map(rows -> {
                    List<KeyView> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new KeyView(r.getString(0), Arrays.asList(r.getArrayOfStrings(1)), utc(r.getOffsetDateTime(2)),
                                utc(r.getOffsetDateTime(3)), utc(r.getOffsetDateTime(4)), utc(r.getOffsetDateTime(5)),
                                r.getString(6)));
                    }
                    return out;
                });
    }

    /**
     * Revokes by name, audited and announced in one transaction; every node refuses the key once it
     * hears the NOTIFY, and within cache-ttl at the latest. False when it was already revoked.
     */
    public Uni<Boolean> revoke(String name, String actor) {
        return pool.withTransaction(c -> c.preparedQuery("""
                                with prev as (select name from api_keys where name = $1 for update),
                                upd as (update api_keys set revoked_at = now() where name = $1 and revoked_at is null returning 1)
                                select (select count(*) from prev), (select count(*) from upd)""")
                        .execute(Tuple.of(name))
                        .flatMap(rows -> {
                            Row r = rows.iterator().next();
                            if (r.getLong(0) == 0) return Uni.createFrom().failure(ProblemException.notFound("No API key named '" + name + "'"));
                            if (r.getLong(1) == 0) return Uni.createFrom().item(false);
                            return AuditLog.write(c, new AuditLog.Entry(actor, "api-key.revoked", name, Map.of()))
                                    .chain(() -> c.preparedQuery("select pg_notify($1, $2)")
                                            .execute(Tuple.of(Channels.API_KEYS_CHANGED, name)))
                                    .replaceWith(true);
                        }))
                .invoke(() -> cache.forget(CredentialCache.Kind.API_KEY));
    }

    /**
     * A fresh installation's way in: with no configured bootstrap key and no usable admin key in the
     * table, creates a random admin key and returns it (to be logged once). Serialised across nodes by
     * an advisory lock, so two platform-api instances starting together make one.
     */
    public Uni<Optional<CreatedKey>> ensureAdminKey() {
        if (!configuredKeys().isEmpty()) return Uni.createFrom().item(Optional.empty());
        return pool.withTransaction(c -> c.query("select pg_advisory_xact_lock(hashtext('penchant.bootstrap-admin-key'))").execute()
                .chain(() -> c.query("""
                        select count(*) from api_keys where 'admin' = any(roles) and revoked_at is null
                           and (expires_at is null or expires_at > now())""").execute())
                .flatMap(rows -> {
                    if (rows.iterator().next().getLong(0) > 0) return Uni.createFrom().item(Optional.<CreatedKey>empty());
                    String key = Secrets.newToken(PREFIX);
                    String hash = Secrets.hash(key);
                    String name = BOOTSTRAP_NAME + hash.substring(0, 12);
                    return c.preparedQuery("""
                                    insert into api_keys (name, key_hash, roles, created_by) values ($1, $2, '{admin}', 'installation')
                                    returning created_at""")
                            .execute(Tuple.of(name, hash))
                            .call(r -> AuditLog.write(c, new AuditLog.Entry("installation", "api-key.created", name,
                                    Map.of("roles", List.of(Roles.ADMIN), "generated", true))))
                            .map(r -> Optional.of(new CreatedKey(name, List.of(Roles.ADMIN), key,
                                    r.iterator().next().getOffsetDateTime(0), null)));
                }))
                .invoke(k -> k.ifPresent(x -> LOG.debugf("generated admin key %s", x.name())));
    }

    private static OffsetDateTime utc(OffsetDateTime t) {
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
