package io.customerhub.testing;


import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real database for the tests of jdbc sources and targets, with a table name of its own
 * ({@code <prefix><random>}, dropped on {@link #close()}) so that tests of several people on one
 * server never meet. PostgreSQL and MariaDB abort the calling test when unreachable. The caller
 * creates the table: its columns are the test's.
 */
public final class ScratchDatabase implements AutoCloseable {

    public static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    public static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

    /** "PostgreSQL", "MariaDB" or "H2". */
    public final String name;
    public final String url;
    public final String user;
    public final String table;

    private ScratchDatabase(String name, String url, String user, String tablePrefix) {
        this.name = name;
        this.url = url;
        this.user = user;
        this.table = tablePrefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    /**
     * The database {@code name}: "PostgreSQL", "MariaDB" or "H2" (the file database {@code h2File}
     * under {@code dir}).
     *
     * @param tests what is tested, in the message of a skipped test ({@code jdbc-source})
     */
    public static ScratchDatabase open(String name, Path dir, String tests, String h2File, String tablePrefix) {
        return switch (name) {
            case "PostgreSQL" -> new ScratchDatabase(name, POSTGRES_URL, reachableUser(tests, POSTGRES_URL, "postgres", "root"), tablePrefix);
            case "MariaDB" -> new ScratchDatabase(name, MARIADB_URL, reachableUser(tests, MARIADB_URL, "root"), tablePrefix);
            case "H2" -> new ScratchDatabase(name, "jdbc:h2:file:" + dir.resolve(h2File).toAbsolutePath(), "sa", tablePrefix);
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String reachableUser(String tests, String url, String... users) {
        List<String> failures = new ArrayList<>();
        for (String user : users) {
            try (Connection ignored = DriverManager.getConnection(url, user, "")) {
                return user;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        RequiredService.missing(tests + " tests on " + url + " skipped: no connection (" + failures + ")");
        throw new AssertionError("unreachable");
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, "");
    }

    public void update(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + name, e);
        }
    }

    /** The rows of a query, column labels lower-cased. */
    public List<Map<String, Object>> query(String sql) {
        try (Connection connection = connect()) {
            return HubHome.rows(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + name, e);
        }
    }

    public void execute(String sql) {
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
