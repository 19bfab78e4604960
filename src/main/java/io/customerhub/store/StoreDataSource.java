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
     * (classpath:db/migration, and the Java migrations that rebuild blocking keys) before returning it.
     */
    public static HikariDataSource open(StoreSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(POOL_NAME);
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    // blocking keys by full pinyin, house numbers and common family names replace the Soundex ones of V2
                    .javaMigrations(new BlockingKeyRebuild("5", "rebuild blocking keys"))
                    .load()
                    .migrate();
            return dataSource;
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }
}
