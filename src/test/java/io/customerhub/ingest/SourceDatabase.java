package io.customerhub.ingest;

import io.customerhub.testing.ScratchDatabase;

import java.nio.file.Path;
import java.time.LocalDateTime;

/**
 * The ERP customer table of the jdbc-source tests ({@code erp_customer_jdbc_test_<random>}), in a
 * real {@link ScratchDatabase}, created fresh and dropped when it is closed.
 */
final class SourceDatabase {

    private SourceDatabase() {
    }

    /** "PostgreSQL", "MariaDB" or "H2" (an H2 file database under {@code dir}), with the table created. */
    static ScratchDatabase open(String name, Path dir) {
        ScratchDatabase database = ScratchDatabase.open(name, dir, "jdbc-source", "erp-source", "erp_customer_jdbc_test_");
        String timestamp = switch (name) {
            case "PostgreSQL" -> "TIMESTAMP(6)";
            case "MariaDB" -> "DATETIME(6)";
            default -> "TIMESTAMP(9)";
        };
        database.execute("CREATE TABLE " + database.table + " (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100),"
                + " active BOOLEAN, updated_at " + timestamp + " NOT NULL)");
        return database;
    }

    static void insert(ScratchDatabase database, long id, String name, LocalDateTime updatedAt) {
        database.update("INSERT INTO " + database.table + " (id, name, email, active, updated_at) VALUES (?, ?, ?, ?, ?)",
                id, name, "c" + id + "@example.com", id % 2 == 1, updatedAt);
    }
}
