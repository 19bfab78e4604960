package io.customerhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.Context;

/**
 * Version 25 of the schema: the changes of golden records ({@code sync_change}) become a log that each target reads
 * in order from a cursor of its own ({@code sync_cursor}), and {@code sync_outbox} keeps only the exceptions: changes
 * that failed, wait (the create delay) or were skipped. The changes stored are numbered in the order they were made,
 * the targets of the outbox's rows get a cursor after them, and the rows themselves stay, each still to be delivered.
 * A Java migration because plain SQL that numbers rows differs between H2 and PostgreSQL.
 */
final class SyncChangeLog extends StoreMigration {

    private static final int BATCH = 1000;

    SyncChangeLog() {
        super("25", "sync change log", 1);
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        execute(connection, "ALTER TABLE sync_change ADD COLUMN seq BIGINT",
                "ALTER TABLE sync_change ADD COLUMN only_to VARCHAR",
                "ALTER TABLE sync_change ADD COLUMN held_by VARCHAR(64)",
                "ALTER TABLE sync_change ADD COLUMN forced BOOLEAN DEFAULT FALSE NOT NULL",
                "UPDATE sync_change SET forced = TRUE WHERE id IN (SELECT change_id FROM sync_outbox WHERE forced)");
        List<String> ids = new ArrayList<>();
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT id FROM sync_change ORDER BY created_at, id")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        try (PreparedStatement number = connection.prepareStatement("UPDATE sync_change SET seq = ? WHERE id = ?")) {
            for (int i = 0; i < ids.size(); i++) {
                number.setLong(1, i + 1);
                number.setString(2, ids.get(i));
                number.addBatch();
                if ((i + 1) % BATCH == 0) {
                    number.executeBatch();
                }
            }
            number.executeBatch();
        }
        execute(connection, "ALTER TABLE sync_change ALTER COLUMN seq SET NOT NULL",
                "CREATE UNIQUE INDEX ix_sync_change_seq ON sync_change (seq)",
                "CREATE INDEX ix_sync_change_customer ON sync_change (customer_id, seq)",
                "INSERT INTO store_lock (name, seq) VALUES ('changes', " + ids.size() + ")",
                "CREATE TABLE sync_cursor (target VARCHAR(64) NOT NULL PRIMARY KEY, seq BIGINT NOT NULL,"
                        + " claimed_by VARCHAR(200), claimed_until TIMESTAMP WITH TIME ZONE)",
                "INSERT INTO sync_cursor (target, seq) SELECT DISTINCT target, " + ids.size() + " FROM sync_outbox",
                "ALTER TABLE sync_outbox DROP COLUMN forced",
                "ALTER TABLE sync_outbox DROP COLUMN claimed_by",
                "COMMENT ON TABLE sync_change IS 'The change log: one row per change of a golden record bound for the"
                        + " targets, its state after the change. Each target reads it in seq order from its cursor"
                        + " (sync_cursor); a change is purged once every target has read it, an hour has passed and no"
                        + " sync_outbox row names it.'",
                "COMMENT ON COLUMN sync_change.seq IS 'Position in the log: given under the store''s write lock, so"
                        + " that the changes are numbered in the order they were committed.'",
                "COMMENT ON COLUMN sync_change.only_to IS 'The targets the change goes to, as ,a,b, (null: every target):"
                        + " a re-export, or the targets whose records disagree with a golden record that did not change.'",
                "COMMENT ON COLUMN sync_change.held_by IS 'A target known to hold these values already (the source of"
                        + " a golden record''s only record): it does not get the change.'",
                "COMMENT ON COLUMN sync_change.forced IS 'True for a re-export: delivered to every record of the"
                        + " customer in the target even where the target is known to hold the values already.'",
                "COMMENT ON TABLE sync_cursor IS 'How far each target has read the change log (sync_change.seq),"
                        + " moved in the transaction that records the deliveries of what it read.'",
                "COMMENT ON COLUMN sync_cursor.claimed_by IS 'The hub (hub.instance-id) delivering to the target while"
                        + " claimed_until has not passed: another hub sharing the store leaves the target alone meanwhile.'",
                "COMMENT ON TABLE sync_outbox IS 'The exceptions of the change log, per target: a change that failed"
                        + " (FAILED, retried at next_attempt_at; DEAD after hub.sync.max-attempts), waits for the create"
                        + " delay (PENDING) or was not delivered because the target takes no new customers (SKIPPED)."
                        + " A newer change of the customer replaces its rows.'");
    }

    private static void execute(Connection connection, String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
