package dev.penchant.admin;

import dev.penchant.support.security.SessionTokenAuthenticationRequest;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;

/**
 * The console's session cookie (HttpOnly, SameSite=Strict) holding platform-api's session token; the
 * identity comes from platform-api ({@link PlatformIdentities}). Header credentials (X-API-Key,
 * Authorization: Bearer) are node-web's CredentialMechanism's, which this node has too.
 */
@ApplicationScoped
public class SessionCookieMechanism implements HttpAuthenticationMechanism {
    public static final String COOKIE = "penchant_session";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        Cookie c = context.request().getCookie(COOKIE);
        if (c == null || c.getValue() == null || c.getValue().isBlank()) return Uni.createFrom().optional(Optional.empty());
        SessionTokenAuthenticationRequest request = new SessionTokenAuthenticationRequest(c.getValue());
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identities.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(302, "Location", ConsolePages.LOGIN));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SessionTokenAuthenticationRequest.class);
    }
}
