package io.customerhub.testing;

import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** An embedded H2 store closed under the hub, as H2 closes itself on a failed write (a full disk). */
public final class ClosedStore {

    private static final int TRIES = 10;

    private ClosedStore() {
    }

    /**
     * Closes the embedded H2 store of {@code pool} on a connection of its own, under the pool's connection, until
     * {@code store}'s next call meets that dead connection and fails. The pool hands back a connection used less than
     * half a second before without checking it; on a busy machine it may check it, find it dead and open the store
     * again, and then this closes it again.
     */
    public static void closeUnder(HikariDataSource pool, CustomerStore store) throws SQLException {
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            store.pendingMerges(); // the pool's connection, just used
            try (Connection closing = DriverManager.getConnection(pool.getJdbcUrl(), pool.getUsername(), pool.getPassword());
                 Statement statement = closing.createStatement()) {
                statement.execute("SHUTDOWN");
            }
            try {
                store.pendingMerges();
            } catch (StoreUnavailableException expected) {
                return;
            }
        }
        throw new AssertionError("the store's call never met the closed store in " + TRIES + " tries");
    }
}
