package io.customerhub.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The store's two ways to run SQL: a unit of work in one transaction, and one parameterized update. */
final class Transactions {

    /** A unit of work on one connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /**
     * Runs {@code work} in one transaction on a connection of {@code dataSource}: committed when it
     * returns, rolled back when it throws.
     *
     * @throws StoreException naming {@code what} when the database fails
     */
    static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                connection.setAutoCommit(autoCommit);
                return result;
            } catch (Throwable failure) {
                try {
                    connection.rollback();
                    connection.setAutoCommit(autoCommit);
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code work} as {@link #inTransaction} does, holding the store's write lock ({@link #lock}),
     * for every unit of work that matches records or changes golden records.
     */
    static <T> T inLockedTransaction(DataSource dataSource, String what, Work<T> work) {
        return inTransaction(dataSource, what, connection -> {
            lock(connection);
            return work.run(connection);
        });
    }

    /**
     * Takes the store's write lock until the transaction ends: the {@code store_lock} row, locked FOR
     * UPDATE, which H2 and PostgreSQL both honour, across threads and processes alike. Returns the
     * store sequence: the last number given to a source record ({@code customer_source.seq}).
     */
    static long lock(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT seq FROM store_lock WHERE name = 'store' FOR UPDATE");
             ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("store_lock has no row 'store': the store was not migrated by this version");
            }
            return rs.getLong(1);
        }
    }

    /** Moves the store sequence to {@code seq}, under the lock {@link #lock} took. */
    static void advance(Connection connection, long seq) throws SQLException {
        update(connection, "UPDATE store_lock SET seq = ? WHERE name = 'store'", seq);
    }

    /** Executes one parameterized statement; returns the rows it changed. */
    static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
