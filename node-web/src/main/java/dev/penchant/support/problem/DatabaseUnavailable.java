package dev.penchant.support.problem;

import java.util.Set;

/**
 * Whether a failure means "the database cannot be reached right now" (refused or lost connection,
 * server shutting down or starting, pool wait timed out) rather than a bug: such requests answer 503
 * with Retry-After, never 500, and the client's retry is expected to succeed once PostgreSQL is back.
 * Classified by class name and SQLState, so this module needs neither the JDBC driver nor the reactive client.
 */
public final class DatabaseUnavailable {
    /** What clients are told to wait before retrying (Retry-After, seconds). */
    public static final int RETRY_AFTER_SECONDS = 2;

    /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up), plus all of class 08 (connection exception). */
    static final Set<String> STATES = Set.of("57P01", "57P02", "57P03");

    private static final Set<String> CLASSES = Set.of(
            "java.net.ConnectException",
            "java.nio.channels.ClosedChannelException",
            "java.sql.SQLTransientConnectionException",
            "java.sql.SQLNonTransientConnectionException",
            "io.netty.channel.ConnectTimeoutException",
            "io.netty.channel.AbstractChannel$AnnotatedConnectException",
            "io.vertx.sqlclient.ClosedConnectionException",
            "io.vertx.core.VertxException$ClosedConnection",
            "io.smallrye.mutiny.TimeoutException");

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < 20; t = t.getCause() == t ? null : t.getCause()) {
            if (CLASSES.contains(t.getClass().getName())) return true;
            String state = sqlState(t);
            if (state != null && (state.startsWith("08") || STATES.contains(state))) return true;
            String m = t.getMessage();
            if (m != null && (m.contains("Connection refused") || m.contains("Connection is closed")
                    || m.contains("Acquisition timeout") || m.contains("Timeout waiting for connection")
                    || m.contains("Connection closed") || m.contains("terminating connection due to administrator command"))) {
                return true;
            }
        }
        return false;
    }

    /** The SQLState of a JDBC SQLException or a reactive PgException (by its getSqlState), else null. */
    static String sqlState(Throwable t) {
        if (t instanceof java.sql.SQLException s) return s.getSQLState();
        if (t.getClass().getName().equals("io.vertx.pgclient.PgException")) {
            try {
                Object s = t.getClass().getMethod("getSqlState").invoke(t);
                return s == null ? null : s.toString();
            } catch (ReflectiveOperationException ignored) {
                return null;
            }
        }
        return null;
    }
}
