package io.customerhub.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the store takes writes, as its transactions find it. A failure of the store itself ({@link #isFault}:
 * unreachable, closed, out of disk space) makes it unavailable until a transaction or a {@link #probe} commits
 * again; each change of state is logged once. Thread-safe.
 */
public final class StoreHealth {

    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

    /** H2's errors of the database rather than the statement: closed, I/O failure, no disk space, shutting down. */
    private static final Set<Integer> H2_FAULTS = Set.of(90098, 90028, 90031, 90100, 90121);

    /** Connections a probe tries at most. */
    private static final int PROBE_TRIES = 16;

    private final DataSource dataSource;
    private final AtomicReference<String> fault = new AtomicReference<>();

    StoreHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Why the store is unavailable, or null while it is available. */
    public String fault() {
        return fault.get();
    }

    /**
     * Writes and commits the store's probe row (its own row of {@code store_lock}, which no other transaction waits
     * for) and records the outcome; true when the store took it. A connection opened before the failure is dead (H2
     * closes itself on a failed write) and the pool drops it when it fails, so the probe tries up to
     * {@value #PROBE_TRIES} connections, more than a pool usually holds, and stops when the pool cannot open one.
     */
    public boolean probe() {
        for (int attempt = 0; attempt < PROBE_TRIES; attempt++) {
            try {
                return watch(() -> Transactions.inTransaction(dataSource, "probe the store", connection -> {
                    try (Statement statement = connection.createStatement()) {
                        return statement.executeUpdate("UPDATE store_lock SET seq = seq + 1 WHERE name = 'probe'") == 1;
                    }
                }));
            } catch (StoreUnavailableException e) {
                if (noConnection(e)) {
                    return false; // the pool could not open one: the store is out of reach
                }
                // else this connection is dropped: the next one may be new
            } catch (StoreException e) {
                return false;
            }
        }
        return false;
    }

    private static boolean noConnection(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Runs a unit of work that writes to the store and records whether the store took it. */
    <T> T watch(Supplier<T> work) {
        T result = read(work);
        if (fault.get() != null && fault.getAndSet(null) != null) {
            LOG.info("The store is available again; intake resumes");
        }
        return result;
    }

    /** Runs a unit of work that only reads: a failure of the store is recorded, a success proves no write works. */
    <T> T read(Supplier<T> work) {
        try {
            return work.get();
        } catch (StoreUnavailableException e) {
            if (fault.getAndSet(e.getMessage()) == null) {
                LOG.error("The store is unavailable; intake pauses until it is back: {}", e.getMessage());
            }
            throw e;
        }
    }

    /** The store's exception for {@code failure}: {@link StoreUnavailableException} when the store itself failed. */
    static StoreException failure(String message, SQLException failure) {
        return isFault(failure) ? new StoreUnavailableException(message, failure) : new StoreException(message, failure);
    }

    /** Whether {@code failure} is the store's own (it cannot be reached or written at all), not one statement's. */
    static boolean isFault(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() != null ? cause.getCause()
                : cause instanceof SQLException sql ? sql.getNextException() : null) {
            // not a connection the pool could not hand out in time (all busy): that is load, and such an exception
            // carries the store's own failure as its cause when there was one
            if (cause instanceof IOException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState() == null ? "" : sql.getSQLState();
                // 08 connection, 53 insufficient resources (disk full), 57 operator intervention, 58 system error
                if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57") || state.startsWith("58")
                        || H2_FAULTS.contains(sql.getErrorCode())) {
                    return true;
                }
            }
            if (cause.getMessage() != null && cause.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }
}
