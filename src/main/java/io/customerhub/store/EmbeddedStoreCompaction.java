package io.customerhub.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 store file from growing without end while the hub runs.
 *
 * <p>The store runs with {@code WRITE_DELAY=0}: each commit is written to the file before it returns, so a kill -9
 * loses nothing committed. H2 then runs none of its background housekeeping. Each commit writes a new chunk holding
 * the pages it changed, and a chunk is freed only once none of its pages is live; but nearly every chunk keeps some
 * for good: the filled leaves of the tables that grow at their end (new source records, history, changes), and the
 * leaves of the other indexes that no later commit touches. Left alone, the file held nearly everything ever written
 * (22.7 GB at its largest during a load of a million records with sync, for 1.4 GB of data), and a daemon that does
 * not stop kept it until {@code SHUTDOWN COMPACT} at a stop gave the space back.
 *
 * <p>Every {@link #INTERVAL_MILLIS}, while the file's chunks are less than {@link #FILL_RATE} percent live in all, this
 * rewrites the live pages of the emptiest and oldest chunks, up to {@link #WRITE_LIMIT} bytes of them a round
 * ({@link MVStore#compact}, the call H2's own housekeeping makes); the next commit writes them, and the old chunks are
 * reused once H2's retention time (45 s) has passed. At a million records the file's largest size halved (11.6 GB),
 * for 21% more bytes written and a load 5% longer (one run each). It holds none of the pool's connections while it
 * works, only MVStore's own lock, as a commit does, so a commit waits for a round in progress: at a million records
 * the transactions waited about 80 s of the load's 800 in all (a profile); it borrows the connection for a moment to
 * find the store when H2 opened it anew.
 */
final class EmbeddedStoreCompaction {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStoreCompaction.class);
    private static final Map<HikariDataSource, EmbeddedStoreCompaction> RUNNING = new ConcurrentHashMap<>();
    private static final long INTERVAL_MILLIS = 1000;
    /**
     * Compaction starts when the chunks are less than this share live in all. Compacting fuller files moved pages that a
     * load's next commits replaced anyway: with chunks retained 5 s instead of 45, 100k records with sync wrote 66% more
     * to the file and took 15% longer at 50%, and wrote 20% more in the same time at 30%.
     */
    private static final int FILL_RATE = 30;
    private static final int WRITE_LIMIT = 32 << 20;

    private final HikariDataSource dataSource;
    private final ScheduledExecutorService timer;
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong rewrites = new AtomicLong();
    /**
     * The store compacted: found again when H2 closed it and opened it anew (a round from a test may race the timer's:
     * both find the same one).
     */
    private volatile MVStore store;

    private EmbeddedStoreCompaction(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "customer-hub-store-compaction");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Compacts the embedded H2 store of {@code dataSource} every second until {@link #stop}, or until the pool closes. */
    static void start(HikariDataSource dataSource) {
        EmbeddedStoreCompaction compaction = new EmbeddedStoreCompaction(dataSource);
        RUNNING.put(dataSource, compaction);
        compaction.timer.scheduleWithFixedDelay(compaction::round, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The compaction of {@code dataSource}'s store, while it runs; null otherwise. */
    static EmbeddedStoreCompaction of(HikariDataSource dataSource) {
        return RUNNING.get(dataSource);
    }

    /** Stops the compaction of {@code dataSource}'s store, if it runs, and logs how many of its rounds rewrote chunks. */
    static void stop(HikariDataSource dataSource) {
        EmbeddedStoreCompaction compaction = RUNNING.remove(dataSource);
        if (compaction != null) {
            compaction.timer.shutdownNow();
            try {
                compaction.timer.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("Store compaction: {} of {} rounds rewrote chunks", String.format("%,d", compaction.rewrites.get()),
                    String.format("%,d", compaction.rounds.get()));
        }
    }

    /** One round; returns whether it rewrote any chunk. Runs on the compaction's thread, or on a test's. */
    boolean round() {
        if (dataSource.isClosed()) {
            // closed by its owner without StoreDataSource.close (a test's try-with-resources)
            RUNNING.remove(dataSource);
            timer.shutdown();
            return false;
        }
        try {
            if (store == null || store.isClosed()) {
                store = find();
            }
            rounds.incrementAndGet();
            boolean rewritten = store.compact(FILL_RATE, WRITE_LIMIT);
            if (rewritten) {
                rewrites.incrementAndGet();
            }
            return rewritten;
        } catch (SQLException | RuntimeException e) {
            // compaction only gives disk space back: a round that fails (the pool closing, the disk full) costs space,
            // never data, and the next round tries again
            LOG.debug("Store compaction round skipped: {}", e.getMessage());
            return false;
        }
    }

    /** How many rounds ran. */
    long rounds() {
        return rounds.get();
    }

    private MVStore find() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return ((SessionLocal) connection.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
        }
    }
}
