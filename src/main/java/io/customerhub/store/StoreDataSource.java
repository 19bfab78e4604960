package io.customerhub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.SQLExceptionOverride;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connection pool of the central store. The schema is migrated before the pool is handed
 * out, so no caller ever sees a database older than the code (tables are never created by routes).
 */
public final class StoreDataSource {

    private static final Logger LOG = LoggerFactory.getLogger(StoreDataSource.class);

    /** The pool's name, as it shows in JMX and in metrics. */
    public static final String POOL_NAME = "customer-hub-store";
    /** How long a writer waits for the store's write lock (and, on an embedded store, for its one connection). */
    private static final long LOCK_TIMEOUT_MILLIS = 600_000;

    private StoreDataSource() {
    }

    /**
     * Opens a HikariCP pool (pool name "customer-hub-store") and migrates the schema with Flyway
     * (classpath:db/migration, and the Java migrations V5 and V11) before returning it.
     */
    public static HikariDataSource open(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        // an embedded store is closed by the hub once Camel has stopped, not by H2's own JVM shutdown hook while the
        // routes are still finishing their batches (SIGTERM)
        config.setJdbcUrl(embeddedH2(settings.url()) && !settings.url().toUpperCase(Locale.ROOT).contains("DB_CLOSE_ON_EXIT")
                ? settings.url() + ";DB_CLOSE_ON_EXIT=FALSE" : settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        if (embeddedH2(settings.url())) {
            // one session at a time: H2 2.5 keeps a transaction whole across a kill -9 only so (with several at work, one
            // kill in seven left part of one behind, EmbeddedStoreRebuildTest). The hub's threads take turns for the
            // connection as they do for the store's write lock, and wait as long for it
            config.setMaximumPoolSize(1);
            config.setConnectionTimeout(LOCK_TIMEOUT_MILLIS);
        }
        if (settings.url().startsWith("jdbc:postgresql:")) {
            // a batch of inserts as multi-row INSERTs: one execution per 128 rows, not one per row (unless the URL says otherwise)
            config.addDataSourceProperty("reWriteBatchedInserts", "true");
        }
        if (settings.url().startsWith("jdbc:h2:")) {
            // writers queue for the store's write lock (store_lock) longer than H2's default of a second or so
            config.setConnectionInitSql("SET LOCK_TIMEOUT " + LOCK_TIMEOUT_MILLIS);
        }
        // a connection the store itself failed on (closed, unreachable, out of space) is dropped, so that the pool
        // opens new ones once the store is back instead of handing out dead ones for good
        config.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public SQLExceptionOverride.Override adjudicate(SQLException e) {
                return StoreHealth.isFault(e) ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
            }
        });
        EmbeddedStoreRebuild.beforeOpen(settings.url(), settings.user(), settings.password());
        try {
            // on connections of its own: it takes two at once, more than an embedded store's pool holds
            Flyway.configure()
                    .dataSource(config.getJdbcUrl(), settings.user(), settings.password())
                    .locations("classpath:db/migration")
                    .javaMigrations(new BlockingKeyRebuild(), new SourceRecordNumbering(), new SourceIndexBySource(),
                            new SyncChangeLog())
                    .load()
                    .migrate();
            HikariDataSource dataSource = new HikariDataSource(config);
            if (embeddedH2(settings.url())) {
                EmbeddedStoreCompaction.start(dataSource);
            }
            return dataSource;
        } catch (RuntimeException e) {
            EmbeddedStoreRebuild.afterCleanClose(settings.url());
            throw e;
        }
    }

    /**
     * Closes the pool; an embedded H2 store file is compacted first ({@code SHUTDOWN COMPACT}). With
     * {@code WRITE_DELAY=0} H2 writes every commit as a new chunk and compacts nothing while it runs,
     * so a load leaves a file of mostly free space (1 GB for 60 MB of data after 100,000 records);
     * compacting it at stop takes about 2 s per 100,000 records. A kill during it leaves the store
     * as it was.
     */
    public static void close(HikariDataSource dataSource) {
        String url = dataSource.getJdbcUrl();
        if (embeddedH2(url)) {
            EmbeddedStoreCompaction.stop(dataSource);
            logFileWork(dataSource);
        }
        dataSource.close();
        // H2 closed the database with the pool's last connection
        EmbeddedStoreRebuild.afterCleanClose(url);
        if (!embeddedH2(url)) {
            return;
        }
        // a connection of its own, outside the closed pool: SHUTDOWN closes the database under its connections
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection(url, dataSource.getUsername(), dataSource.getPassword());
             Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
            LOG.info("Store compacted at stop in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (SQLException e) {
            // compaction only gives disk space back: the store is whole without it
            LOG.warn("Store not compacted at stop: {}", e.getMessage());
        }
    }

    /**
     * Logs what H2 read from and wrote to the store file since it was opened, and how often its page cache held what a
     * statement asked for: the work a load cost the file, whatever else kept the machine busy.
     */
    private static void logFileWork(HikariDataSource dataSource) {
        StringBuilder figures = new StringBuilder();
        // a session of its own, read-only: the pool's one connection may still be held by a batch finishing, and H2 keeps
        // the counters per database, not per session
        try (Connection connection = DriverManager.getConnection(dataSource.getJdbcUrl(), dataSource.getUsername(),
                dataSource.getPassword()); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME IN ('info.FILE_READ', 'info.FILE_READ_BYTES', 'info.FILE_WRITE',"
                     + " 'info.FILE_WRITE_BYTES', 'info.CACHE_HIT_RATIO', 'info.CACHE_MAX_SIZE', 'info.CHUNK_COUNT')"
                     + " ORDER BY SETTING_NAME")) {
            while (rs.next()) {
                // with thousands separators: a figure of seven digits or more would be masked as a phone number in the log
                figures.append(figures.length() == 0 ? "" : ", ").append(rs.getString(1).substring("info.".length()))
                        .append(String.format(Locale.ROOT, " %,d", Long.parseLong(rs.getString(2))));
            }
            LOG.info("Store file since open: {}", figures);
        } catch (SQLException e) {
            LOG.debug("Store file figures not read: {}", e.getMessage());
        }
    }

    /** An H2 database embedded in this process (in a file or in memory, not a server's): no other process uses it. */
    static boolean embedded(String url) {
        return url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
    }

    /** An embedded H2 database in a file. */
    private static boolean embeddedH2(String url) {
        return embedded(url) && !url.startsWith("jdbc:h2:mem:");
    }
}
