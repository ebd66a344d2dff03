package dev.penchant.api.console;

import dev.penchant.schema.Channels;
import dev.penchant.support.audit.AuditLog;
import dev.penchant.support.problem.ProblemException;
import dev.penchant.support.identity.CredentialCache;
import dev.penchant.support.security.Roles;
import dev.penchant.support.identity.Secrets;
import dev.penchant.training.store.Jdbc;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Console users and sessions (tables console_users, console_sessions; platform-api owns them). Plain
 * JDBC on worker threads: bcrypt is slow on purpose, and each login is one transaction that also
 * writes its audit row. max-failed-logins consecutive failures lock the user for lockout; each failure
 * after a lock ends doubles it (up to an hour); attempts during a lock are refused without extending
 * it. The answer to any failed login is the same, so it never says which part was wrong.
 */
@Singleton
public class ConsoleAccounts {
    private static final Logger LOG = Logger.getLogger(ConsoleAccounts.class);
    public static final String TOKEN_PREFIX = "ps_";
    static final Duration MAX_LOCKOUT = Duration.ofHours(1);

    public record Session(String token, String username, List<String> roles, Instant expiresAt) {
    }

    public record UserView(String username, List<String> roles, boolean disabled, Instant lockedUntil,
                           int failedLogins, Instant createdAt, String createdBy, Instant lastLoginAt) {
    }

    private final AgroalDataSource db;
    private final ConsoleConfig config;
    private final CredentialCache cache;

    public ConsoleAccounts(AgroalDataSource db, ConsoleConfig config, CredentialCache cache) {
        this.db = db;
        this.config = config;
        this.cache = cache;
    }

    /** The first admin from configuration; in prod, a missing or short password with no admin yet fails start. */
    void bootstrap(@Observes StartupEvent ev) throws SQLException {
        String user = config.adminUser();
        Optional<String> password = config.adminPassword().filter(p -> !p.isEmpty());
        boolean prod = ConfigUtils.getProfiles().contains("prod");
        if (password.isPresent() && Passwords.weakness(password.get()) != null) {
            String msg = "penchant.console.admin-password must have " + Passwords.weakness(password.get());
            if (prod) throw new IllegalStateException(msg);
            LOG.warn(msg + "; no console admin configured");
            return;
        }
        if (password.isEmpty()) {
            if (prod && !adminExists()) {
                throw new IllegalStateException("No console admin: set penchant.console.admin-password "
                        + "(env PENCHANT_CONSOLE_ADMIN_PASSWORD, at least " + Passwords.MIN_LENGTH
                        + " characters) for the first admin, '" + user + "' (penchant.console.admin-user)");
            }
            if (!adminExists()) LOG.warn("no console admin: set penchant.console.admin-password to log in to the console");
            return;
        }
        inTransaction(c -> {
            Optional<String> hash = passwordHash(c, user, true);
            if (hash.isEmpty()) {
                insertUser(c, user, password.get(), List.of(Roles.ADMIN), "configuration");
                AuditLog.write(c, new AuditLog.Entry("configuration", "console-user.created", user,
                        Map.of("roles", List.of(Roles.ADMIN))));
                LOG.infof("console admin '%s' created from configuration", user);
            } else if (!Passwords.verify(password.get(), hash.get())) {
                update(c, "update console_users set password_hash = ?, failed_logins = 0, locked_until = null where username = ?",
                        Passwords.hash(password.get()), user);
                AuditLog.write(c, new AuditLog.Entry("configuration", "console-user.password-set", user, Map.of()));
            }
            return null;
        });
    }

    private boolean adminExists() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select 1 from console_users where 'admin' = any(roles) and disabled_at is null")) {
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A session for the right password; empty for any failure (unknown user, wrong password, locked, disabled). */
    public Optional<Session> login(String username, String password) {
        if (username == null || password == null || username.length() > 100 || password.length() > Passwords.MAX_LENGTH) {
            if (password != null && password.length() <= Passwords.MAX_LENGTH) Passwords.decoy(password);
            return Optional.empty();
        }
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    select password_hash, roles, failed_logins, locked_until > now(), disabled_at is not null
                      from console_users where username = ? for update""")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        Passwords.decoy(password);
                        // the attempted name is not recorded: it may be anything, a mistyped password included
                        AuditLog.write(c, new AuditLog.Entry("anonymous", "console.login-failed", null,
                                Map.of("reason", "unknown-user")));
                        return Optional.empty();
                    }
                    String hash = rs.getString(1);
                    List<String> roles = strings(rs.getArray(2));
                    int failures = rs.getInt(3);
                    boolean locked = rs.getBoolean(4);
                    boolean disabled = rs.getBoolean(5);
                    boolean ok = Passwords.verify(password, hash);
                    if (disabled || locked || !ok) {
                        String reason = disabled ? "disabled" : locked ? "locked" : "wrong-password";
                        // attempts during a lock do not extend it; the next failure after it doubles it
                        if (!disabled && !locked) recordFailure(c, username, failures + 1);
                        AuditLog.write(c, new AuditLog.Entry("user:" + username, "console.login-failed", username,
                                Map.of("reason", reason)));
                        return Optional.empty();
                    }
                    update(c, "update console_users set failed_logins = 0, locked_until = null, last_login_at = now() where username = ?",
                            username);
                    String token = Secrets.newToken(TOKEN_PREFIX);
                    Instant expires = Instant.now().plus(config.sessionTtl());
                    try (PreparedStatement ins = c.prepareStatement(
                            "insert into console_sessions (token_hash, username, expires_at) values (?, ?, ?)")) {
                        ins.setString(1, Secrets.hash(token));
                        ins.setString(2, username);
                        ins.setTimestamp(3, Timestamp.from(expires));
                        ins.executeUpdate();
                    }
                    AuditLog.write(c, new AuditLog.Entry("user:" + username, "console.login", username, Map.of()));
                    return Optional.of(new Session(token, username, roles, expires));
                }
            }
        });
    }

    /** Counts a failure; from the limit on, locks for lockout * 2^(failures - limit), at most an hour. */
    private void recordFailure(Connection c, String username, int failures) throws SQLException {
        Instant lockedUntil = null;
        if (failures >= config.maxFailedLogins()) {
            int doublings = Math.min(20, failures - config.maxFailedLogins());
            Duration lock = config.lockout().multipliedBy(1L << doublings);
            if (lock.compareTo(MAX_LOCKOUT) > 0) lock = MAX_LOCKOUT;
            lockedUntil = Instant.now().plus(lock);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update console_users set failed_logins = ?, locked_until = coalesce(?, locked_until) where username = ?")) {
            ps.setInt(1, failures);
            ps.setTimestamp(2, lockedUntil == null ? null : Timestamp.from(lockedUntil));
            ps.setString(3, username);
            ps.executeUpdate();
        }
    }

    /** Ends the session of this token; every node drops it from its cache on the NOTIFY. */
    public boolean logout(String token, String actor) {
        String hash = Secrets.hash(token);
        boolean done = inTransaction(c -> {
            String user = null;
            try (PreparedStatement ps = c.prepareStatement(
                    "update console_sessions set revoked_at = now() where token_hash = ? and revoked_at is null returning username")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) user = rs.getString(1);
                }
            }
            if (user == null) return false;
            AuditLog.write(c, new AuditLog.Entry(actor, "console.logout", user, Map.of()));
            notifySessions(c, user);
            return true;
        });
        cache.forget(CredentialCache.Kind.SESSION);
        return done;
    }

    public UserView create(String username, String password, List<String> roles, String actor) {
        String weak = Passwords.weakness(password);
        if (weak != null) throw ProblemException.badField("password", weak);
        return inTransaction(c -> {
            if (passwordHash(c, username, false).isPresent()) {
                throw ProblemException.conflict("A console user named '" + username + "' already exists");
            }
            insertUser(c, username, password, roles, actor);
            AuditLog.write(c, new AuditLog.Entry(actor, "console-user.created", username, Map.of("roles", roles)));
            return find(c, username).orElseThrow();
        });
    }

    /** Disables the user and ends their sessions. */
    public UserView disable(String username, String actor) {
        UserView v = inTransaction(c -> {
            int n = update(c, "update console_users set disabled_at = coalesce(disabled_at, now()) where username = ?", username);
            if (n == 0) throw ProblemException.notFound("No console user '" + username + "'");
            update(c, "update console_sessions set revoked_at = now() where username = ? and revoked_at is null", username);
            AuditLog.write(c, new AuditLog.Entry(actor, "console-user.disabled", username, Map.of()));
            notifySessions(c, username);
            return find(c, username).orElseThrow();
        });
        cache.forget(CredentialCache.Kind.SESSION);
        return v;
    }

    public List<UserView> list() {
        return inTransaction(c -> {
            List<UserView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(USER_COLUMNS + " order by username"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(view(rs));
            }
            return out;
        });
    }

    private static final String USER_COLUMNS = """
            select username, roles, disabled_at is not null, locked_until, failed_logins, created_at, created_by, last_login_at
              from console_users""";

    private static Optional<UserView> find(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(USER_COLUMNS + " where username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    private static UserView view(ResultSet rs) throws SQLException {
        return new UserView(rs.getString(1), strings(rs.getArray(2)), rs.getBoolean(3), instant(rs.getTimestamp(4)),
                rs.getInt(5), instant(rs.getTimestamp(6)), rs.getString(7), instant(rs.getTimestamp(8)));
    }

    private static void insertUser(Connection c, String username, String password, List<String> roles, String actor)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into console_users (username, password_hash, roles, created_by) values (?, ?, ?, ?)")) {
            ps.setString(1, username);
            ps.setString(2, Passwords.hash(password));
            ps.setArray(3, c.createArrayOf("text", roles.toArray()));
            ps.setString(4, actor);
            ps.executeUpdate();
        }
    }

    private static Optional<String> passwordHash(Connection c, String username, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select password_hash from console_users where username = ?"
                + (lock ? " for update" : ""))) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    private static void notifySessions(Connection c, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_notify(?, ?)")) {
            ps.setString(1, Channels.CONSOLE_SESSIONS_CHANGED);
            ps.setString(2, username);
            ps.executeQuery().close();
        }
    }

    private static int update(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
            return ps.executeUpdate();
        }
    }

    private <T> T inTransaction(Jdbc.Work<T> work) {
        return Jdbc.inTransaction(db, work);
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
