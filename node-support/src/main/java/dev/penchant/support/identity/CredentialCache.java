package dev.penchant.support.identity;

import dev.penchant.schema.Channels;
import dev.penchant.support.db.PgListener;
import dev.penchant.support.problem.DatabaseUnavailable;
import dev.penchant.support.problem.ProblemException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Verdicts on credentials (by hash): an identity, or "invalid". A verdict lives at most cache-ttl
 * (never past the credential's own expiry), an invalid one negative-cache-ttl. A revocation anywhere
 * NOTIFYs api_keys_changed / console_sessions_changed, and every node listening drops its verdicts at
 * once; the TTL is the backstop for a node that missed it.
 *
 * <p>While the database cannot be reached, a credential this node verified within the last
 * outage-grace (and that has not expired) is still let through, so serving goes on through a database
 * restart; nothing can be revoked while the database is down, so the only credential this admits
 * wrongly is one revoked just before the outage whose NOTIFY this node missed. Anything else answers
 * 503 with Retry-After, not 401: the credential may be fine.
 */
@Singleton
public class CredentialCache {
    private static final Logger LOG = Logger.getLogger(CredentialCache.class);
    static final Duration MAX_TTL = Duration.ofSeconds(5);

    public enum Kind { API_KEY, SESSION }

    /** @param graceUntilNanos how long a positive verdict may stand in while the database is unreachable */
    private record Verdict(SecurityIdentity identity, long expiresAtNanos, long graceUntilNanos) {
    }

    private final AuthConfig config;
    private final PgListener listener;
    private final Map<String, Verdict> keys = new ConcurrentHashMap<>();
    private final Map<String, Verdict> sessions = new ConcurrentHashMap<>();

    public CredentialCache(AuthConfig config, PgListener listener) {
        this.config = config;
        this.listener = listener;
        if (config.cacheTtl().compareTo(MAX_TTL) > 0 || config.negativeCacheTtl().compareTo(MAX_TTL) > 0) {
            throw new IllegalStateException("penchant.auth.cache-ttl and penchant.auth.negative-cache-ttl must be at most "
                    + MAX_TTL + " (a revoked credential must stop working within it)");
        }
    }

    void onStart(@Observes StartupEvent ev) {
        if (!config.listen()) {
            LOG.info("not listening for credential revocations (penchant.auth.listen=false); cache TTL " + config.cacheTtl());
            return;
        }
        listener.listen(Channels.API_KEYS_CHANGED, payload -> keys.clear());
        listener.listen(Channels.CONSOLE_SESSIONS_CHANGED, payload -> sessions.clear());
    }

    void onStop(@Observes ShutdownEvent ev) {
        keys.clear();
        sessions.clear();
    }

    /** What the database says of a credential: its identity and when the credential itself expires. */
    public record Found(SecurityIdentity identity, Instant expiresAt) {
    }

    /**
     * The identity of the credential with this hash: from a fresh verdict, else from lookup (empty =
     * unknown), which is then remembered. Fails with AuthenticationFailedException when invalid.
     */
    public Uni<SecurityIdentity> verify(Kind kind, String hash, Supplier<Uni<Optional<Found>>> lookup) {
        Verdict v = map(kind).get(hash);
        if (v != null && v.expiresAtNanos - System.nanoTime() > 0) {
            return v.identity == null ? invalid() : Uni.createFrom().item(v.identity);
        }
        return lookup.get().onItem().transformToUni(found -> {
            if (found.isEmpty()) {
                invalid(kind, hash);
                return invalid();
            }
            valid(kind, hash, found.get().identity(), found.get().expiresAt());
            return Uni.createFrom().item(found.get().identity());
        }).onFailure(DatabaseUnavailable::is).recoverWithUni(e -> {
            // the verdict is not renewed: the grace counts from the last real verification
            if (v != null && v.identity != null && v.graceUntilNanos - System.nanoTime() > 0) {
                LOG.debugf("database unavailable (%s); trusting a credential verified within %s", e, config.outageGrace());
                return Uni.createFrom().item(v.identity);
            }
            return Uni.createFrom().failure(ProblemException.unavailable(
                    "The credential cannot be checked: the database is unavailable", DatabaseUnavailable.RETRY_AFTER_SECONDS));
        });
    }

    public static Uni<SecurityIdentity> invalid() {
        return Uni.createFrom().failure(new AuthenticationFailedException("invalid credential"));
    }

    private void valid(Kind kind, String hash, SecurityIdentity identity, Instant credentialExpiresAt) {
        long ttl = config.cacheTtl().toNanos();
        long grace = config.outageGrace().toNanos();
        if (credentialExpiresAt != null) {
            long left = Math.max(0, Duration.between(Instant.now(), credentialExpiresAt).toNanos());
            ttl = Math.min(ttl, left);
            grace = Math.min(grace, left);
        }
        long now = System.nanoTime();
        put(kind, hash, new Verdict(identity, now + ttl, now + grace));
    }

    private void invalid(Kind kind, String hash) {
        long now = System.nanoTime();
        put(kind, hash, new Verdict(null, now + config.negativeCacheTtl().toNanos(), now));
    }

    /** This node's own change: forget at once (the NOTIFY tells the others). */
    public void forget(Kind kind) {
        map(kind).clear();
    }

    private void put(Kind kind, String hash, Verdict v) {
        Map<String, Verdict> m = map(kind);
        if (m.size() >= config.cacheMaxEntries()) {
            m.clear(); // crude bound; a full cache means someone is trying many credentials
        }
        m.put(hash, v);
    }

    private Map<String, Verdict> map(Kind kind) {
        return kind == Kind.API_KEY ? keys : sessions;
    }
}
