package io.customerhub.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * Opens the connection pool of the central store. The schema is migrated before the pool is handed
 * out, so no caller ever sees a database older than the code (tables are never created by routes).
 */
public final class StoreDataSource {

    /** The pool's name, as it shows in JMX and in metrics. */
    public static final String POOL_NAME = "customer-hub-store";

    private StoreDataSource() {
    }

    /**
     * Opens a HikariCP pool (pool name "customer-hub-store") and migrates the schema with Flyway
     * (classpath:db/migration, and the Java migrations V5 and V11) before returning it.
     */
    public static HikariDataSource open(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        if (settings.url().startsWith("jdbc:h2:")) {
            // writers queue for the store's write lock (store_lock) longer than H2's default of a second or so
            config.setConnectionInitSql("SET LOCK_TIMEOUT 600000");
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .javaMigrations(new BlockingKeyRebuild(), new SourceRecordNumbering())
                    .load()
                    .migrate();
            return dataSource;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }
}
