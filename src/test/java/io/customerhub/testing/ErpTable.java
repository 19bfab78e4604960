package io.customerhub.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An ERP's customer table on the real PostgreSQL ({@code conv_erp_<random>}, dropped on
 * {@link #close()}): a TEXT key (golden ids fit), {@code updated_at timestamp} (without zone) that the
 * ERP fills with {@code now()} on every change its users make, a {@code deleted} flag (archived
 * customers, which are no customers of the other systems), and a trigger that logs every insert
 * and update with the writing connection's application name and the commit clock, so that the hub's
 * writes can be told from the ERP users' own. The users' sessions and the hub's share the JVM's
 * zone (the PostgreSQL driver sets the session zone to it).
 */
public final class ErpTable implements AutoCloseable {

    public static final String URL = ScratchDatabase.POSTGRES_URL;
    /** The application name of the ERP's own users (the test). */
    private static final String USERS = "erp-users";

    /** A write of the hub, as the trigger logged it. */
    public record HubWrite(Instant at, String op, String key, Map<CustomerField, String> after) {
    }

    public final String user;
    public final String table = "conv_erp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    private ErpTable(String user) {
        this.user = user;
    }

    /** PostgreSQL cannot be reached: a test skips (see {@link RequiredService}), a benchmark stops. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** Creates the table on the PostgreSQL of the tests (user postgres or root, trust authentication). */
    public static ErpTable create() {
        List<String> failures = new ArrayList<>();
        for (String user : List.of("postgres", "root")) {
            try (Connection ignored = DriverManager.getConnection(URL, user, "")) {
                ErpTable erp = new ErpTable(user);
                erp.createTable();
                return erp;
            } catch (SQLException e) {
                failures.add(user + ": " + e.getMessage());
            }
        }
        throw new Unreachable("no connection to PostgreSQL on " + URL + " (" + failures + ")");
    }

    private void createTable() {
        execute("CREATE TABLE " + table + " (kunnr TEXT PRIMARY KEY, name1 TEXT NOT NULL, email TEXT, mobile TEXT, city TEXT,"
                + " updated_at TIMESTAMP(6) NOT NULL DEFAULT now(), deleted BOOLEAN NOT NULL DEFAULT FALSE)");
        execute("CREATE TABLE " + table + "_log (n BIGSERIAL PRIMARY KEY, op TEXT, kunnr TEXT, name1 TEXT, email TEXT,"
                + " mobile TEXT, city TEXT, app TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())");
        execute("CREATE FUNCTION " + table + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO " + table
                + "_log (op, kunnr, name1, email, mobile, city, app) VALUES (TG_OP, NEW.kunnr, NEW.name1, NEW.email, NEW.mobile,"
                + " NEW.city, current_setting('application_name')); RETURN NEW; END $$");
        execute("CREATE TRIGGER " + table + "_trg AFTER INSERT OR UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                + table + "_fn()");
    }

    private Connection connect() throws SQLException {
        Connection connection = DriverManager.getConnection(URL, user, "");
        connection.setClientInfo("ApplicationName", USERS);
        return connection;
    }

    /** Inserts rows of the ERP's own, stamped {@code now()}, in one transaction. */
    public void insert(Map<String, Map<CustomerField, String>> rows) {
        String sql = "INSERT INTO " + table + " (kunnr, name1, email, mobile, city, updated_at) VALUES (?, ?, ?, ?, ?, now())";
        try (Connection connection = connect(); PreparedStatement insert = connection.prepareStatement(sql)) {
            connection.setAutoCommit(false);
            for (Map.Entry<String, Map<CustomerField, String>> row : rows.entrySet()) {
                insert.setString(1, row.getKey());
                insert.setString(2, row.getValue().get(CustomerField.NAME));
                insert.setString(3, row.getValue().get(CustomerField.EMAIL));
                insert.setString(4, row.getValue().get(CustomerField.PHONE));
                insert.setString(5, row.getValue().get(CustomerField.CITY));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Inserts {@code count} archived customers ({@code deleted}, last changed in 2020): rows a first read
     * goes through and later reads, past the overlap window, never see again.
     */
    public void insertArchived(int count) {
        execute("INSERT INTO " + table + " (kunnr, name1, email, mobile, city, updated_at, deleted) SELECT 'X' || lpad(n::text, 6, '0'),"
                + " 'Archived ' || n, 'archived' || n || '@example.com', '+86137' || lpad(n::text, 8, '0'), '北京市',"
                + " timestamp '2020-01-01 00:00:00' + n * interval '1 minute', TRUE FROM generate_series(1, " + count + ") n");
    }

    /**
     * An ERP user changes one field of a row, {@code updated_at} set to {@code now()}; returns the
     * value the row held before (read under the row's lock, in the same transaction).
     */
    public String edit(String key, CustomerField field, String value) {
        String column = field.erpColumn();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            String before;
            try (PreparedStatement select = connection.prepareStatement("SELECT " + column + " FROM " + table
                    + " WHERE kunnr = ? FOR UPDATE")) {
                select.setString(1, key);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalArgumentException("no ERP row " + key);
                    }
                    before = rs.getString(1);
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + table + " SET " + column
                    + " = ?, updated_at = now() WHERE kunnr = ?")) {
                update.setString(1, value);
                update.setString(2, key);
                update.executeUpdate();
            }
            connection.commit();
            return before;
        } catch (SQLException e) {
            throw new IllegalStateException("edit " + key, e);
        }
    }

    /** The customers (rows not deleted) by key, as canonical values. */
    public Map<String, Map<CustomerField, String>> rows() {
        Map<String, Map<CustomerField, String>> rows = new LinkedHashMap<>();
        for (Map<String, Object> row : query("SELECT kunnr, name1, email, mobile, city FROM " + table
                + " WHERE NOT deleted ORDER BY kunnr")) {
            rows.put((String) row.get("kunnr"), values(row));
        }
        return rows;
    }

    /** The hub's inserts and updates (every connection but the ERP users'), in commit order. */
    public List<HubWrite> hubWrites() {
        List<HubWrite> writes = new ArrayList<>();
        for (Map<String, Object> row : query("SELECT op, kunnr, name1, email, mobile, city, at FROM " + table
                + "_log WHERE app IS DISTINCT FROM '" + USERS + "' ORDER BY n")) {
            writes.add(new HubWrite(((java.sql.Timestamp) row.get("at")).toInstant(), (String) row.get("op"),
                    (String) row.get("kunnr"), values(row)));
        }
        return writes;
    }

    /** How many writes the hub has made. */
    public int hubWriteCount() {
        return ((Number) query("SELECT COUNT(*) AS n FROM " + table + "_log WHERE app IS DISTINCT FROM '" + USERS + "'")
                .get(0).get("n")).intValue();
    }

    private static Map<CustomerField, String> values(Map<String, Object> row) {
        Map<CustomerField, String> values = new LinkedHashMap<>();
        for (CustomerField field : CustomerField.values()) {
            values.put(field, (String) row.get(field.erpColumn()));
        }
        return values;
    }

    private List<Map<String, Object>> query(String sql) {
        try (Connection connection = connect()) {
            return HubHome.rows(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    @Override
    public void close() {
        execute("DROP TABLE IF EXISTS " + table);
        execute("DROP TABLE IF EXISTS " + table + "_log");
        execute("DROP FUNCTION IF EXISTS " + table + "_fn()");
    }
}
