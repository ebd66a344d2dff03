package dev.penchant.admin;

import dev.penchant.support.security.ApiKeyAuthenticationRequest;
import dev.penchant.support.security.Identities;
import dev.penchant.support.security.SessionTokenAuthenticationRequest;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who a console credential belongs to, as platform-api says (GET /v1/auth/session), reused for
 * penchant.console.identity-cache-ttl so a page does not cost a round trip per check. A credential
 * platform-api refuses is refused here.
 */
@ApplicationScoped
public class PlatformIdentities {
    private record Cached(SecurityIdentity identity, long expiresAtNanos) {
    }

    private final PlatformApi api;
    private final ConsoleUiConfig config;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public PlatformIdentities(PlatformApi api, ConsoleUiConfig config) {
        this.api = api;
        this.config = config;
        if (config.identityCacheTtl().toSeconds() > 5) {
            throw new IllegalStateException("penchant.console.identity-cache-ttl must be at most PT5S");
        }
    }

    Uni<SecurityIdentity> identify(Credentials credentials) {
        String key = hash((credentials.sessionToken() == null ? "k:" + credentials.apiKey() : "s:" + credentials.sessionToken()));
        Cached c = cache.get(key);
        if (c != null && c.expiresAtNanos - System.nanoTime() > 0) return Uni.createFrom().item(c.identity);
        return api.me(credentials.authorization(), credentials.apiKey())
                .map(me -> {
                    SecurityIdentity base = Identities.KIND_API_KEY.equals(me.kind())
                            ? Identities.apiKey(me.principal(), me.roles(), me.expiresAt())
                            : Identities.consoleUser(me.principal(), me.roles(), me.expiresAt());
                    SecurityIdentity id = QuarkusSecurityIdentity.builder(base).addAttribute(Credentials.ATTRIBUTE, credentials).build();
                    if (cache.size() > 10_000) cache.clear();
                    cache.put(key, new Cached(id, System.nanoTime() + config.identityCacheTtl().toNanos()));
                    return id;
                })
                .onFailure(WebApplicationException.class).transform(e -> {
                    int status = ((WebApplicationException) e).getResponse().getStatus();
                    return status == 401 || status == 403 ? new AuthenticationFailedException("refused by platform-api")
                            : new IllegalStateException("platform-api answered " + status + " to who-am-i", e);
                });
    }

    /** Forgets a credential at once (logout). */
    void forget(Credentials credentials) {
        cache.clear();
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ApplicationScoped
    public static class Sessions implements IdentityProvider<SessionTokenAuthenticationRequest> {
        private final PlatformIdentities identities;

        public Sessions(PlatformIdentities identities) {
            this.identities = identities;
        }

        @Override
        public Class<SessionTokenAuthenticationRequest> getRequestType() {
            return SessionTokenAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(SessionTokenAuthenticationRequest request, AuthenticationRequestContext context) {
            return identities.identify(new Credentials(request.token(), null));
        }
    }

    @ApplicationScoped
    public static class ApiKeys implements IdentityProvider<ApiKeyAuthenticationRequest> {
        private final PlatformIdentities identities;

        public ApiKeys(PlatformIdentities identities) {
            this.identities = identities;
        }

        @Override
        public Class<ApiKeyAuthenticationRequest> getRequestType() {
            return ApiKeyAuthenticationRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(ApiKeyAuthenticationRequest request, AuthenticationRequestContext context) {
            return identities.identify(new Credentials(null, request.key()));
        }
    }
}
