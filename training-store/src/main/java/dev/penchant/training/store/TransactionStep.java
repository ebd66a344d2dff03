package dev.penchant.training.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a caller adds to a store transaction (the platform's audit row), so the change and its
 * record commit together or not at all.
 */
@FunctionalInterface
public interface TransactionStep {
    TransactionStep NONE = c -> {
    };

    void run(Connection c) throws SQLException;
}
