package io.customerhub.store;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Units of work on a real H2 database. */
class TransactionsTest {

    /**
     * Two units of work lock two rows in opposite order: the database rolls one back to break the
     * deadlock, and that one runs again once the other has committed. Both updates land.
     */
    @Test
    void aUnitOfWorkChosenAsADeadlockVictimIsRunAgain() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:deadlock-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)");
            statement.execute("INSERT INTO t VALUES (1, 0), (2, 0)");
        }
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        AtomicInteger runs = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> first = threads.submit(() -> Transactions.inTransaction(h2, "update 1 then 2",
                    connection -> incrementBoth(connection, 1, 2, bothHoldOne, runs)));
            Future<?> second = threads.submit(() -> Transactions.inTransaction(h2, "update 2 then 1",
                    connection -> incrementBoth(connection, 2, 1, bothHoldOne, runs)));
            first.get(60, TimeUnit.SECONDS);
            second.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(runs.get()).as("one of the two ran again").isGreaterThanOrEqualTo(3);
        try (Connection connection = h2.getConnection(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT SUM(v) FROM t")) {
            rs.next();
            assertThat(rs.getInt(1)).as("each unit of work's two increments, once").isEqualTo(4);
        }
    }

    private static Void incrementBoth(Connection connection, int one, int other, CountDownLatch bothHoldOne, AtomicInteger runs)
            throws SQLException {
        runs.incrementAndGet();
        increment(connection, one);
        bothHoldOne.countDown();
        try {
            bothHoldOne.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        increment(connection, other);
        return null;
    }

    private static void increment(Connection connection, int id) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE t SET v = v + 1 WHERE id = ?")) {
            update.setInt(1, id);
            update.executeUpdate();
        }
    }
}
