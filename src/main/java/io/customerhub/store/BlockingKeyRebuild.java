package io.customerhub.store;

import io.customerhub.match.BlockingKeys;
import io.customerhub.record.CustomerRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;

/**
 * A schema migration that recomputes {@code match_key} from the stored source records, for a release
 * whose {@link BlockingKeys} differ from the ones the rows were stored with: without it, new records
 * would not find the stored ones under the new keys. Computing keys needs Java, so it is a Flyway
 * Java migration; each change of the keys registers one more, with the next version number.
 */
final class BlockingKeyRebuild implements JavaMigration {

    private static final int BATCH = 1000;

    private final String version;
    private final String description;

    BlockingKeyRebuild(String version, String description) {
        this.version = version;
        this.description = description;
    }

    @Override
    public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(version);
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Integer getChecksum() {
        return null;
    }

    @Override
    public boolean canExecuteInTransaction() {
        return true;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        rebuild(context.getConnection());
    }

    /** Replaces every row of {@code match_key} by the keys of the stored source records; returns how many. */
    static long rebuild(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("DELETE FROM match_key");
        }
        long written = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT source, source_key, source_updated_at,"
                + " phone_raw, " + ValueColumn.NAMES + " FROM customer_source");
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO match_key (match_key, source, source_key) VALUES (?, ?, ?)")) {
            select.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime updatedAt = rs.getObject(3, OffsetDateTime.class);
                    CustomerRecord record = ValueColumn.read(rs, 5, rs.getString(1), rs.getString(2),
                            updatedAt == null ? null : updatedAt.toInstant(), rs.getString(4));
                    for (String key : BlockingKeys.of(record)) {
                        insert.setString(1, key);
                        insert.setString(2, record.source());
                        insert.setString(3, record.sourceKey());
                        insert.addBatch();
                        written++;
                        if (++pending == BATCH) {
                            insert.executeBatch();
                            pending = 0;
                        }
                    }
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
        return written;
    }
}
