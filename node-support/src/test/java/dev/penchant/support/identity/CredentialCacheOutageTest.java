package dev.penchant.support.identity;

import dev.penchant.support.problem.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The outage grace: verified credentials keep working while the database is away, others get 503. */
class CredentialCacheOutageTest {
    static final SecurityIdentity ID = QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal("k")).addRole("serve").build();

    static AuthConfig config(Duration grace) {
        return new AuthConfig() {
            public Optional<List<String>> bootstrapKeys() { return Optional.empty(); }
            public Duration cacheTtl() { return Duration.ofMillis(1); }
            public Duration negativeCacheTtl() { return Duration.ofMillis(1); }
            public int cacheMaxEntries() { return 100; }
            public boolean listen() { return false; }
            public Duration outageGrace() { return grace; }
        };
    }

    static Uni<Optional<CredentialCache.Found>> ok() {
        return Uni.createFrom().item(Optional.of(new CredentialCache.Found(ID, null)));
    }

    static Uni<Optional<CredentialCache.Found>> down() {
        return Uni.createFrom().failure(new IllegalStateException(new ConnectException("Connection refused")));
    }

    @Test
    void aVerifiedKeyOutlivesItsTtlWhileTheDatabaseIsAwayAndAnUnknownOneGets503() throws Exception {
        CredentialCache cache = new CredentialCache(config(Duration.ofSeconds(30)), null);
        assertSame(ID, cache.verify(CredentialCache.Kind.API_KEY, "h", CredentialCacheOutageTest::ok).await().indefinitely());
        Thread.sleep(5); // past the TTL: the database is asked, and is away
        assertSame(ID, cache.verify(CredentialCache.Kind.API_KEY, "h", CredentialCacheOutageTest::down).await().indefinitely());
        ProblemException p = assertThrows(ProblemException.class,
                () -> cache.verify(CredentialCache.Kind.API_KEY, "other", CredentialCacheOutageTest::down).await().indefinitely());
        assertEquals(503, p.status());
        assertEquals(2, p.retryAfterSeconds());
    }

    @Test
    void theGraceIsBounded() throws Exception {
        CredentialCache cache = new CredentialCache(config(Duration.ofMillis(50)), null);
        cache.verify(CredentialCache.Kind.API_KEY, "h", CredentialCacheOutageTest::ok).await().indefinitely();
        Thread.sleep(80);
        ProblemException p = assertThrows(ProblemException.class,
                () -> cache.verify(CredentialCache.Kind.API_KEY, "h", CredentialCacheOutageTest::down).await().indefinitely());
        assertEquals(503, p.status());
    }
}
