package io.customerhub.ingest;

import io.customerhub.connect.SqlType;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import io.customerhub.testing.ScratchDatabase;
import io.customerhub.testing.ZonedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jdbc-source reader on its own against real PostgreSQL, MariaDB and H2: a query as the
 * relation, a text key, a timestamp with time zone, and how column values become text; timestamps
 * without zone read in the database's zone; the overlap's unchanged rows skipped, a changed one not.
 */
class JdbcRecordSourceDatabasesTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-30T10:00:00.654321+08:00");

    @TempDir
    Path dir;

    ScratchDatabase database;
    ZonedPostgres zoned;
    JdbcRecordSource reader;

    @AfterEach
    void close() {
        if (reader != null) {
            reader.stop();
        }
        if (database != null) {
            database.close();
        }
        if (zoned != null) {
            zoned.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void readsAQueryPagedByATimestampWithZoneAndATextKey(String name) {
        database = SourceDatabase.open(name, dir);
        String zoned = switch (name) {
            case "PostgreSQL" -> "TIMESTAMPTZ";
            case "MariaDB" -> "DATETIME(6)"; // MariaDB has no zoned type: a local date-time
            default -> "TIMESTAMP(9) WITH TIME ZONE";
        };
        String detail = database.table + "_d";
        database.execute("CREATE TABLE " + detail + " (code VARCHAR(20) PRIMARY KEY, Score DECIMAL(5,2), Born DATE,"
                + " Changed " + zoned + " NOT NULL)");
        try {
            for (int i = 1; i <= 5; i++) {
                SourceDatabase.insert(database, i, "Customer " + i, AT.toLocalDateTime());
                Object changed = name.equals("MariaDB") ? AT.plusSeconds(Math.min(i, 3)).toLocalDateTime() : AT.plusSeconds(Math.min(i, 3));
                database.update("INSERT INTO " + detail + " (code, Score, Born, Changed) VALUES (?, ?, ?, ?)",
                        "K" + i, new BigDecimal("12.50"), LocalDate.of(1990, 1, 31), changed);
            }
            reader = new JdbcRecordSource();
            reader.getOptions().put("source", "erp");
            reader.getOptions().put("url", database.url);
            reader.getOptions().put("user", database.user);
            // labels come back in each database's case (H2: CODE, PostgreSQL: code, MariaDB: Score); the mapping uses lower case
            reader.getOptions().put("query", "SELECT d.code, c.name, c.active, d.Score, d.Born, d.Changed\n"
                    + "FROM " + database.table + " c JOIN " + detail + " d ON d.code = CONCAT('K', c.id) -- joined");
            reader.getOptions().put("updated-column", "changed");
            reader.getOptions().put("key-column", "code");
            reader.getOptions().put("batch-size", "2");
            reader.getOptions().put("overlap", "PT0S");
            // the values were written as Asia/Shanghai local times (the DATETIME of MariaDB, which has no zoned type)
            reader.getOptions().put("time-zone", "Asia/Shanghai");
            reader.getOptions().put("mapping", """
                    key: code
                    updated-at: changed
                    fields:
                      fullName: name
                      company: active
                      postalCode: score
                      birthDate: born
                    """);
            reader.init();

            List<PolledBatch> batches = all(reader.batches(null));

            assertThat(batches).extracting(batch -> batch.records().size()).containsExactly(2, 2, 1);
            List<SourceRecord> records = batches.stream().flatMap(batch -> batch.records().stream()).toList();
            assertThat(records).extracting(SourceRecord::sourceKey).containsExactly("K1", "K2", "K3", "K4", "K5");
            SourceRecord first = records.get(0);
            assertThat(first.value(CanonicalField.FULL_NAME)).isEqualTo("Customer 1");
            assertThat(first.value(CanonicalField.COMPANY)).isEqualTo("true");
            assertThat(records.get(1).value(CanonicalField.COMPANY)).isEqualTo("false");
            assertThat(first.value(CanonicalField.POSTAL_CODE)).isEqualTo("12.50");
            assertThat(first.value(CanonicalField.BIRTH_DATE)).isEqualTo("1990-01-31");
            String updated = first.value(CanonicalField.SOURCE_UPDATED_AT);
            if (name.equals("MariaDB")) {
                assertThat(updated).isEqualTo("2026-11-30T10:00:01.654321+08:00");
            }
            assertThat(OffsetDateTime.parse(updated).toInstant()).isEqualTo(AT.plusSeconds(1).toInstant());

            // K3, K4 and K5 share the last time: a poll from the last watermark (no overlap) reads them again, nothing else;
            // this reader knows them stored unchanged and skips them, a restarted one hands them on for the dedupe stage
            String watermark = batches.get(2).watermark();
            assertThat(JdbcWatermark.decode(watermark).key()).isEqualTo(new ColumnValue(SqlType.TEXT, "K5"));
            assertThat(JdbcWatermark.decode(watermark).at().kind())
                    .isEqualTo(name.equals("MariaDB") ? SqlType.TIMESTAMP : SqlType.TIMESTAMP_TZ);
            assertThat(all(reader.batches(watermark))).isEmpty();
            assertThat(reader.unchangedRereads()).isEqualTo(3);
            reader.stop();
            reader.init();
            List<PolledBatch> again = all(reader.batches(watermark));
            assertThat(again.stream().flatMap(batch -> batch.records().stream()).map(SourceRecord::sourceKey))
                    .containsExactly("K3", "K4", "K5");
            assertThat(JdbcWatermark.decode(again.get(again.size() - 1).watermark())).isEqualTo(JdbcWatermark.decode(watermark));
        } finally {
            database.execute("DROP TABLE IF EXISTS " + detail);
        }
    }

    private JdbcRecordSource tableReader(String url, String user, String table, String overlap) {
        JdbcRecordSource reader = new JdbcRecordSource();
        reader.getOptions().put("source", "erp");
        reader.getOptions().put("url", url);
        reader.getOptions().put("user", user);
        reader.getOptions().put("table", table);
        reader.getOptions().put("updated-column", "updated_at");
        reader.getOptions().put("key-column", "id");
        reader.getOptions().put("overlap", overlap);
        reader.getOptions().put("mapping", """
                key: id
                updated-at: updated_at
                fields:
                  fullName: name
                  email: email
                """);
        reader.init();
        return reader;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void rowsTheOverlapReReadsUnchangedAreNotHandedOnAndAChangedOneIs(String name) {
        database = SourceDatabase.open(name, dir);
        for (long id = 1; id <= 5; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, JdbcSourceRoutesTest.T0.plusSeconds(id));
        }
        reader = tableReader(database.url, database.user, database.table, "PT1H");
        List<PolledBatch> first = all(reader.batches(null));
        assertThat(keys(first)).containsExactly("1", "2", "3", "4", "5");
        String watermark = last(first);

        // stored (the next poll starts from the watermark the batch reached): the overlap re-reads them, none is handed on
        assertThat(all(reader.batches(watermark))).isEmpty();
        assertThat(reader.unchangedRereads()).isEqualTo(5);

        // changed behind the watermark, its stamp kept: handed on alone, its batch keeping the position
        database.update("UPDATE " + database.table + " SET name = ? WHERE id = ?", "Customer Three", 3L);
        List<PolledBatch> changed = all(reader.batches(watermark));
        assertThat(keys(changed)).containsExactly("3");
        assertThat(changed.get(0).records().get(0).value(CanonicalField.FULL_NAME)).isEqualTo("Customer Three");
        assertThat(JdbcWatermark.decode(last(changed))).isEqualTo(JdbcWatermark.decode(watermark));
        assertThat(reader.unchangedRereads()).isEqualTo(9);

        // not stored (the next poll starts from the old watermark: the batch failed): handed on again
        List<PolledBatch> again = all(reader.batches(watermark));
        assertThat(keys(again)).containsExactly("3");

        // stored: the next poll starts from that batch's watermark, and knows it
        String stored = last(again);
        assertThat(all(reader.batches(stored))).isEmpty();
        assertThat(reader.unchangedRereads()).isEqualTo(9 + 4 + 5);

        // a new row whose batch was not stored is read again, and skipped only once it is
        SourceDatabase.insert(database, 6, "Customer 6", JdbcSourceRoutesTest.T0.plusSeconds(6));
        assertThat(keys(all(reader.batches(stored)))).containsExactly("6");
        List<PolledBatch> withNew = all(reader.batches(stored));
        assertThat(keys(withNew)).containsExactly("6");
        assertThat(all(reader.batches(last(withNew)))).isEmpty();
        assertThat(reader.remembered()).isEqualTo(6);
    }

    @org.junit.jupiter.api.Test
    void onlyTheRowsInTheOverlapOfTheNewestWatermarkAreRemembered() {
        database = SourceDatabase.open("H2", dir);
        for (long id = 1; id <= 5; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, JdbcSourceRoutesTest.T0.plusSeconds(id));
        }
        reader = tableReader(database.url, database.user, database.table, "PT2S");
        String watermark = last(all(reader.batches(null)));

        assertThat(all(reader.batches(watermark))).isEmpty();

        // T0 + 5 s less two seconds: rows 3, 4 and 5 are re-read and remembered, 1 and 2 forgotten
        assertThat(reader.unchangedRereads()).isEqualTo(3);
        assertThat(reader.remembered()).isEqualTo(3);
    }

    @org.junit.jupiter.api.Test
    void anInitialLoadRemembersOnlyTheRowsInTheOverlapOfItsLastBatch() {
        database = SourceDatabase.open("H2", dir);
        for (long id = 1; id <= 50; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, JdbcSourceRoutesTest.T0.plusSeconds(id));
        }
        reader = tableReader(database.url, database.user, database.table, "PT2S");
        reader.getOptions().put("batch-size", "10");
        reader.init();
        List<PolledBatch> load = all(reader.batches(null));
        assertThat(load).hasSize(5);

        // stored: rows 48, 49 and 50 are inside the window of the last watermark, and only they are skipped
        assertThat(all(reader.batches(last(load)))).isEmpty();
        assertThat(reader.remembered()).isEqualTo(3);
        assertThat(reader.unchangedRereads()).isEqualTo(3);

        // the third batch stored, the fourth not: the poll after re-reads from row 28 (the window of row 30);
        // those were forgotten while the load went on, so they are handed on again with the rest
        reader.stop();
        reader.init();
        assertThat(all(reader.batches(null))).hasSize(5);
        List<PolledBatch> again = all(reader.batches(load.get(2).watermark()));
        assertThat(keys(again)).hasSize(23).first().isEqualTo("28");
        assertThat(reader.unchangedRereads()).as("none skipped since").isEqualTo(3);
    }

    /**
     * A TIMESTAMP column filled by the database's clock in the database's zone, whatever the hub's
     * cleansing zone: PostgreSQL by its database setting, MariaDB by its session's time_zone
     * (SYSTEM: the server's), H2 by its session's TIME ZONE.
     */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"PostgreSQL, UTC", "PostgreSQL, America/New_York", "MariaDB, SYSTEM", "MariaDB, -05:00", "H2, America/New_York"})
    void rowsStampedByTheDatabasesClockAreReadAsTheInstantsTheyAre(String name, String zone) throws SQLException {
        String url;
        String user;
        String table;
        String create;
        if (name.equals("PostgreSQL")) {
            zoned = ZonedPostgres.create(dir, zone);
            url = zoned.url;
            user = zoned.user;
            table = "erp_customer";
            create = "updated_at TIMESTAMP(6) DEFAULT now() NOT NULL";
        } else if (name.equals("MariaDB")) {
            database = ScratchDatabase.open(name, dir, "jdbc-source", "unused", "erp_customer_zone_test_");
            url = zone.equals("SYSTEM") ? database.url : database.url + "?sessionVariables=time_zone='" + zone + "'";
            user = database.user;
            table = database.table;
            create = "updated_at DATETIME(6) DEFAULT NOW(6) NOT NULL";
        } else {
            url = "jdbc:h2:file:" + dir.resolve("erp-zone").toAbsolutePath() + ";TIME ZONE=" + zone;
            user = "sa";
            table = "erp_customer";
            create = "updated_at TIMESTAMP(9) DEFAULT LOCALTIMESTAMP NOT NULL";
        }
        Instant before = Instant.now().minusSeconds(2);
        // a session of the database's own clients: in its zone
        try (Connection erp = zoned != null ? zoned.session() : DriverManager.getConnection(url, user, "");
             Statement statement = erp.createStatement()) {
            statement.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(100), email VARCHAR(100), " + create + ")");
            statement.execute("INSERT INTO " + table + " (id, name) VALUES (1, 'Wang Fang')");
        }
        Instant after = Instant.now().plusSeconds(2);
        reader = tableReader(url, user, table, "PT5M");

        List<PolledBatch> read = all(reader.batches(null));

        String updated = read.get(0).records().get(0).value(CanonicalField.SOURCE_UPDATED_AT);
        Instant at = OffsetDateTime.parse(updated).toInstant();
        assertThat(at).isBetween(before, after);
        if (!zone.equals("SYSTEM")) {
            assertThat(OffsetDateTime.parse(updated).getOffset()).isEqualTo(ZoneId.of(zone).getRules().getOffset(at));
        }
        // the watermark keeps the column's own local time, compared only with the column
        assertThat(JdbcWatermark.decode(last(read)).at().text()).doesNotContain("+", "Z").startsWith(updated.substring(0, 19));
    }

    private static List<String> keys(List<PolledBatch> batches) {
        return batches.stream().flatMap(batch -> batch.records().stream()).map(SourceRecord::sourceKey).toList();
    }

    private static String last(List<PolledBatch> batches) {
        return batches.get(batches.size() - 1).watermark();
    }

    private static List<PolledBatch> all(Iterator<PolledBatch> batches) {
        List<PolledBatch> all = new ArrayList<>();
        batches.forEachRemaining(all::add);
        return all;
    }
}
