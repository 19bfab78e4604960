package io.customerhub.store;

import io.customerhub.testing.ClosedStore;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StoreHealthTest {

    @TempDir
    Path dir;

    @Test
    void failuresOfTheStoreItselfAreToldFromFailuresOfAStatement() {
        assertThat(StoreHealth.isFault(new SQLException("connection refused", "08001"))).isTrue();
        assertThat(StoreHealth.isFault(new SQLException("could not extend file: No space left on device", "53100"))).isTrue();
        assertThat(StoreHealth.isFault(new SQLException("The database has been closed", "90098", 90098))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("General error", "HY000", 50000, new int[0]);
        SQLException next = new SQLException("General error", "HY000", 50000,
                new IllegalStateException("Writing failed", new IOException("No space left on device")));
        batch.setNextException(next);
        assertThat(StoreHealth.isFault(batch)).as("the cause behind a batch's next exception").isTrue();

        assertThat(StoreHealth.isFault(new SQLTransientConnectionException("customer-hub-store - Connection is not available,"
                + " request timed out after 30001ms (total=4, active=4, idle=0, waiting=0)"))).as("a busy pool is load").isFalse();
        assertThat(StoreHealth.isFault(new SQLTransientConnectionException("customer-hub-store - Connection is not available",
                "08001", new SQLException("Connection to 127.0.0.1:5432 refused", "08001")))).as("an unreachable store").isTrue();
        assertThat(StoreHealth.isFault(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(StoreHealth.isFault(new SQLException("syntax error", "42601"))).isFalse();
    }

    /** H2 closed under the hub (as it closes itself on a failed write): the pool drops the dead connections and heals. */
    @Test
    void aClosedStoreIsUnavailableUntilAProbeCommitsAgain() throws Exception {
        try (StoreTestDatabases.TestDatabase database = StoreTestDatabases.h2(dir)) {
            CustomerStore store = new CustomerStore(database.dataSource());
            assertThat(store.pendingMerges()).isEmpty();
            assertThat(store.health().fault()).isNull();
            ClosedStore.closeUnder(database.dataSource(), store);
            assertThat(store.health().fault()).contains("could not read the pending merges");

            assertThat(store.health().probe()).isTrue();
            assertThat(store.health().fault()).isNull();
            assertThat(store.pendingMerges()).isEmpty();
        }
    }
}
