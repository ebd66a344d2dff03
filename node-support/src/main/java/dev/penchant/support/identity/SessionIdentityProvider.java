package dev.penchant.support.identity;

import dev.penchant.support.security.Identities;
import dev.penchant.support.security.SessionTokenAuthenticationRequest;
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
import java.util.Optional;

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
        if (token == null || token.isBlank() || token.length() > 512) return CredentialCache.invalid();
        String hash = Secrets.hash(token);
        return cache.verify(CredentialCache.Kind.SESSION, hash, () -> pool.preparedQuery("""
                        select u.username, u.roles, s.expires_at
                          from console_sessions s join console_users u on u.username = s.username
                         where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.disabled_at is null""")
                .execute(Tuple.of(hash))
                .map(rows -> {
                    if (rows.size() == 0) return Optional.empty();
                    Row r = rows.iterator().next();
                    Instant expires = r.getOffsetDateTime(2).toInstant();
                    return Optional.of(new CredentialCache.Found(
                            Identities.consoleUser(r.getString(0), Arrays.asList(r.getArrayOfStrings(1)), expires), expires));
                }));
    }
}
