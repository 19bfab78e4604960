package io.customerhub.ingest;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import io.customerhub.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jdbc-source reader on its own against real PostgreSQL, MariaDB and H2: a query as the
 * relation, a text key, a timestamp with time zone, and how column values become text.
 */
class JdbcRecordSourceDatabasesTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-30T10:00:00.654321+08:00");

    @TempDir
    Path dir;

    ScratchDatabase database;
    JdbcRecordSource reader;

    @AfterEach
    void close() {
        if (reader != null) {
            reader.stop();
        }
        if (database != null) {
            database.close();
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
            reader.setSource("erp");
            reader.setUrl(database.url);
            reader.setUser(database.user);
            // labels come back in each database's case (H2: CODE, PostgreSQL: code, MariaDB: Score); the mapping uses lower case
            reader.setQuery("SELECT d.code, c.name, c.active, d.Score, d.Born, d.Changed\n"
                    + "FROM " + database.table + " c JOIN " + detail + " d ON d.code = CONCAT('K', c.id) -- joined");
            reader.setUpdatedColumn("changed");
            reader.setKeyColumn("code");
            reader.setBatchSize(2);
            reader.setOverlap("PT0S");
            reader.setMapping("""
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
                assertThat(updated).isEqualTo("2026-11-30T10:00:01.654321");
            } else {
                assertThat(OffsetDateTime.parse(updated).toInstant()).isEqualTo(AT.plusSeconds(1).toInstant());
            }

            // K3, K4 and K5 share the last time: a poll from the last watermark (no overlap) reads them again, nothing else
            String watermark = batches.get(2).watermark();
            assertThat(JdbcWatermark.decode(watermark).key()).isEqualTo(new ColumnValue(ColumnValue.Kind.TEXT, "K5"));
            assertThat(JdbcWatermark.decode(watermark).at().kind())
                    .isEqualTo(name.equals("MariaDB") ? ColumnValue.Kind.TIMESTAMP : ColumnValue.Kind.TIMESTAMP_TZ);
            List<PolledBatch> again = all(reader.batches(watermark));
            assertThat(again.stream().flatMap(batch -> batch.records().stream()).map(SourceRecord::sourceKey))
                    .containsExactly("K3", "K4", "K5");
            assertThat(again.get(again.size() - 1).watermark()).isEqualTo(watermark);
        } finally {
            database.execute("DROP TABLE IF EXISTS " + detail);
        }
    }

    private static List<PolledBatch> all(Iterator<PolledBatch> batches) {
        List<PolledBatch> all = new ArrayList<>();
        batches.forEachRemaining(all::add);
        return all;
    }
}
