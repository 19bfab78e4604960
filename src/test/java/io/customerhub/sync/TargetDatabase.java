package io.customerhub.sync;

import io.customerhub.testing.ScratchDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ERP customer table of the jdbc-sync tests ({@code erp_customer_sync_test_<random>}), in a
 * real {@link ScratchDatabase}, created fresh and dropped when it is closed.
 */
final class TargetDatabase {

    private TargetDatabase() {
    }

    /** "PostgreSQL", "MariaDB" or "H2" (an H2 file database under {@code dir}), with the table created. */
    static ScratchDatabase open(String name, Path dir) {
        ScratchDatabase database = ScratchDatabase.open(name, dir, "jdbc-sync", "erp-target", "erp_customer_sync_test_");
        String timestamp = name.equals("MariaDB") ? "DATETIME(6)" : "TIMESTAMP(6)";
        database.execute("CREATE TABLE " + database.table + " (kunnr BIGINT PRIMARY KEY, name1 VARCHAR(40) NOT NULL,"
                + " email VARCHAR(30), birth_date DATE, postal_code VARCHAR(10), mobile VARCHAR(20), tel VARCHAR(20),"
                + " changed_at " + timestamp + ", deleted BOOLEAN)");
        return database;
    }

    /** The table's rows by key, column labels lower-cased, values as the driver returns them. */
    static List<Map<String, Object>> rows(ScratchDatabase database) {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT * FROM " + database.table + " ORDER BY kunnr")) {
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
}
