package dev.penchant.admin;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The credential a console request came with, kept on its identity so pages call platform-api as
 * the same caller: the session token (cookie or bearer) or an API key.
 */
public record Credentials(String sessionToken, String apiKey) {
    public static final String ATTRIBUTE = "penchant.console.credentials";

    public String authorization() {
        return sessionToken == null ? null : "Bearer " + sessionToken;
    }

    public static Credentials of(SecurityIdentity identity) {
        Object c = identity == null ? null : identity.getAttribute(ATTRIBUTE);
        return c instanceof Credentials x ? x : new Credentials(null, null);
    }
}
