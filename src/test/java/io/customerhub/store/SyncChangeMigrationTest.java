package io.customerhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import io.customerhub.testing.HubHome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outbox's migrations keep every undelivered row. V22 moves a change's values and lineage from {@code sync_outbox} to
 * {@code sync_change}: an outbox row written before it is still delivered, with the values and lineage it was written
 * with. V24 deletes the rows kept after their delivery. V25 makes the changes a log each target reads from a cursor,
 * and the outbox its exceptions: the rows waiting before it stay in the outbox and are delivered from there.
 */
class SyncChangeMigrationTest {

    @TempDir
    Path home;

    @Test
    void anUndeliveredRowWrittenBeforeTheChangeTableIsDeliveredWithItsValuesAndLineage() throws Exception {
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + home.resolve("store").toAbsolutePath(), "sa", "", 1);
        migrate(settings, "21");
        String lineage = "{\"email\":{\"source\":\"erp\",\"sourceKey\":\"E-1\",\"at\":\"2026-12-01T08:00:00Z\",\"rule\":\"most-recent\"}}";
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_outbox (target, customer_id,"
                     + " customer_status, payload, status, attempts, next_attempt_at, created_at, lineage)"
                     + " VALUES ('crm', 'G-1', 'ACTIVE', ?, 'PENDING', 0, ?, ?, ?)")) {
            OffsetDateTime at = OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC);
            insert.setString(1, "{\"fullName\":\"孙丽\",\"email\":\"sun.li@example.com\"}");
            insert.setObject(2, at);
            insert.setObject(3, at);
            insert.setString(4, lineage);
            insert.executeUpdate();
        }

        try (HikariDataSource migrated = StoreDataSource.open(settings)) {
            SyncOutbox outbox = new SyncOutbox(migrated, () -> Set.of("crm"),
                    new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO), Clock.systemUTC(), new PlannerStatistics(migrated));
            List<OutboundChange> due = outbox.due("crm", EnumSet.of(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME,
                    CanonicalField.EMAIL), 10, true);
            assertThat(due).singleElement().satisfies(change -> {
                assertThat(change.customerId()).isEqualTo("G-1");
                assertThat(change.value(CanonicalField.FULL_NAME)).isEqualTo("孙丽");
                assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("sun.li@example.com");
                assertThat(change.changedAt()).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
            });
            try (Connection connection = migrated.getConnection();
                 var rs = connection.createStatement().executeQuery("SELECT c.lineage, c.customer_status FROM sync_outbox o"
                         + " JOIN sync_change c ON c.id = o.change_id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(lineage);
                assertThat(rs.getString(2)).isEqualTo("ACTIVE");
            }
        }
    }

    @Test
    void theRowsKeptAfterTheirDeliveryGoAndTheUndeliveredOnesStay() throws Exception {
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + home.resolve("store").toAbsolutePath(), "sa", "", 1);
        migrate(settings, "23");
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_outbox (target, customer_id, change_id,"
                     + " status, attempts, next_attempt_at, created_at, last_error) VALUES ('crm', ?, 'C-1', ?, 0, ?, ?, ?)")) {
            OffsetDateTime at = OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC);
            for (String[] row : new String[][] {{"SENT", null}, {"SUPERSEDED", null}, {"SKIPPED", null}, {"PENDING", null},
                    {"FAILED", "HTTP 503"}, {"DEAD", "HTTP 422"}, {"SKIPPED", "not created"}}) {
                insert.setString(1, row[0] + "/" + row[1]);
                insert.setString(2, row[0]);
                insert.setObject(3, at);
                insert.setObject(4, at);
                insert.setString(5, row[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }

        try (HikariDataSource migrated = StoreDataSource.open(settings);
             Connection connection = migrated.getConnection();
             var rs = connection.createStatement().executeQuery("SELECT customer_id FROM sync_outbox ORDER BY id")) {
            List<String> kept = new ArrayList<>();
            while (rs.next()) {
                kept.add(rs.getString(1));
            }
            assertThat(kept).containsExactly("PENDING/null", "FAILED/HTTP 503", "DEAD/HTTP 422", "SKIPPED/not created");
        }
    }

    @Test
    void theRowsWaitingBeforeTheChangeLogAreDeliveredFromTheOutboxAndTheTargetsReadTheLogAfterThem() throws Exception {
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + home.resolve("store").toAbsolutePath(), "sa", "", 1);
        migrate(settings, "24");
        OffsetDateTime at = OffsetDateTime.of(2026, 12, 1, 8, 0, 0, 0, ZoneOffset.UTC);
        try (Connection connection = DriverManager.getConnection(settings.url(), settings.user(), settings.password());
             PreparedStatement change = connection.prepareStatement("INSERT INTO sync_change (id, customer_id, customer_status,"
                     + " payload, created_at) VALUES ('C-1', 'G-1', 'ACTIVE', '{\"fullName\":\"孙丽\"}', ?)");
             PreparedStatement row = connection.prepareStatement("INSERT INTO sync_outbox (target, customer_id, change_id,"
                     + " status, attempts, next_attempt_at, created_at, forced) VALUES (?, 'G-1', 'C-1', ?, 0, ?, ?, ?)")) {
            change.setObject(1, at);
            change.executeUpdate();
            for (Object[] values : new Object[][] {{"crm", "PENDING", true}, {"erp", "DEAD", false}}) {
                row.setString(1, (String) values[0]);
                row.setString(2, (String) values[1]);
                row.setObject(3, at);
                row.setObject(4, at);
                row.setBoolean(5, (Boolean) values[2]);
                row.executeUpdate();
            }
        }

        try (HikariDataSource migrated = StoreDataSource.open(settings)) {
            assertThat(rows(migrated, "SELECT seq, forced FROM sync_change")).singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("seq", 1L).containsEntry("forced", true));
            assertThat(rows(migrated, "SELECT target, seq FROM sync_cursor ORDER BY target"))
                    .extracting(row -> row.get("target") + "@" + row.get("seq")).as("each target reads the log after it")
                    .containsExactly("crm@1", "erp@1");
            SyncOutbox outbox = new SyncOutbox(migrated, () -> Set.of("crm", "erp"),
                    new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO), Clock.systemUTC(), new PlannerStatistics(migrated));
            Set<CanonicalField> fields = EnumSet.of(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME);
            List<OutboundChange> due = outbox.due("crm", fields, 10, true);
            assertThat(due).singleElement().satisfies(c -> assertThat(c.value(CanonicalField.FULL_NAME)).isEqualTo("孙丽"));
            outbox.delivered("crm", fields, due, List.of(WriteOutcome.WRITTEN));
            assertThat(outbox.due("crm", fields, 10, true)).as("delivered once").isEmpty();
            assertThat(outbox.due("erp", fields, 10, true)).as("dead until retried").isEmpty();
            assertThat(outbox.backlog("erp").dead()).isEqualTo(1);
            assertThat(outbox.backlog("crm")).isEqualTo(new SyncOutbox.Backlog(0, 0, 0, null));
        }
    }

    private static List<Map<String, Object>> rows(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return HubHome.rows(connection, sql);
        }
    }

    private static void migrate(StoreSettings settings, String version) {
        Flyway.configure().dataSource(settings.url(), settings.user(), settings.password())
                .locations("classpath:db/migration").javaMigrations(new BlockingKeyRebuild(), new SourceRecordNumbering(),
                        new SourceIndexBySource(), new SyncChangeLog())
                .target(version).load().migrate();
    }
}
