package dev.penchant.training.store;

import java.sql.SQLException;

/** A database error in a store operation; the SQL state is kept for callers that map it. */
public final class StoreException extends RuntimeException {
    public StoreException(SQLException e) {
        super(e.getMessage(), e);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The SQLState of the underlying SQLException, or null. */
    public String sqlState() {
        return getCause() instanceof SQLException s ? s.getSQLState() : null;
    }
}
