package dev.penchant.support.security;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The roles a credential (API key or console user) can hold. Every REST method names the roles it
 * allows with {@code @RolesAllowed}; an admin identity holds every role, so admin passes any check.
 */
public final class Roles {
    /** Write events, users and items. */
    public static final String INGEST = "ingest";
    /** Read recommendations and similar items. */
    public static final String SERVE = "serve";
    /** Everything. */
    public static final String ADMIN = "admin";
    /** Privacy requests (deletion, export). */
    public static final String PRIVACY = "privacy";
    /** Read-only management: jobs, models, audit log, experiment results. */
    public static final String ANALYST = "analyst";

    public static final List<String> ALL = List.of(INGEST, SERVE, ADMIN, PRIVACY, ANALYST);

    private Roles() {
    }

    /** The roles an identity holds: admin expands to every role. */
    public static Set<String> effective(Iterable<String> granted) {
        Set<String> out = new LinkedHashSet<>();
        for (String r : granted) {
            if (ADMIN.equals(r)) {
                out.addAll(ALL);
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** Null when every role name is known, else the first unknown one. */
    public static String firstUnknown(Iterable<String> roles) {
        for (String r : roles) {
            if (r == null || !ALL.contains(r)) return String.valueOf(r);
        }
        return null;
    }
}
