package io.customerhub.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's planner statistics of the store's busy tables fresh during a bulk load. A table
 * filled by the load keeps the statistics it had when empty until it is analyzed, and its look-ups
 * then fall into sequential scans: autovacuum may be off, and is late on a fast load anyway. A plan
 * a connection cached for a prepared statement lasts until the table is analyzed again, however
 * large the table grows. So the store runs {@code ANALYZE} itself each time the rows it wrote since
 * start double (at 1,000, 2,000, 4,000, ...): a few times per load, each a sample of the tables, not
 * a scan. Source records and sync deliveries are counted apart: the targets take a load's changes
 * after its records were read, and {@code sync_state} grows from nothing while no record is
 * written (its updates, planned on the empty table, scanned it whole). The sync tables are also
 * vacuumed then: each rewrite of a row leaves a dead row version in the table and its indexes, and
 * with autovacuum off the look-ups read past every dead one (100k records with sync, when each change
 * also wrote and deleted outbox rows: 64.6 and 63.0 s against 73.0 and 68.0 s, the store 5% smaller). H2 keeps its own
 * statistics (it analyzes a table every 2,000 changed rows), so nothing is done there.
 */
final class PlannerStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
    private static final long FIRST = 1000;

    private final DataSource dataSource;
    /** Counts source records written: the tables a store batch and the merge stage write. */
    private final Doubling records = new Doubling("source records", List.of("customer_source", "customer",
            "customer_history", "golden_pending", "sync_outbox", "sync_change", "sync_state", "quarantine", "match_review"),
            "ANALYZE");
    /** Counts the changes delivered: the tables the sync routes write. */
    private final Doubling deliveries = new Doubling("sync deliveries", List.of("sync_state", "sync_outbox"), "VACUUM (ANALYZE)");
    private volatile Boolean postgres;

    PlannerStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counts {@code rows} source records written; analyzes their tables when the count has doubled since the last time. */
    void written(long rows) {
        records.add(rows);
    }

    /** Counts {@code rows} changes delivered; vacuums and analyzes the sync tables when the count has doubled since the last time. */
    void delivered(long rows) {
        deliveries.add(rows);
    }

    /** A count that runs {@code command} ({@code ANALYZE}, {@code VACUUM (ANALYZE)}) on each of {@code tables} each time it doubles. */
    private final class Doubling {

        private final String what;
        private final List<String> tables;
        private final String command;
        private final AtomicLong count = new AtomicLong();
        private final AtomicLong next = new AtomicLong(FIRST);

        Doubling(String what, List<String> tables, String command) {
            this.what = what;
            this.tables = tables;
            this.command = command;
        }

        void add(long rows) {
            long total = count.addAndGet(rows);
            long due = next.get();
            if (total >= due && next.compareAndSet(due, total * 2) && isPostgres()) {
                refresh(command, tables, total + " " + what);
            }
        }
    }

    private boolean isPostgres() {
        if (postgres == null) {
            try (Connection connection = dataSource.getConnection()) {
                postgres = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                return false;
            }
        }
        return postgres;
    }

    private void refresh(String command, List<String> tables, String after) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : tables) {
                statement.execute(command + " " + table);
            }
            LOG.info("Planner statistics of {} refreshed ({}) after {} ({} ms)", tables, command, after,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            // the statistics only speed look-ups up: a failure costs time, never data
            LOG.warn("Could not refresh the planner statistics: {}", e.getMessage());
        }
    }
}
