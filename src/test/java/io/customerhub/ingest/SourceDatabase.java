package io.customerhub.ingest;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real source database for jdbc-source tests, with a table of its own
 * ({@code erp_customer_jdbc_test_<random>}, created fresh and dropped after) so that tests of several
 * people on one server never meet. PostgreSQL and MariaDB abort the calling test when unreachable.
 */
final class SourceDatabase implements AutoCloseable {

    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    final String name;
    final String url;
    final String user;
    final String table;
    private final String timestampType;

    private SourceDatabase(String name, String url, String user, String timestampType) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.timestampType = timestampType;
        this.table = "erp_customer_jdbc_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** "PostgreSQL", "MariaDB" or "H2" (an H2 file database under {@code dir}). */
    static SourceDatabase open(String name, Path dir) {
        SourceDatabase database = switch (name) {
            case "PostgreSQL" -> new SourceDatabase(name, POSTGRES_URL, reachableUser(POSTGRES_URL, "postgres", "root"), "TIMESTAMP(6)");
            case "MariaDB" -> new SourceDatabase(name, MARIADB_URL, reachableUser(MARIADB_URL, "root"), "DATETIME(6)");
            case "H2" -> new SourceDatabase(name, "jdbc:h2:file:" + dir.resolve("erp-source").toAbsolutePath(), "sa", "TIMESTAMP(9)");
            default -> throw new IllegalArgumentException(name);
        };
        database.execute("CREATE TABLE " + database.table + " (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100),"
                + " active BOOLEAN, updated_at " + database.timestampType + " NOT NULL)");
        return database;
    }

    private static String reachableUser(String url, String... users) {
        List<String> failures = new ArrayList<>();
        for (String user : users) {
            try (Connection ignored = DriverManager.getConnection(url, user, "")) {
                return user;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        Assumptions.abort("jdbc-source tests on " + url + " skipped: no connection (" + failures + ")");
        throw new AssertionError("unreachable");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    void insert(long id, String name, LocalDateTime updatedAt) {
        update("INSERT INTO " + table + " (id, name, email, active, updated_at) VALUES (?, ?, ?, ?, ?)",
                id, name, "c" + id + "@example.com", id % 2 == 1, updatedAt);
    }

    void update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + name, e);
        }
    }

    void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + name, e);
        }
    }

    @Override
    public void close() {
        execute("DROP TABLE IF EXISTS " + table);
    }
}
