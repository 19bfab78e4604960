package io.customerhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 11 of the schema: numbers the source records stored before version 10 gave them
 * {@code id} and {@code seq} (in the order they were first stored), makes both required and indexed,
 * and starts the store sequence ({@code store_lock}) after them. A Java migration because plain SQL
 * that numbers rows differs between H2 and PostgreSQL.
 */
final class SourceRecordNumbering extends StoreMigration {

    private static final int BATCH = 1000;

    SourceRecordNumbering() {
        super("11", "number source records", 1);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        long last = 0;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT source, source_key FROM customer_source ORDER BY first_seen_at, source, source_key");
             PreparedStatement number = connection.prepareStatement(
                     "UPDATE customer_source SET id = ?, seq = ? WHERE source = ? AND source_key = ?")) {
            select.setFetchSize(BATCH);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    last++;
                    number.setLong(1, last);
                    number.setLong(2, last);
                    number.setString(3, rs.getString(1));
                    number.setString(4, rs.getString(2));
                    number.addBatch();
                    if (last % BATCH == 0) {
                        number.executeBatch();
                    }
                }
            }
            number.executeBatch();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE customer_source ALTER COLUMN id SET NOT NULL");
            statement.execute("ALTER TABLE customer_source ALTER COLUMN seq SET NOT NULL");
            statement.execute("CREATE UNIQUE INDEX ux_customer_source_id ON customer_source (id)");
            statement.execute("CREATE INDEX ix_customer_source_seq ON customer_source (seq)");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO store_lock (name, seq) VALUES ('store', ?)")) {
            insert.setLong(1, last);
            insert.executeUpdate();
        }
    }
}
