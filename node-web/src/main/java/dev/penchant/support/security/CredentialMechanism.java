package dev.penchant.support.security;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Turns the credential of a request into an identity through the node's identity providers: an
 * {@code X-API-Key} header, or {@code Authorization: Bearer <console session token>}. No credential
 * leaves the request anonymous, so a {@code @RolesAllowed} method answers 401; a bad one fails the
 * authentication (401 too). Authentication is lazy (quarkus.http.auth.proactive=false), so both
 * surface as exceptions that {@code ProblemMappers} turn into problem+json.
 */
@ApplicationScoped
public class CredentialMechanism implements HttpAuthenticationMechanism {
    public static final String API_KEY_HEADER = "X-API-Key";
    public static final String CHALLENGE = "ApiKey header=\"" + API_KEY_HEADER + "\", Bearer realm=\"penchant\"";
    private static final int MAX_CREDENTIAL_LENGTH = 512;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        AuthenticationRequest request = credential(context);
        if (request == null) return Uni.createFrom().optional(java.util.Optional.empty());
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identities.authenticate(request);
    }

    /** The request's credential, or null when it carries none. */
    static AuthenticationRequest credential(RoutingContext context) {
        String key = context.request().getHeader(API_KEY_HEADER);
        if (key != null && !key.isBlank()) {
            return new ApiKeyAuthenticationRequest(bounded(key.strip()));
        }
        String auth = context.request().getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && auth.length() > 7) {
            return new SessionTokenAuthenticationRequest(bounded(auth.substring(7).strip()));
        }
        return null;
    }

    /** An over-long credential is never valid; cut it so nothing hashes megabytes. */
    private static String bounded(String s) {
        return s.length() > MAX_CREDENTIAL_LENGTH ? s.substring(0, MAX_CREDENTIAL_LENGTH + 1) : s;
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiKeyAuthenticationRequest.class, SessionTokenAuthenticationRequest.class);
    }
}
