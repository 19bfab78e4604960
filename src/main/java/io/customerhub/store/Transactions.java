package io.customerhub.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The store's two ways to run SQL: a unit of work in one transaction, and one parameterized update. */
final class Transactions {

    /**
     * Keys per {@code IN (...)} list. H2 finds each key by index but then re-checks every found row
     * against the whole list, so the cost of a chunk grows with its square: 100 keys per query found
     * 1000 stored keys about six times faster than one list of 1000.
     */
    private static final int IN_LIST_CHUNK = 100;

    /** Reads one row of a result. */
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** A unit of work on one connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private Transactions() {
    }

    /** Tries of a unit of work the database rolled back to break a deadlock. */
    static final int DEADLOCK_TRIES = 5;

    /**
     * Runs {@code work} in one transaction on a connection of {@code dataSource}: committed when it
     * returns, rolled back when it throws. A unit of work the database chose as a deadlock's victim (or
     * that failed to serialize) is run again, up to {@link #DEADLOCK_TRIES} times: its other party has
     * gone on by then.
     *
     * @throws StoreException naming {@code what} when the database fails
     */
    static <T> T inTransaction(DataSource dataSource, String what, Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(dataSource, what, work);
            } catch (StoreException e) {
                if (attempt >= DEADLOCK_TRIES || !isDeadlock(e)) {
                    throw e;
                }
                try {
                    Thread.sleep(10L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether {@code failure} came from a transaction rolled back to break a deadlock or a serialization conflict. */
    private static boolean isDeadlock(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState()) || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static <T> T once(DataSource dataSource, String what, Work<T> work) {
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
            throw StoreHealth.failure("could not " + what + ": " + e.getMessage(), e);
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

    /**
     * The last number given by the sequence {@code name} ({@code store_lock} row): {@code store} for source records,
     * {@code changes} for the sync change log. Read under the lock {@link #lock} took, as every writer of it holds it.
     */
    static long sequence(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq FROM store_lock WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("store_lock has no row '" + name + "': the store was not migrated by this version");
                }
                return rs.getLong(1);
            }
        }
    }

    /** Moves the sequence {@code name} ({@link #sequence}) to {@code seq}, under the lock {@link #lock} took. */
    static void advance(Connection connection, String name, long seq) throws SQLException {
        update(connection, "UPDATE store_lock SET seq = ? WHERE name = ?", seq, name);
    }

    /**
     * Runs {@code prefix ?, ?, ...)} for {@code values} and hands every row to {@code reader}. With a {@code leading}
     * value the list is of pairs, {@code (?, ?), (?, ?), ...)}, each {@code leading} and a value, for a prefix ending in
     * {@code WHERE (a, b) IN (}: H2 uses only the equality on {@code a} from an index on {@code (a, b)} for
     * {@code a = ? AND b IN (...)} and tests the list against every row of {@code a} (a cost that grows with the table),
     * while it looks up each pair of a row-value list in the index. See {@link #list} for how the list is written.
     */
    static void forEachChunk(Connection connection, String prefix, Object leading, List<?> values, RowReader reader)
            throws SQLException {
        forEachChunk(connection, prefix, ")", leading, values, reader);
    }

    /** {@link #forEachChunk(Connection, String, Object, List, RowReader)} of {@code prefix <list><end>}: {@code end} closes the list. */
    static void forEachChunk(Connection connection, String prefix, String end, Object leading, List<?> values,
                             RowReader reader) throws SQLException {
        boolean postgres = postgres(connection);
        for (List<?> chunk : chunks(values, postgres)) {
            try (PreparedStatement statement = connection.prepareStatement(prefix + list(leading != null, chunk.size(), postgres) + end)) {
                bindList(statement, 1, leading, chunk, postgres);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
        }
    }

    /**
     * Executes {@code prefix ?, ?, ...)} (an update or delete) for {@code values}, with {@code parameters} bound first, to
     * the placeholders of the prefix: one statement per chunk, where a batch of one statement per value cost the database
     * an execution each. See {@link #list} for how the list is written.
     */
    static void updateEachChunk(Connection connection, String prefix, List<?> values, Object... parameters) throws SQLException {
        boolean postgres = postgres(connection);
        for (List<?> chunk : chunks(values, postgres)) {
            try (PreparedStatement statement = connection.prepareStatement(prefix + list(false, chunk.size(), postgres) + ")")) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                bindList(statement, parameters.length + 1, null, chunk, postgres);
                statement.executeUpdate();
            }
        }
    }

    /**
     * The list of an {@code IN (...)} of {@code size} values (pairs: {@code leading} and a value). On H2, placeholders,
     * {@link #IN_LIST_CHUNK} values at a time. On PostgreSQL, the values as one array, {@code SELECT unnest(?)}, all at
     * once: a list of placeholders is a statement PostgreSQL plans anew at every execution, one plan per length, and a
     * list of pairs a plan of one index scan per pair (planning took 4 ms per read of a batch's stored records, a fifth
     * of the server's time at a load), where the array is one statement whose plan the connection keeps.
     */
    private static String list(boolean pairs, int size, boolean postgres) {
        if (postgres) {
            return pairs ? "SELECT ?, unnest(?)" : "SELECT unnest(?)";
        }
        return pairs ? String.join(", ", Collections.nCopies(size, "(?, ?)")) : placeholders(size);
    }

    /** Binds the values of a list {@link #list} wrote, from placeholder {@code index} on. */
    private static void bindList(PreparedStatement statement, int index, Object leading, List<?> chunk, boolean postgres)
            throws SQLException {
        if (postgres) {
            if (leading != null) {
                statement.setObject(index++, leading);
            }
            statement.setArray(index, array(statement.getConnection(), chunk));
            return;
        }
        for (Object value : chunk) {
            if (leading != null) {
                statement.setObject(index++, leading);
            }
            statement.setObject(index++, value);
        }
    }

    private static List<? extends List<?>> chunks(List<?> values, boolean postgres) {
        if (postgres) {
            return values.isEmpty() ? List.of() : List.of(values);
        }
        List<List<?>> chunks = new ArrayList<>();
        for (int from = 0; from < values.size(); from += IN_LIST_CHUNK) {
            chunks.add(values.subList(from, Math.min(values.size(), from + IN_LIST_CHUNK)));
        }
        return chunks;
    }

    /** {@code values} as a PostgreSQL array: of {@code bigint} for numbers, {@code uuid} for UUIDs, else of {@code varchar}. */
    private static Array array(Connection connection, List<?> values) throws SQLException {
        Object first = values.get(0);
        return first instanceof Number
                ? connection.createArrayOf("bigint", values.stream().map(value -> ((Number) value).longValue()).toArray())
                : connection.createArrayOf(first instanceof UUID ? "uuid" : "varchar", values.toArray());
    }

    private static boolean postgres(Connection connection) throws SQLException {
        return connection.getMetaData().getURL().startsWith("jdbc:postgresql:");
    }

    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /**
     * Executes {@code sql} once per row of parameters, as one JDBC batch; nothing when there are none. Returns the rows each
     * changed, as the driver reports them.
     */
    static int[] executeBatch(Connection connection, String sql, List<Object[]> rows) throws SQLException {
        if (rows.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    statement.setObject(i + 1, row[i]);
                }
                statement.addBatch();
            }
            return statement.executeBatch();
        }
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
