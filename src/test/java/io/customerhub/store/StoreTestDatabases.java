package io.customerhub.store;

import io.customerhub.testing.RequiredService;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Real, migrated databases for store tests: a fresh H2 file database, or a fresh PostgreSQL schema. */
final class StoreTestDatabases {

    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final List<String> POSTGRES_USERS = List.of("postgres", "root");

    private StoreTestDatabases() {
    }

    /** A migrated store; closing it closes the pool and drops what the test created. */
    record TestDatabase(String name, StoreSettings settings, HikariDataSource dataSource, Runnable cleanup)
            implements AutoCloseable {
        @Override
        public void close() {
            dataSource.close();
            cleanup.run();
        }
    }

    static TestDatabase h2(Path directory) {
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + directory.resolve("store").toAbsolutePath(), "sa", "", 4);
        return new TestDatabase("H2", settings, StoreDataSource.open(settings), () -> { });
    }

    /** A fresh schema {@code hub_<random>} in the local PostgreSQL; aborts the calling tests when it is unreachable. */
    static TestDatabase postgres() {
        String user = reachablePostgresUser();
        String schema = "hub_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(user, "CREATE SCHEMA " + schema);
        StoreSettings settings = new StoreSettings(POSTGRES_URL + "?currentSchema=" + schema, user, "", 4);
        try {
            return new TestDatabase("PostgreSQL", settings, StoreDataSource.open(settings),
                    () -> execute(user, "DROP SCHEMA " + schema + " CASCADE"));
        } catch (RuntimeException e) {
            execute(user, "DROP SCHEMA " + schema + " CASCADE");
            throw e;
        }
    }

    private static String reachablePostgresUser() {
        List<String> failures = new ArrayList<>();
        for (String user : POSTGRES_USERS) {
            try (Connection ignored = DriverManager.getConnection(POSTGRES_URL, user, "")) {
                return user;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        RequiredService.missing("PostgreSQL tests skipped: no connection to " + POSTGRES_URL + " (" + failures + ")");
        throw new AssertionError("unreachable");
    }

    private static void execute(String user, String sql) {
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL, user, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }
}
