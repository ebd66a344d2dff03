package dev.penchant.admin;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console request's caller: the credential platform-api gets (so it checks the role again and
 * audits under this user's name) and the page shell.
 */
@RequestScoped
public class Caller {
    private final SecurityIdentity identity;
    private final RoutingContext rc;
    private final Csrf csrf;

    public Caller(SecurityIdentity identity, RoutingContext rc, Csrf csrf) {
        this.identity = identity;
        this.rc = rc;
        this.csrf = csrf;
    }

    public String auth() {
        return Credentials.of(identity).authorization();
    }

    public String key() {
        return Credentials.of(identity).apiKey();
    }

    /** The login page's shell: no user, only this browser's CSRF token (the identity is not looked at). */
    public Shell anonymous(String active) {
        return new Shell(null, Set.of(), csrf.token(rc), active);
    }

    public Shell shell(String active) {
        Set<String> roles = identity.isAnonymous() ? Set.of() : new TreeSet<>(identity.getRoles());
        return new Shell(identity.isAnonymous() ? null : identity.getPrincipal().getName(), roles, csrf.token(rc), active);
    }
}
