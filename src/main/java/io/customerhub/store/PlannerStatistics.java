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
 * then fall into sequential scans: autovacuum may be off, and is late on a fast load anyway. So the
 * store runs {@code ANALYZE} itself each time the rows it wrote since start double (at 1,000,
 * 2,000, 4,000, ...): a few times per load, each a sample of the tables, not a scan. H2 keeps its
 * own statistics (it analyzes a table every 2,000 changed rows), so nothing is done there.
 */
final class PlannerStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(PlannerStatistics.class);
    private static final List<String> TABLES = List.of("customer_source", "customer", "customer_history",
            "golden_pending", "sync_outbox", "sync_change", "sync_state", "quarantine", "match_review");
    private static final long FIRST = 1000;

    private final DataSource dataSource;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong nextAnalyze = new AtomicLong(FIRST);
    private volatile Boolean postgres;

    PlannerStatistics(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Counts {@code rows} written; analyzes the tables when the count has doubled since the last time. */
    void written(long rows) {
        long total = written.addAndGet(rows);
        long next = nextAnalyze.get();
        if (total >= next && nextAnalyze.compareAndSet(next, total * 2) && isPostgres()) {
            analyze(total);
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

    private void analyze(long total) {
        long started = System.nanoTime();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                statement.execute("ANALYZE " + table);
            }
            LOG.info("Planner statistics refreshed after {} source records written ({} ms)", total,
                    (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            // the statistics only speed look-ups up: a failure costs time, never data
            LOG.warn("Could not refresh the planner statistics: {}", e.getMessage());
        }
    }
}
