package io.customerhub.sync;

import io.customerhub.ingest.JdbcRecordSource;
import io.customerhub.ingest.PolledBatch;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.SourceRecord;
import io.customerhub.record.WriteOutcome;
import io.customerhub.testing.ScratchDatabase;
import io.customerhub.testing.ZonedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The jdbc-sync writer against real PostgreSQL, MariaDB and H2: upserts by a numeric key, types
 * converted, idempotence, a refused row failing alone, deletions, an unreachable database, and
 * the round trip through the jdbc-source reader that echo suppression relies on.
 */
class JdbcSyncWriterDatabasesTest {

    static final String MAPPING = """
            key: kunnr
            updated-at: changed_at
            deleted: deleted
            fields:
              fullName: name1
              email: email
              birthDate: birth_date
              postalCode: postal_code
              phone: { first-of: [mobile, tel] }
              country: { constant: CN }
            """;
    /** Microseconds: what all three databases keep. */
    static final Instant CHANGED = Instant.parse("2026-12-01T02:30:00.123456Z");
    /** {@link #CHANGED} in Asia/Shanghai, the writer's time zone. */
    static final LocalDateTime CHANGED_LOCAL = LocalDateTime.parse("2026-12-01T10:30:00.123456");

    @TempDir
    Path dir;

    ScratchDatabase database;
    ZonedPostgres zoned;
    JdbcSyncWriter writer;
    JdbcRecordSource reader;

    @AfterEach
    void close() {
        if (writer != null) {
            writer.stop();
        }
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

    private JdbcSyncWriter writer(String url, String user, String deletedColumn) {
        return writer(url, user, deletedColumn, "Asia/Shanghai");
    }

    private JdbcSyncWriter writer(String url, String user, String deletedColumn, String timeZone) {
        JdbcSyncWriter writer = new JdbcSyncWriter();
        writer.getOptions().put("source", "erp");
        writer.getOptions().put("url", url);
        writer.getOptions().put("user", user);
        writer.getOptions().put("table", database == null ? "erp_customer" : database.table);
        writer.getOptions().put("key-column", "kunnr");
        writer.getOptions().put("updated-column", "changed_at");
        writer.getOptions().put("deleted-column", deletedColumn);
        writer.getOptions().put("mapping", MAPPING);
        writer.getOptions().put("time-zone", timeZone);
        writer.getOptions().put("connect-timeout", "500");
        writer.init();
        return writer;
    }

    private void open(String name) {
        database = TargetDatabase.open(name, dir);
        writer = writer(database.url, database.user, "deleted");
    }

    static OutboundChange change(long changeSeq, String key, boolean created, Map<CanonicalField, String> values) {
        return new OutboundChange(changeSeq, "erp", "c-" + key, key, created, false, values, CHANGED);
    }

    static Map<CanonicalField, String> values(String name, String email, String birthDate) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        if (name != null) {
            values.put(CanonicalField.FULL_NAME, name);
        }
        if (email != null) {
            values.put(CanonicalField.EMAIL, email);
        }
        if (birthDate != null) {
            values.put(CanonicalField.BIRTH_DATE, birthDate);
        }
        values.put(CanonicalField.PHONE, "+8613800138000");
        values.put(CanonicalField.POSTAL_CODE, "200000");
        values.put(CanonicalField.COUNTRY, "CN");
        values.put(CanonicalField.CITY, "Shanghai");
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void insertsANewKeyAndUpdatesAnExistingRowWithTypesConverted(String name) throws Exception {
        open(name);
        database.update("INSERT INTO " + database.table + " (kunnr, name1, email, tel, changed_at, deleted) VALUES (?, ?, ?, ?, ?, ?)",
                1042L, "Old Name", "old@example.com", "021-1234", LocalDateTime.parse("2026-01-01T00:00:00"), false);

        List<String> errors = writer.write(List.of(
                change(1, "1042", false, values("Wang Fang", "wang.fang@example.com", "1990-01-31")),
                change(2, "1043", true, values("Li Lei", null, null)))).stream().map(WriteOutcome::error).toList();

        assertThat(errors).containsExactly(null, null);
        List<Map<String, Object>> rows = TargetDatabase.rows(database);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).containsEntry("kunnr", 1042L).containsEntry("name1", "Wang Fang")
                .containsEntry("email", "wang.fang@example.com").containsEntry("birth_date", LocalDate.of(1990, 1, 31))
                .containsEntry("postal_code", "200000").containsEntry("mobile", "+8613800138000")
                // not written back: the mapping reads tel only when mobile is blank
                .containsEntry("tel", "021-1234")
                .containsEntry("changed_at", CHANGED_LOCAL).containsEntry("deleted", false);
        assertThat(rows.get(1)).containsEntry("kunnr", 1043L).containsEntry("name1", "Li Lei")
                .containsEntry("email", null).containsEntry("birth_date", null).containsEntry("changed_at", CHANGED_LOCAL);
        assertThat(writer.fields()).containsExactlyInAnyOrder(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME,
                CanonicalField.EMAIL, CanonicalField.BIRTH_DATE, CanonicalField.POSTAL_CODE, CanonicalField.PHONE);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void theSameBatchWrittenTwiceLeavesTheSameRows(String name) throws Exception {
        open(name);
        List<OutboundChange> batch = List.of(
                change(1, "7", true, values("Zhang Wei", "zhang.wei@example.com", "1985-06-01")),
                change(2, "8", true, values("Chen Jing", null, "1979-12-31")));

        assertThat(writer.write(batch).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);
        List<Map<String, Object>> first = TargetDatabase.rows(database);
        assertThat(writer.write(batch).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);

        assertThat(TargetDatabase.rows(database)).isEqualTo(first).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void aRowTheTableRefusesReportsItsOwnErrorWhileTheOthersAreWritten(String name) throws Exception {
        open(name);

        List<String> errors = writer.write(List.of(
                change(1, "1", true, values("One", null, null)),
                change(2, "2", true, values(null, null, null)),                                   // name1 is NOT NULL
                change(3, "3", true, values("Three", "a-very-long-address@example-company.com", null)), // email is VARCHAR(30)
                change(4, "4", true, values("Four", null, "31.12.1979")),                         // no ISO date
                change(5, "G-5a1f", true, values("Five", null, null)),                            // a golden id for a numeric key
                change(6, "6", true, values("Six", null, null)))).stream().map(WriteOutcome::error).toList();

        assertThat(errors.get(0)).isNull();
        assertThat(errors.get(1)).startsWith("SQL state 23").containsIgnoringCase("name1").doesNotContain("\n");
        assertThat(errors.get(2)).startsWith("SQL state 22001: ").containsIgnoringCase("too long").doesNotContain("\n");
        assertThat(errors.get(3)).isEqualTo("birthDate: '31.12.1979' is not a date (yyyy-MM-dd) for column birth_date");
        assertThat(errors.get(4)).startsWith("key-column kunnr is integer: it cannot hold the golden id G-5a1f")
                .contains("create: target-assigned");
        assertThat(errors.get(5)).isNull();
        assertThat(TargetDatabase.rows(database)).extracting(row -> row.get("kunnr")).containsExactly(1L, 6L);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void aGoldenDeletionSetsTheDeletedColumnAndIsNotWrittenWithoutOne(String name) throws Exception {
        open(name);
        assertThat(writer.write(List.of(change(1, "1", true, values("One", null, null)),
                change(2, "2", true, values("Two", null, null)))).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);

        OutboundChange deletion = new OutboundChange(3, "erp", "c-1", "1", false, true, values("One", null, null), CHANGED.plusSeconds(60));
        OutboundChange neverThere = new OutboundChange(4, "erp", "c-9", "9", true, true, values("Nine", null, null), CHANGED);
        assertThat(writer.write(List.of(deletion, neverThere)).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);

        assertThat(TargetDatabase.rows(database)).extracting(row -> row.get("kunnr"), row -> row.get("deleted"), row -> row.get("changed_at"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, true, CHANGED_LOCAL.plusSeconds(60)),
                        org.assertj.core.groups.Tuple.tuple(2L, false, CHANGED_LOCAL));

        JdbcSyncWriter withoutFlag = writer(database.url, database.user, "-");
        try {
            OutboundChange second = new OutboundChange(5, "erp", "c-2", "2", false, true, values("Two", null, null), CHANGED.plusSeconds(60));
            assertThat(withoutFlag.write(List.of(second)).stream().map(WriteOutcome::error).toList()).containsExactly((String) null);
            assertThat(TargetDatabase.rows(database).get(1)).containsEntry("deleted", false).containsEntry("changed_at", CHANGED_LOCAL);
        } finally {
            withoutFlag.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void anEditTheHubHasNotReadIsNotOverwrittenByAChangeBasedOnAnOlderState(String name) throws Exception {
        open(name);
        LocalDateTime read = LocalDateTime.parse("2026-12-01T09:00:00.5");
        database.update("INSERT INTO " + database.table + " (kunnr, name1, changed_at, deleted) VALUES (?, ?, ?, ?)",
                1042L, "Old Name", read, false);
        Instant readInstant = read.atZone(java.time.ZoneId.of("Asia/Shanghai")).toInstant();

        // based on the state the hub read: written
        assertThat(writer.write(List.of(basedOn(change(1, "1042", false, values("Wang Fang", null, null)), readInstant))))
                .containsExactly(WriteOutcome.WRITTEN);
        assertThat(TargetDatabase.rows(database).get(0)).containsEntry("name1", "Wang Fang");

        // someone edits the row; a change based on the hub's own write, older than that edit, leaves it alone
        database.update("UPDATE " + database.table + " SET name1 = ?, changed_at = ? WHERE kunnr = ?",
                "Edited In The ERP", CHANGED_LOCAL.plusMinutes(5), 1042L);
        List<WriteOutcome> outcomes = writer.write(List.of(basedOn(change(2, "1042", false, values("Wang Fang 2", null, null)),
                CHANGED)));

        assertThat(outcomes).singleElement().satisfies(outcome -> {
            assertThat(outcome.written()).isFalse();
            assertThat(outcome.final_()).as("written again once the hub has read the edit").isFalse();
            assertThat(outcome.error()).startsWith("not written: the row changed after " + CHANGED);
        });
        assertThat(TargetDatabase.rows(database).get(0)).containsEntry("name1", "Edited In The ERP");
    }

    private static OutboundChange basedOn(OutboundChange change, Instant basedOn) {
        return new OutboundChange(change.changeSeq(), change.target(), change.customerId(), change.targetKey(), change.created(),
                change.deleted(), change.values(), change.changedAt(), basedOn);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void aKeyTheDatabaseAssignsIsReportedAndAGoldenIdThatCannotFitIsRefusedForGood(String name) throws Exception {
        database = TargetDatabase.open(name, dir);
        String identity = switch (name) {
            case "PostgreSQL" -> "BIGSERIAL";
            case "MariaDB" -> "BIGINT AUTO_INCREMENT";
            default -> "BIGINT GENERATED BY DEFAULT AS IDENTITY";
        };
        String numbered = database.table + "_n";
        String shortKeyed = database.table + "_s";
        database.execute("CREATE TABLE " + numbered + " (id " + identity + " PRIMARY KEY, name1 VARCHAR(40))");
        database.execute("CREATE TABLE " + shortKeyed + " (id VARCHAR(20) PRIMARY KEY, name1 VARCHAR(40))");
        String golden = "01a2483c-771d-773c-83ea-272565156b93";
        OutboundChange created = new OutboundChange(1, "erp", golden, golden, true, false,
                Map.of(CanonicalField.FULL_NAME, "Li Lei"), CHANGED);
        JdbcSyncWriter assigning = keyedById(numbered, "target-assigned");
        JdbcSyncWriter byGoldenId = keyedById(shortKeyed, "golden-id");
        try {
            List<WriteOutcome> outcomes = assigning.write(List.of(created));

            assertThat(outcomes).singleElement().satisfies(outcome -> {
                assertThat(outcome.written()).isTrue();
                assertThat(outcome.assignedKey()).matches("\\d+");
            });
            assertThat(database.query("SELECT id, name1 FROM " + numbered)).singleElement().satisfies(row -> assertThat(row)
                    .containsEntry("name1", "Li Lei").containsKey("id"));
            assertThat(database.query("SELECT id FROM " + numbered).get(0).get("id").toString())
                    .isEqualTo(outcomes.get(0).assignedKey());

            // the measured case: a varchar(20) key and creates under 36-character golden ids
            assertThat(byGoldenId.write(List.of(created))).singleElement().satisfies(outcome -> {
                assertThat(outcome.final_()).as("not retried").isTrue();
                assertThat(outcome.error()).contains("key-column id holds at most 20 characters", "create: target-assigned");
            });
            assertThat(database.query("SELECT id FROM " + shortKeyed)).isEmpty();
        } finally {
            assigning.stop();
            byGoldenId.stop();
            database.execute("DROP TABLE IF EXISTS " + numbered);
            database.execute("DROP TABLE IF EXISTS " + shortKeyed);
        }
    }

    private JdbcSyncWriter keyedById(String table, String create) {
        JdbcSyncWriter writer = new JdbcSyncWriter();
        writer.getOptions().put("source", "erp");
        writer.getOptions().put("url", database.url);
        writer.getOptions().put("user", database.user);
        writer.getOptions().put("table", table);
        writer.getOptions().put("key-column", "id");
        writer.getOptions().put("mapping", """
                key: id
                fields:
                  fullName: name1
                """);
        writer.getOptions().put("create", create);
        writer.getOptions().put("connect-timeout", "500");
        writer.init();
        return writer;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void aTextKeyAZonedUpdatedColumnAndANumericDeletedFlagAreWrittenInTheirTypes(String name) throws Exception {
        database = TargetDatabase.open(name, dir);
        String zoned = switch (name) {
            case "PostgreSQL" -> "TIMESTAMPTZ";
            case "MariaDB" -> "DATETIME(6)"; // MariaDB has no zoned type: a local date-time
            default -> "TIMESTAMP(6) WITH TIME ZONE";
        };
        String other = database.table + "_t";
        database.execute("CREATE TABLE " + other + " (code VARCHAR(36) PRIMARY KEY, name1 VARCHAR(40), score DECIMAL(5,2),"
                + " modified " + zoned + ", removed INT)");
        JdbcSyncWriter zonedWriter = new JdbcSyncWriter();
        try {
            zonedWriter.getOptions().put("source", "erp");
            zonedWriter.getOptions().put("url", database.url);
            zonedWriter.getOptions().put("user", database.user);
            zonedWriter.getOptions().put("table", other);
            zonedWriter.getOptions().put("key-column", "code");
            zonedWriter.getOptions().put("updated-column", "modified");
            zonedWriter.getOptions().put("deleted-column", "removed");
            zonedWriter.getOptions().put("time-zone", "Asia/Shanghai");
            zonedWriter.getOptions().put("mapping", """
                    key: code
                    fields:
                      fullName: name1
                      postalCode: score
                    """);
            zonedWriter.init();
            Map<CanonicalField, String> values = Map.of(CanonicalField.FULL_NAME, "Wang Fang", CanonicalField.POSTAL_CODE, "12.50");
            OutboundChange golden = new OutboundChange(1, "erp", "c-1", "5a1f0c3e-0000-4000-8000-000000000001", true, false,
                    values, CHANGED);
            OutboundChange deleted = new OutboundChange(2, "erp", "c-2", "K2", false, true, values, CHANGED);

            assertThat(zonedWriter.write(List.of(golden, deleted)).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);

            List<Map<String, Object>> rows = new ArrayList<>();
            try (var connection = database.connect(); var statement = connection.createStatement();
                 var rs = statement.executeQuery("SELECT code, score, modified, removed FROM " + other + " ORDER BY code")) {
                while (rs.next()) {
                    Object modified = name.equals("MariaDB") ? rs.getObject(3, LocalDateTime.class)
                            : rs.getObject(3, java.time.OffsetDateTime.class).toInstant();
                    rows.add(Map.of("code", rs.getString(1), "score", rs.getBigDecimal(2), "modified", modified, "removed", rs.getInt(4)));
                }
            }
            Object at = name.equals("MariaDB") ? CHANGED_LOCAL : CHANGED;
            assertThat(rows).containsExactly(
                    Map.of("code", "5a1f0c3e-0000-4000-8000-000000000001", "score", new java.math.BigDecimal("12.50"), "modified", at, "removed", 0),
                    Map.of("code", "K2", "score", new java.math.BigDecimal("12.50"), "modified", at, "removed", 1));
        } finally {
            zonedWriter.stop();
            database.execute("DROP TABLE IF EXISTS " + other);
        }
    }

    @org.junit.jupiter.api.Test
    void aConnectionLostInTheMiddleOfABatchThrowsAndCommitsNothing() {
        open("PostgreSQL");
        // the server ends the writer's connection while it inserts the second row
        database.execute("CREATE FUNCTION " + database.table + "_drop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                + " IF NEW.name1 = 'Drop' THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF; RETURN NEW; END $$");
        database.execute("CREATE TRIGGER " + database.table + "_drop BEFORE INSERT ON " + database.table
                + " FOR EACH ROW EXECUTE FUNCTION " + database.table + "_drop()");
        try {
            assertThatThrownBy(() -> writer.write(List.of(change(1, "1", true, values("One", null, null)),
                    change(2, "2", true, values("Drop", null, null)), change(3, "3", true, values("Three", null, null)))).stream().map(WriteOutcome::error).toList())
                    .isInstanceOf(java.sql.SQLException.class)
                    .hasMessage("sync erp: cannot write to " + database.url + "#" + database.table
                            + ": SQL state 57P01: FATAL: terminating connection due to administrator command");
            assertThat(TargetDatabase.rows(database)).isEmpty();
        } finally {
            database.execute("DROP TABLE IF EXISTS " + database.table);
            database.execute("DROP FUNCTION IF EXISTS " + database.table + "_drop()");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdbc:postgresql://127.0.0.1:1/test", "jdbc:mariadb://127.0.0.1:1/test", "jdbc:h2:tcp://127.0.0.1:1/erp"})
    void anUnreachableDatabaseThrowsAndInitDidNotConnect(String url) {
        // init() above does not connect, so a target that is down does not stop the daemon
        writer = writer(url, "-", "deleted");

        assertThatThrownBy(() -> writer.write(List.of(change(1, "1", true, values("One", null, null)))).stream().map(WriteOutcome::error).toList())
                .isInstanceOf(java.sql.SQLException.class)
                .hasMessageStartingWith("sync erp: cannot write to " + url + "#erp_customer: ");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void rowsWrittenAreReadBackByTheJdbcSourceAsTheSameCanonicalValues(String name) throws Exception {
        open(name);
        List<OutboundChange> changes = List.of(
                change(1, "1042", false, values("王芳", "wang.fang@example.com", "1990-01-31")),
                change(2, "1043", true, values("Li Lei", null, "1979-12-31")));
        assertThat(writer.write(changes).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);

        reader = new JdbcRecordSource();
        reader.getOptions().put("source", "erp");
        reader.getOptions().put("url", database.url);
        reader.getOptions().put("user", database.user);
        reader.getOptions().put("table", database.table);
        reader.getOptions().put("updated-column", "changed_at");
        reader.getOptions().put("key-column", "kunnr");
        reader.getOptions().put("mapping", MAPPING);
        reader.getOptions().put("time-zone", "Asia/Shanghai"); // the writer's
        reader.init();
        List<SourceRecord> read = new ArrayList<>();
        reader.batches(null).forEachRemaining((PolledBatch batch) -> read.addAll(batch.records()));

        assertThat(read).hasSize(2);
        for (int i = 0; i < changes.size(); i++) {
            OutboundChange change = changes.get(i);
            SourceRecord record = read.get(i);
            for (CanonicalField field : writer.fields()) {
                assertThat(record.value(field)).as("%s of %s", field, change.targetKey()).isEqualTo(change.value(field));
            }
            assertThat(record.deleted()).isFalse();
            assertThat(record.value(CanonicalField.SOURCE_UPDATED_AT)).isEqualTo("2026-12-01T10:30:00.123456+08:00");
        }
    }

    /**
     * Without a time-zone parameter, the updated column gets the change's time as a local time in
     * the zone the database's own sessions stamp in (its now()), and the jdbc-source without one
     * reads it back as the same instant.
     */
    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"PostgreSQL, America/New_York", "MariaDB, -05:00", "H2, America/New_York"})
    void theUpdatedColumnGetsTheChangesTimeInTheDatabasesZone(String name, String zone) throws Exception {
        String url;
        String user;
        if (name.equals("PostgreSQL")) {
            zoned = ZonedPostgres.create(dir, zone);
            url = zoned.url;
            user = zoned.user;
        } else if (name.equals("MariaDB")) {
            database = TargetDatabase.open(name, dir);
            url = database.url + "?sessionVariables=time_zone='" + zone + "'";
            user = database.user;
        } else {
            url = "jdbc:h2:file:" + dir.resolve("erp-zone").toAbsolutePath() + ";TIME ZONE=" + zone;
            user = "sa";
        }
        String table = database != null ? database.table : "erp_customer";
        if (database == null) {
            try (var connection = java.sql.DriverManager.getConnection(url, user, ""); var statement = connection.createStatement()) {
                statement.execute("CREATE TABLE " + table + " (kunnr BIGINT PRIMARY KEY, name1 VARCHAR(40) NOT NULL, email VARCHAR(30),"
                        + " birth_date DATE, postal_code VARCHAR(10), mobile VARCHAR(20), tel VARCHAR(20), changed_at TIMESTAMP(6),"
                        + " deleted BOOLEAN)");
            }
        }
        writer = writer(url, user, "deleted", "-");

        assertThat(writer.write(List.of(change(1, "1042", true, values("Wang Fang", null, null))))).containsExactly(WriteOutcome.WRITTEN);

        try (var connection = java.sql.DriverManager.getConnection(url, user, ""); var statement = connection.createStatement();
             var rs = statement.executeQuery("SELECT changed_at FROM " + table)) {
            rs.next();
            assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.ofInstant(CHANGED, ZoneId.of(zone)));
        }
        reader = new JdbcRecordSource();
        reader.getOptions().put("source", "erp");
        reader.getOptions().put("url", url);
        reader.getOptions().put("user", user);
        reader.getOptions().put("table", table);
        reader.getOptions().put("updated-column", "changed_at");
        reader.getOptions().put("key-column", "kunnr");
        reader.getOptions().put("mapping", MAPPING);
        reader.init();
        List<SourceRecord> read = new ArrayList<>();
        reader.batches(null).forEachRemaining((PolledBatch batch) -> read.addAll(batch.records()));
        assertThat(OffsetDateTime.parse(read.get(0).value(CanonicalField.SOURCE_UPDATED_AT)).toInstant()).isEqualTo(CHANGED);
    }
}
