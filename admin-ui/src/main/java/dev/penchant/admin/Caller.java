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

    public Shell shell(String active) {
        Set<String> roles = identity.isAnonymous() ? Set.of() : new TreeSet<>(identity.getRoles());
        return new Shell(identity.isAnonymous() ? null : identity.getPrincipal().getName(), roles, csrf.token(rc), active);
    }
}
