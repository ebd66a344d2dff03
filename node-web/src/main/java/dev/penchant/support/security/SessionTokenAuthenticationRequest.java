package dev.penchant.support.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A console session token (Authorization: Bearer, or the admin console's cookie) to verify. */
public final class SessionTokenAuthenticationRequest extends BaseAuthenticationRequest {
    private final String token;

    public SessionTokenAuthenticationRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
