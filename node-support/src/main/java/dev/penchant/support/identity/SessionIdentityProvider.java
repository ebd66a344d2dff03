package dev.penchant.support.identity;

import dev.penchant.support.security.Identities;
import dev.penchant.support.security.SessionTokenAuthenticationRequest;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Arrays;

/**
 * Authorization: Bearer <console session token> -> the console user's identity. Sessions are written
 * by platform-api (login, logout); any node with the database can check them, so a console user's
 * token works wherever an API key would.
 */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionTokenAuthenticationRequest> {
    private final Pool pool;
    private final CredentialCache cache;

    public SessionIdentityProvider(Pool pool, CredentialCache cache) {
        this.pool = pool;
        this.cache = cache;
    }

    @Override
    public Class<SessionTokenAuthenticationRequest> getRequestType() {
        return SessionTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionTokenAuthenticationRequest request, AuthenticationRequestContext context) {
        String token = request.token();
        if (token == null || token.isBlank() || token.length() > 512) return invalid();
        String hash = Secrets.hash(token);
        CredentialCache.Cached cached = cache.get(CredentialCache.Kind.SESSION, hash);
        if (cached != null) return cached.identity() == null ? invalid() : Uni.createFrom().item(cached.identity());
        return pool.preparedQuery("""
                        select u.username, u.roles, s.expires_at
                          from console_sessions s join console_users u on u.username = s.username
                         where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.disabled_at is null""")
                .execute(Tuple.of(hash))
                .onItem().transformToUni(rows -> {
                    if (rows.size() == 0) {
                        cache.invalid(CredentialCache.Kind.SESSION, hash);
                        return invalid();
                    }
                    Row r = rows.iterator().next();
                    Instant expires = r.getOffsetDateTime(2).toInstant();
                    SecurityIdentity id = Identities.consoleUser(r.getString(0), Arrays.asList(r.getArrayOfStrings(1)), expires);
                    cache.valid(CredentialCache.Kind.SESSION, hash, id, expires);
                    return Uni.createFrom().item(id);
                });
    }

    private static Uni<SecurityIdentity> invalid() {
        return Uni.createFrom().failure(new AuthenticationFailedException("invalid session"));
    }
}
