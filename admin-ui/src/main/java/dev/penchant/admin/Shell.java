package dev.penchant.admin;

import dev.penchant.support.security.Roles;
import java.util.Set;

/**
 * What the layout of every page needs: who is logged in (null on the login page), their roles, this
 * browser's CSRF token for the forms, and which section is open.
 */
public record Shell(String user, Set<String> roles, String csrf, String active) {
    public boolean admin() {
        return roles.contains(Roles.ADMIN);
    }

    /** Reads the management pages (admin or analyst). */
    public boolean reader() {
        return admin() || roles.contains(Roles.ANALYST);
    }

    public boolean privacy() {
        return admin() || roles.contains(Roles.PRIVACY);
    }

    public boolean is(String section) {
        return section.equals(active);
    }
}
