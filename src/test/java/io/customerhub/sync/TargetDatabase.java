package io.customerhub.sync;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A real target database for jdbc-sync tests, with an ERP customer table of its own
 * ({@code erp_customer_sync_test_<random>}, created fresh and dropped after) so that tests of several
 * people on one server never meet. PostgreSQL and MariaDB abort the calling test when unreachable.
 */
final class TargetDatabase implements AutoCloseable {

    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    final String name;
    final String url;
    final String user;
    final String table;

    private TargetDatabase(String name, String url, String user) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.table = "erp_customer_sync_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /** "PostgreSQL", "MariaDB" or "H2" (an H2 file database under {@code dir}), with the table created. */
    static TargetDatabase open(String name, Path dir) {
        TargetDatabase database = switch (name) {
            case "PostgreSQL" -> new TargetDatabase(name, POSTGRES_URL, reachableUser(POSTGRES_URL, "postgres", "root"));
            case "MariaDB" -> new TargetDatabase(name, MARIADB_URL, reachableUser(MARIADB_URL, "root"));
            case "H2" -> new TargetDatabase(name, "jdbc:h2:file:" + dir.resolve("erp-target").toAbsolutePath(), "sa");
            default -> throw new IllegalArgumentException(name);
        };
        String timestamp = name.equals("MariaDB") ? "DATETIME(6)" : "TIMESTAMP(6)";
        database.execute("CREATE TABLE " + database.table + " (kunnr BIGINT PRIMARY KEY, name1 VARCHAR(40) NOT NULL,"
                + " email VARCHAR(30), birth_date DATE, postal_code VARCHAR(10), mobile VARCHAR(20), tel VARCHAR(20),"
                + " changed_at " + timestamp + ", deleted BOOLEAN)");
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
        Assumptions.abort("jdbc-sync tests on " + url + " skipped: no connection (" + failures + ")");
        throw new AssertionError("unreachable");
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
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

    /** The table's rows by key, column labels lower-cased, values as the driver returns them. */
    List<Map<String, Object>> rows() {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + table + " ORDER BY kunnr")) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String label = rs.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT);
                    Object value = switch (label) {
                        case "birth_date" -> rs.getObject(i, java.time.LocalDate.class);
                        case "changed_at" -> rs.getObject(i, java.time.LocalDateTime.class);
                        case "kunnr" -> rs.getLong(i);
                        case "deleted" -> rs.getObject(i) == null ? null : rs.getBoolean(i);
                        default -> rs.getObject(i);
                    };
                    row.put(label, value);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        execute("DROP TABLE IF EXISTS " + table);
    }
}
