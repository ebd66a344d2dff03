package dev.penchant.training.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/** The few JDBC helpers the store's classes share: one statement, or several in one transaction. */
public final class Jdbc {
    private Jdbc() {
    }

    public interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    public interface Reader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Work on one connection inside a transaction. */
    public interface Work<T> {
        T run(Connection c) throws Exception;
    }

    public static final Binder NONE = ps -> {
    };

    public static <T> T query(DataSource db, String sql, Binder binder, Reader<T> reader) {
        try (Connection c = db.getConnection()) {
            return query(c, sql, binder, reader);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public static <T> T query(Connection c, String sql, Binder binder, Reader<T> reader) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return reader.read(rs);
            }
        }
    }

    public static int update(DataSource db, String sql, Binder binder) {
        try (Connection c = db.getConnection()) {
            return update(c, sql, binder);
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    public static int update(Connection c, String sql, Binder binder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        }
    }

    /**
     * Runs work in one transaction: committed when it returns, rolled back when it throws (a
     * RuntimeException or SQLException is rethrown as is or as StoreException; others wrapped).
     */
    public static <T> T inTransaction(DataSource db, Work<T> work) {
        try (Connection c = db.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (Throwable t) {
                c.rollback();
                throw t;
            } finally {
                c.setAutoCommit(auto);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (SQLException e) {
            throw new StoreException(e);
        } catch (Exception e) {
            throw new StoreException(e.getMessage(), e);
        } catch (Error e) {
            throw e;
        } catch (Throwable t) {
            throw new StoreException(t.getMessage(), t);
        }
    }

    public static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    public static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
