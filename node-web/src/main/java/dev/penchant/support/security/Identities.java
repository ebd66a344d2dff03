package dev.penchant.support.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import java.time.Instant;
import java.util.Collection;

/**
 * How Penchant identities look, whichever credential made them: the principal is the key's name or
 * the console user's name; the attributes say which kind it is and give the audit log's actor
 * ("key:NAME" or "user:NAME", so a key and a user of the same name stay apart).
 */
public final class Identities {
    public static final String KIND = "penchant.kind";
    public static final String ACTOR = "penchant.actor";
    public static final String EXPIRES_AT = "penchant.expires-at";
    public static final String KIND_API_KEY = "api-key";
    public static final String KIND_CONSOLE_USER = "console-user";

    private Identities() {
    }

    public static SecurityIdentity apiKey(String name, Collection<String> roles, Instant expiresAt) {
        return build(KIND_API_KEY, "key:", name, roles, expiresAt);
    }

    public static SecurityIdentity consoleUser(String username, Collection<String> roles, Instant sessionExpiresAt) {
        return build(KIND_CONSOLE_USER, "user:", username, roles, sessionExpiresAt);
    }

    private static SecurityIdentity build(String kind, String actorPrefix, String name, Collection<String> roles,
                                          Instant expiresAt) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(name))
                .addRoles(Roles.effective(roles))
                .addAttribute(KIND, kind)
                .addAttribute(ACTOR, actorPrefix + name);
        if (expiresAt != null) b.addAttribute(EXPIRES_AT, expiresAt);
        return b.build();
    }

    /** The audit log's actor for an identity; "anonymous" when there is none. */
    public static String actor(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) return "anonymous";
        Object a = identity.getAttribute(ACTOR);
        return a == null ? identity.getPrincipal().getName() : a.toString();
    }
}
