package dev.penchant.support.problem;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures are "the database is away" (503 + Retry-After) rather than bugs (500). */
class DatabaseUnavailableTest {
    @Test
    void connectionFailuresAnywhereInTheChainAreUnavailability() {
        assertTrue(DatabaseUnavailable.is(new RuntimeException("wrapped", new ConnectException("Connection refused"))));
        assertTrue(DatabaseUnavailable.is(new IllegalStateException(new SQLException("refused", "08001"))));
        assertTrue(DatabaseUnavailable.is(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(DatabaseUnavailable.is(new SQLException("the database system is starting up", "57P03")));
        assertTrue(DatabaseUnavailable.is(new SQLException("Acquisition timeout while waiting for new connection")));
    }

    @Test
    void otherDatabaseErrorsAreNot() {
        assertFalse(DatabaseUnavailable.is(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseUnavailable.is(new SQLException("syntax error", "42601")));
        assertFalse(DatabaseUnavailable.is(new NullPointerException()));
    }
}
