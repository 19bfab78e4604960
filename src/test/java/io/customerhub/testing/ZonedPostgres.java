package io.customerhub.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/**
 * A PostgreSQL database of its own ({@code hub_zone_test_<random>}) on the test server, set to a
 * time zone with {@code ALTER DATABASE ... SET TimeZone} as a real one is, and dropped on
 * {@link #close()}: the server's other databases, and other people's tests, never see the setting.
 * Aborts the calling test when PostgreSQL is unreachable (fails it in CI).
 *
 * <p>The JDBC driver sets every connection's zone to the JVM's, whatever the database says, so
 * {@link #session()} sets it back: a session as the database's own clients (psql, an ERP
 * application that sets no zone) have, whose {@code now()} stamps local times in the database's zone.
 */
public final class ZonedPostgres implements AutoCloseable {

    public final String name;
    public final String url;
    public final String user;
    /** The database's zone, or null when it has none of its own (the server's applies). */
    public final String zone;
    private final ScratchDatabase server;

    private ZonedPostgres(ScratchDatabase server, String name, String zone) {
        this.server = server;
        this.name = name;
        this.url = "jdbc:postgresql://127.0.0.1:5432/" + name;
        this.user = server.user;
        this.zone = zone;
    }

    /** A new database whose sessions default to {@code zone} (a tz database name; null: the server's zone). */
    public static ZonedPostgres create(Path dir, String zone) {
        ScratchDatabase server = ScratchDatabase.open("PostgreSQL", dir, "database time zone", "unused", "unused_");
        String name = "hub_zone_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        server.execute("CREATE DATABASE " + name);
        if (zone != null) {
            server.execute("ALTER DATABASE " + name + " SET TimeZone = '" + zone.replace("'", "") + "'");
        }
        return new ZonedPostgres(server, name, zone);
    }

    /** Runs a statement on the server as its administrator (roles, and the like). */
    public void administer(String sql) {
        server.execute(sql);
    }

    /** A connection to this database as the database's own clients have one: in its zone. */
    public Connection session() throws SQLException {
        Connection connection = DriverManager.getConnection(url, user, "");
        if (zone != null) {
            try (PreparedStatement set = connection.prepareStatement("SELECT set_config('TimeZone', ?, false)")) {
                set.setString(1, zone);
                set.execute();
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
        }
        return connection;
    }

    /** Runs one statement in a {@link #session()}. */
    public void execute(String sql, Object... parameters) {
        try (Connection connection = session(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed on " + name, e);
        }
    }

    /** Drops the database, ending the sessions still open on it (the hub's pools). */
    @Override
    public void close() {
        server.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
