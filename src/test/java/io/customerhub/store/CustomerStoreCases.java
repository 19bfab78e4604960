package io.customerhub.store;

import static io.customerhub.record.CanonicalField.EMAIL;
import static io.customerhub.record.CanonicalField.FULL_NAME;
import static io.customerhub.record.CanonicalField.PHONE;
import static io.customerhub.record.CanonicalField.SOURCE_KEY;
import static io.customerhub.record.CanonicalField.SOURCE_UPDATED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.match.MatchSettings;
import io.customerhub.match.WeightEstimate;
import io.customerhub.merge.SurvivorshipSettings;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.Rejection;
import io.customerhub.record.SourceRecord;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The store's behaviour, run against each real database by a subclass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CustomerStoreCases {

    private static final String CRM = "crm";
    private static final String ERP = "erp";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TABLES =
            List.of("customer", "customer_source", "customer_history", "quarantine",
                    "match_review", "golden_pending", "source_watermark", "sync_outbox", "sync_change", "sync_state", "sync_conflict",
                    "value_finding", "keep_apart", "match_weights");

    private StoreTestDatabases.TestDatabase database;
    private CustomerStore store;

    abstract StoreTestDatabases.TestDatabase openDatabase();

    @BeforeAll
    void openStore() {
        database = openDatabase();
        store = new CustomerStore(database.dataSource());
    }

    @AfterAll
    void closeStore() {
        if (database != null) {
            database.close();
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String table : List.of("golden_pending", "match_review", "customer_history", "customer_source", "customer",
                    "quarantine", "keep_apart", "value_finding")) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
    }

    @Test
    void migrationCreatesTheDocumentedTables() throws SQLException {
        try (Connection connection = database.dataSource().getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            Map<String, String> tableComments = new LinkedHashMap<>();
            try (ResultSet rs = meta.getTables(null, connection.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tableComments.put(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT), rs.getString("REMARKS"));
                }
            }
            assertThat(tableComments).containsKeys(TABLES.toArray(String[]::new));
            List<String> undocumented = new ArrayList<>();
            for (String table : TABLES) {
                if (tableComments.get(table) == null || tableComments.get(table).isBlank()) {
                    undocumented.add(table);
                }
                String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet rs = meta.getColumns(null, connection.getSchema(), name, "%")) {
                    while (rs.next()) {
                        String remarks = rs.getString("REMARKS");
                        if (remarks == null || remarks.isBlank()) {
                            undocumented.add(table + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
            assertThat(undocumented).as("tables and columns without a comment").isEmpty();
        }
    }

    @Test
    void reopeningAMigratedStoreLeavesItsSchemaAlone() throws Exception {
        StoreDataSource.open(database.settings()).close();

        // every migration once, however many there are
        long migrations;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/db/migration"))) {
            migrations = files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
        }
        assertThat(one("SELECT COUNT(*) AS n FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL' AND \"success\" = TRUE"))
                .as("V1, V2, ...").containsEntry("n", migrations);
        assertThat(one("SELECT COUNT(*) AS n FROM \"flyway_schema_history\" WHERE \"version\" = '5' AND \"type\" = 'JDBC'"
                + " AND \"success\" = TRUE")).as("the blocking-key rebuild, once").containsEntry("n", 1L);
    }

    @Test
    void aStoreStartedLaterFindsTheRecordsStoredBeforeAndEachStoreFindsTheOthers() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", null)), List.of()));
        String golden = customerIdOf("42");

        // a second store on the same database (a restart, or a second hub) builds its index from the stored records
        CustomerStore second = new CustomerStore(database.dataSource());
        storeAndMerge(second, new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-1", "张伟", "伟", "张", null)), List.of(), 0));
        assertThat(one("SELECT customer_id FROM customer_source WHERE source_key = 'E-1'")).containsEntry("customer_id", golden);

        // and the first catches up with what the second stored: the second's record is found by its own e-mail
        storeAndMerge(second, new CheckedBatch(ERP, List.of(person(ERP, "E-2", null, "王芳", "芳", "王", Gender.F, null,
                "wang.fang@example.cn", null, PostalAddress.EMPTY, null, 2)), List.of(), 0));
        storeAndMerge(batch(List.of(person(CRM, "44", null, "王芳", "芳", "王", Gender.F, null, "wang.fang@example.cn",
                null, PostalAddress.EMPTY, null, 3)), List.of()));
        assertThat(customerIdOf("44")).isEqualTo(one("SELECT customer_id FROM customer_source WHERE source_key = 'E-2'")
                .get("customer_id"));
        assertThat(one("SELECT seq FROM store_lock WHERE name = 'store'")).as("the store sequence: the last number given")
                .isEqualTo(one("SELECT MAX(seq) AS seq FROM customer_source"));
    }

    @Test
    void newRecordsLandInCustomerAndCustomerSource() throws SQLException {
        CheckedRecord first = accepted("42", "li.na@example.cn", "2024-03-01T08:00:00Z", 2);
        // another person: the same person under a second key would join the first one's golden record
        CheckedRecord second = person(CRM, "43", null, "王五", "五", "王", Gender.M, LocalDate.of(1980, 5, 6),
                "wang.wu@example.cn", "+8613900139000", new PostalAddress("CN", "北京市", "北京市", "海淀区", "中关村大街1号", "100080"),
                null, 3);

        StoreResult result = storeAndMerge(batch(List.of(first, second), List.of()));

        assertThat(result).isEqualTo(new StoreResult(2, 0, 0, 0, 0));
        String customerId = customerIdOf("42");
        assertThat(UUID.fromString(customerId).version()).as("time-ordered golden id").isEqualTo(7);
        assertThat(customerIdOf("43")).as("a later record, a greater id").isGreaterThan(customerId);
        Map<String, Object> customer = one("SELECT * FROM customer WHERE id = ?", customerId);
        assertThat(customer).contains(
                entry("full_name", "李娜"), entry("given_name", "娜"), entry("family_name", "李"), entry("gender", "F"),
                entry("birth_date", LocalDate.of(1990, 1, 2)), entry("email", "li.na@example.cn"),
                entry("phone", "+8613800138000"), entry("country", "CN"), entry("province", "广东省"),
                entry("city", "深圳市"), entry("district", "南山区"), entry("street", "科技园路1号"),
                entry("postal_code", "518000"), entry("company", "华为"), entry("national_id", "11010119900102123X"),
                entry("status", "ACTIVE"), entry("version", 1L));
        assertThat((Instant) customer.get("created_at")).isEqualTo((Instant) customer.get("updated_at")).isNotNull();

        Map<String, Object> source = one("SELECT * FROM customer_source WHERE source = ? AND source_key = ?", CRM, "42");
        assertThat(source).contains(
                entry("customer_id", customerId), entry("full_name", "李娜"), entry("email", "li.na@example.cn"),
                entry("phone", "+8613800138000"), entry("phone_raw", "138 0013 8000"), entry("gender", "F"),
                entry("birth_date", LocalDate.of(1990, 1, 2)), entry("national_id", "11010119900102123X"),
                entry("source_updated_at", Instant.parse("2024-03-01T08:00:00Z")),
                entry("content_hash", asUuid(RecordHashes.contentHash(first.customer()))),
                entry("message_id", asUuid(first.delivery().messageId())), entry("origin", "crm-0301.csv"), entry("position", 2L));
        assertThat(one("SELECT source_updated_at FROM customer_source WHERE source_key = ?", "43"))
                .containsEntry("source_updated_at", null);
        assertThat(count("customer_history")).isZero();
    }

    @Test
    void changedRedeliveryUpdatesBothTablesAndWritesOneHistoryRow() throws SQLException {
        storeAndMerge(batch(List.of(accepted("42", "li.na@example.cn", "2024-03-01T08:00:00Z", 2)), List.of()));
        CheckedRecord changed = accepted("42", "na.li@example.cn", "2024-03-02T08:00:00Z", 7);

        StoreResult result = storeAndMerge(store.dropDuplicates(batch(List.of(changed), List.of())));

        assertThat(result).isEqualTo(new StoreResult(0, 1, 0, 0, 0));
        String customerId = customerIdOf("42");
        assertThat(one("SELECT email, version FROM customer WHERE id = ?", customerId))
                .containsEntry("email", "na.li@example.cn").containsEntry("version", 2L);
        assertThat(one("SELECT email, content_hash, message_id, origin, position, source_updated_at FROM customer_source"
                + " WHERE source_key = ?", "42")).contains(
                entry("email", "na.li@example.cn"), entry("content_hash", asUuid(RecordHashes.contentHash(changed.customer()))),
                entry("message_id", asUuid(changed.delivery().messageId())), entry("position", 7L),
                entry("source_updated_at", Instant.parse("2024-03-02T08:00:00Z")));
        List<Map<String, Object>> history = rows("SELECT * FROM customer_history");
        assertThat(history).singleElement().satisfies(row -> {
            assertThat(row).contains(entry("customer_id", customerId), entry("source", CRM), entry("source_key", "42"),
                    entry("change_type", "UPDATE"), entry("origin", "crm-0301.csv"), entry("position", 7L));
            assertThat(json(row.get("before_values"))).containsExactly(entry("email", "li.na@example.cn"));
            assertThat(json(row.get("after_values"))).containsExactly(entry("email", "na.li@example.cn"));
        });
    }

    @Test
    void unchangedRedeliveryIsADuplicate() throws SQLException {
        CheckedBatch delivery = batch(List.of(accepted("42", "li.na@example.cn", null, 2)), List.of());
        storeAndMerge(store.dropDuplicates(delivery));

        CheckedBatch again = store.dropDuplicates(delivery);

        assertThat(again.accepted()).isEmpty();
        assertThat(again.duplicates()).isEqualTo(1);
        assertThat(storeAndMerge(again)).isEqualTo(new StoreResult(0, 0, 0, 0, 1));
        assertThat(one("SELECT version FROM customer")).containsEntry("version", 1L);
    }

    @Test
    void repeatsInsideOneBatchAreDuplicates() {
        CheckedRecord record = accepted("42", "li.na@example.cn", null, 2);
        Rejection rejection = rejected("44", "bad@", 5);

        CheckedBatch deduplicated = store.dropDuplicates(
                new CheckedBatch(CRM, List.of(record, record), List.of(rejection, rejection), 3));

        assertThat(deduplicated.accepted()).containsExactly(record);
        assertThat(deduplicated.rejected()).containsExactly(rejection);
        assertThat(deduplicated.duplicates()).isEqualTo(5);
    }

    @Test
    void sameKeyTwiceInOneBatchIsAnInsertFollowedByAnUpdate() throws SQLException {
        CheckedBatch batch = batch(List.of(
                accepted("42", "li.na@example.cn", "2024-03-01T08:00:00Z", 2),
                accepted("42", "na.li@example.cn", "2024-03-02T08:00:00Z", 9)), List.of());

        assertThat(storeAndMerge(batch)).isEqualTo(new StoreResult(1, 1, 0, 0, 0));

        assertThat(one("SELECT email, version FROM customer"))
                .containsEntry("email", "na.li@example.cn").containsEntry("version", 2L);
        assertThat(one("SELECT email, position FROM customer_source"))
                .containsEntry("email", "na.li@example.cn").containsEntry("position", 9L);
        assertThat(rows("SELECT after_values FROM customer_history")).singleElement()
                .satisfies(row -> assertThat(json(row.get("after_values"))).containsExactly(entry("email", "na.li@example.cn")));
    }

    @Test
    void rejectedRecordsLandInTheQuarantine() throws SQLException {
        Rejection rejection = rejected("44", "bad@", 5);

        assertThat(storeAndMerge(batch(List.of(), List.of(rejection)))).isEqualTo(new StoreResult(0, 0, 0, 1, 0));

        Map<String, Object> row = one("SELECT * FROM quarantine");
        assertThat(row).contains(entry("source", CRM), entry("source_key", "44"), entry("origin", "crm-0301.csv"),
                entry("position", 5L), entry("rule", "format:email"), entry("reason", "'bad@' is not an e-mail address."),
                entry("payload", rejection.record().payload()), entry("message_id", asUuid(rejection.record().messageId())),
                entry("status", "OPEN"), entry("resolved_at", null));
        assertThat(row.get("received_at")).isNotNull();
        assertThat(json(row.get("mapped_values"))).containsExactly(
                entry("sourceKey", "44"), entry("fullName", "赵六"), entry("email", "bad@"));
        assertThat(count("customer")).isZero();
    }

    @Test
    void unparseableRecordsAreQuarantinedWithTheirPayload() throws SQLException {
        SourceRecord garbage = SourceRecord.unparseable(CRM, "crm-0301.csv", 12, "\"unterminated,", "unterminated quote");

        storeAndMerge(batch(List.of(), List.of(new Rejection(garbage, "parse", "Line 12: unterminated quote."))));

        assertThat(one("SELECT source_key, payload, mapped_values, rule FROM quarantine")).contains(
                entry("source_key", null), entry("payload", "\"unterminated,"), entry("mapped_values", "{}"),
                entry("rule", "parse"));
    }

    @Test
    void theSameRejectedRecordAgainIsADuplicate() throws SQLException {
        CheckedBatch delivery = batch(List.of(), List.of(rejected("44", "bad@", 5)));
        storeAndMerge(store.dropDuplicates(delivery));

        StoreResult again = storeAndMerge(store.dropDuplicates(delivery));

        assertThat(again).isEqualTo(new StoreResult(0, 0, 0, 0, 1));
        assertThat(count("quarantine")).isEqualTo(1);
    }

    @Test
    void staleUpdatesAreIgnored() throws SQLException {
        storeAndMerge(batch(List.of(accepted("42", "li.na@example.cn", "2024-03-02T08:00:00Z", 2)), List.of()));

        StoreResult result = storeAndMerge(store.dropDuplicates(
                batch(List.of(accepted("42", "old@example.cn", "2024-03-01T08:00:00Z", 3)), List.of())));

        assertThat(result).isEqualTo(new StoreResult(0, 0, 1, 0, 0));
        assertThat(one("SELECT email, version FROM customer"))
                .containsEntry("email", "li.na@example.cn").containsEntry("version", 1L);
        assertThat(count("customer_history")).isZero();
    }

    @Test
    void aNewerTimestampWithoutChangeMakesOlderDeliveriesStale() throws SQLException {
        storeAndMerge(batch(List.of(accepted("42", "li.na@example.cn", "2024-03-01T08:00:00Z", 2)), List.of()));
        StoreResult touched = storeAndMerge(store.dropDuplicates(
                batch(List.of(accepted("42", "li.na@example.cn", "2024-03-03T08:00:00Z", 3)), List.of())));

        StoreResult stale = storeAndMerge(store.dropDuplicates(
                batch(List.of(accepted("42", "old@example.cn", "2024-03-02T08:00:00Z", 4)), List.of())));

        assertThat(touched).isEqualTo(new StoreResult(0, 0, 1, 0, 0));
        assertThat(stale).isEqualTo(new StoreResult(0, 0, 1, 0, 0));
        assertThat(one("SELECT email, source_updated_at FROM customer_source")).contains(
                entry("email", "li.na@example.cn"), entry("source_updated_at", Instant.parse("2024-03-03T08:00:00Z")));
        assertThat(one("SELECT version FROM customer")).containsEntry("version", 1L);
    }

    @Test
    void aFailureMidBatchStoresNothingOfTheBatch() throws SQLException {
        List<CheckedRecord> accepted = new ArrayList<>();
        for (int key = 1; key <= 5; key++) {
            accepted.add(accepted(String.valueOf(key), "p" + key + "@example.cn", null, key));
        }
        // a source name longer than customer_source.source holds makes the database refuse the third
        // record's last insert, after every other statement of the batch has written
        CheckedRecord third = accepted.get(2);
        accepted.set(2, new CheckedRecord(third.delivery(), withSource(third.customer(), "x".repeat(65))));
        CheckedBatch batch = batch(accepted, List.of(rejected("44", "bad@", 9)));

        assertThatThrownBy(() -> storeAndMerge(batch)).isInstanceOf(StoreException.class).hasMessageContaining("crm");

        for (String table : TABLES) {
            assertThat(count(table)).as(table).isZero();
        }
        assertThat(store.dropDuplicates(batch).duplicates()).as("message ids rolled back too").isZero();
    }

    @Test
    void acceptedRecordsWhoseKeyCannotBeStoredAreQuarantined() throws SQLException {
        StoreResult result = storeAndMerge(batch(List.of(accepted("k".repeat(300), "a@example.cn", null, 4)), List.of()));

        assertThat(result).isEqualTo(new StoreResult(0, 0, 0, 1, 0));
        assertThat(one("SELECT rule, position FROM quarantine"))
                .containsEntry("rule", "length:sourceKey").containsEntry("position", 4L);
        assertThat(count("customer")).isZero();
    }

    @Test
    void openQuarantineFiltersBySourceAndIdOldestFirst() throws SQLException {
        storeAndMerge(batch(List.of(), List.of(rejected("44", "bad@", 5), rejected("45", "worse@", 6))));
        storeAndMerge(new CheckedBatch("erp", List.of(), List.of(new Rejection(
                new SourceRecord("erp", "erp.json", 1, Map.of(SOURCE_KEY, "E1"), "{}", null), "required:fullName",
                "fullName is missing.")), 0));

        List<QuarantineEntry> all = store.openQuarantine(null, null);
        List<QuarantineEntry> crm = store.openQuarantine(CRM, null);
        long secondId = crm.get(1).id();

        assertThat(all).extracting(QuarantineEntry::sourceKey).containsExactly("44", "45", "E1");
        assertThat(crm).extracting(QuarantineEntry::sourceKey).containsExactly("44", "45");
        assertThat(store.openQuarantine(null, secondId)).singleElement().satisfies(entry -> {
            assertThat(entry).extracting(QuarantineEntry::source, QuarantineEntry::origin, QuarantineEntry::position,
                    QuarantineEntry::rule).containsExactly(CRM, "crm-0301.csv", 6L, "format:email");
            assertThat(entry.values()).containsExactly(
                    entry(SOURCE_KEY, "45"), entry(FULL_NAME, "赵六"), entry(EMAIL, "worse@"));
            assertThat(entry.receivedAt()).isNotNull();
        });
        assertThat(store.openQuarantine("erp", secondId)).isEmpty();
    }

    @Test
    void replayStoresFixedRecordsAndKeepsStillFailingOnesOpen() throws SQLException {
        storeAndMerge(batch(List.of(), List.of(rejected("44", "bad@", 5), rejected("45", "worse@", 6))));
        List<QuarantineEntry> open = store.openQuarantine(CRM, null);
        long fixedId = open.get(0).id();
        long failingId = open.get(1).id();
        CheckedRecord fixed = accepted("44", "zhao.liu@example.cn", null, 5);
        Rejection stillFailing = new Rejection(rejected("45", "worse@", 6).record(), "format:phone", "The phone is not a number.");

        StoreResult result = store.storeReplay(Map.of(fixedId, fixed), Map.of(failingId, stillFailing));

        assertThat(result).isEqualTo(new StoreResult(1, 0, 0, 1, 0));
        assertThat(one("SELECT status, resolved_at FROM quarantine WHERE id = ?", fixedId))
                .containsEntry("status", "REPLAYED").extractingByKey("resolved_at").isNotNull();
        assertThat(one("SELECT status, rule, reason FROM quarantine WHERE id = ?", failingId)).contains(
                entry("status", "OPEN"), entry("rule", "format:phone"), entry("reason", "The phone is not a number."));
        assertThat(one("SELECT email FROM customer_source WHERE source_key = ?", "44"))
                .containsEntry("email", "zhao.liu@example.cn");
        assertThat(store.openQuarantine(null, null)).extracting(QuarantineEntry::id).containsExactly(failingId);
        assertThat(store.dropDuplicates(batch(List.of(fixed), List.of())).duplicates())
                .as("the fixed record delivered by the source later").isEqualTo(1);
    }

    @Test
    void replayOfAnUneditedRecordStoresItAlthoughItsMessageWasProcessed() throws SQLException {
        Rejection rejection = rejected("44", "zhao.liu@example.cn", 5);
        storeAndMerge(store.dropDuplicates(batch(List.of(), List.of(rejection))));
        long id = store.openQuarantine(CRM, null).get(0).id();
        // the rule was relaxed: the very delivery that was quarantined now passes
        CheckedRecord passing = new CheckedRecord(rejection.record(), accepted("44", "zhao.liu@example.cn", null, 5).customer());

        StoreResult result = store.storeReplay(Map.of(id, passing), Map.of());

        assertThat(result).isEqualTo(new StoreResult(1, 0, 0, 0, 0));
        assertThat(one("SELECT message_id FROM customer_source WHERE source_key = ?", "44"))
                .containsEntry("message_id", asUuid(rejection.record().messageId()));
    }

    @Test
    void storingWithoutDropDuplicatesStoresADeliveryOnce() throws SQLException {
        CheckedRecord first = accepted("42", "li.na@example.cn", null, 2);
        storeAndMerge(batch(List.of(first), List.of()));

        StoreResult again = storeAndMerge(batch(List.of(accepted("43", "wang.wu@example.cn", null, 3), first), List.of()));

        assertThat(again).isEqualTo(new StoreResult(1, 0, 1, 0, 0));
        assertThat(count("customer_source")).isEqualTo(2);
    }

    @Test
    void replayingAnEntryThatIsNoLongerOpenStoresNothing() throws SQLException {
        storeAndMerge(batch(List.of(), List.of(rejected("44", "bad@", 5))));
        long id = store.openQuarantine(CRM, null).get(0).id();
        store.storeReplay(Map.of(id, accepted("44", "zhao.liu@example.cn", null, 5)), Map.of());

        assertThatThrownBy(() -> store.storeReplay(Map.of(id, accepted("44", "other@example.cn", null, 5)), Map.of()))
                .isInstanceOf(StoreException.class).hasMessageContaining("quarantine entry " + id);

        assertThat(one("SELECT email FROM customer")).containsEntry("email", "zhao.liu@example.cn");
        assertThat(count("customer_history")).isZero();
    }

    @Test
    void theSamePersonFromAnotherSourceJoinsTheGoldenRecordAndStoresWhy() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        String golden = customerIdOf("42");

        StoreResult result = storeAndMerge(new CheckedBatch(ERP, List.of(
                zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang", "2024-03-02T08:00:00Z")), List.of(), 0));

        assertThat(result).isEqualTo(new StoreResult(1, 0, 0, 0, 0));
        assertThat(count("customer")).isEqualTo(1);
        Map<String, Object> joined = one("SELECT * FROM customer_source WHERE source = ? AND source_key = ?", ERP, "E-7");
        assertThat(joined).containsEntry("customer_id", golden).containsEntry("match_rule", "exact:email");
        assertThat(Double.parseDouble((String) joined.get("match_score"))).isGreaterThanOrEqualTo(MatchSettings.defaults().upper());
        assertThat(jsonArray(joined.get("match_details"))).extracting(field -> field.get("field"))
                .contains("givenName", "familyName", "birthDate", "email", "phone");
        assertThat(one("SELECT match_rule, match_score, match_details FROM customer_source WHERE source_key = ?", "42"))
                .as("the record that started the golden record").containsEntry("match_rule", null)
                .containsEntry("match_score", null).containsEntry("match_details", null);
        List<Map<String, Object>> history = rows("SELECT * FROM customer_history ORDER BY id");
        assertThat(history).hasSize(2);
        assertThat(history.get(0)).as("the join, with its score").contains(entry("customer_id", golden),
                entry("source", ERP), entry("source_key", "E-7"), entry("change_type", "MERGE"),
                entry("match_score", joined.get("match_score")));
        assertThat(history.get(1)).as("the merge stage's recompute").contains(entry("customer_id", golden),
                entry("source", ERP), entry("source_key", "E-7"), entry("change_type", "UPDATE"));
        assertThat(json(history.get(1).get("after_values"))).containsEntry("fullName", "Zhang Wei");
        assertThat(one("SELECT full_name, version FROM customer")).as("the newer source's name survives")
                .containsEntry("full_name", "Zhang Wei").containsEntry("version", 2L);
        assertThat(count("match_review")).isZero();
    }

    @Test
    void aDifferentlySpacedNameInTheSameBatchJoinsByTheExactPhoneRule() throws SQLException {
        StoreResult result = storeAndMerge(batch(List.of(
                zhangWei(CRM, "42", "张伟", "伟", "张", null), zhangWei(CRM, "43", "张 伟", "伟", "张", null)), List.of()));

        assertThat(result).isEqualTo(new StoreResult(2, 0, 0, 0, 0));
        assertThat(customerIdOf("43")).isEqualTo(customerIdOf("42"));
        assertThat(one("SELECT match_rule FROM customer_source WHERE source_key = ?", "43"))
                .containsEntry("match_rule", "exact:email");
        assertThat(one("SELECT version FROM customer")).as("equal times: the golden values stay those of 42")
                .containsEntry("version", 1L);
    }

    @Test
    void aDuplicateWithANameTypoSameBirthDateAndPostalCodeMerges() throws SQLException {
        PostalAddress home = new PostalAddress("CN", "上海市", "上海市", "徐汇区", "漕溪北路88号", "200030");
        storeAndMerge(batch(List.of(person(CRM, "51", null, "王芳", "芳", "王", Gender.F, LocalDate.of(1990, 3, 4), null, null,
                home, null, 2)), List.of()));

        storeAndMerge(batch(List.of(person(CRM, "52", null, "汪芳", "芳", "汪", Gender.F, LocalDate.of(1990, 3, 4), null, null,
                home, null, 3)), List.of()));

        assertThat(customerIdOf("52")).isEqualTo(customerIdOf("51"));
        assertThat(one("SELECT change_type, source_key FROM customer_history WHERE change_type = 'MERGE'"))
                .containsEntry("source_key", "52");
    }

    @Test
    void aPairInTheReviewBandGetsTwoGoldenRecordsAndOneReview() throws SQLException {
        PostalAddress home = new PostalAddress("CN", "广东省", "深圳市", "南山区", "科技园路1号", "518000");
        storeAndMerge(batch(List.of(person(CRM, "61", null, "李娜", "娜", "李", Gender.F, LocalDate.of(1990, 1, 2),
                "li.na@example.cn", "+8613800138000", home, null, 2)), List.of()));

        storeAndMerge(batch(List.of(person(CRM, "62", null, "李娜", "娜", "李", Gender.F, LocalDate.of(1962, 11, 20),
                "happy.cat@163.com", "+8615055512345", home, null, 3)), List.of()));

        assertThat(customerIdOf("62")).isNotEqualTo(customerIdOf("61"));
        assertThat(count("customer")).isEqualTo(2);
        Map<String, Object> review = one("SELECT * FROM match_review");
        assertThat(review).contains(entry("source", CRM), entry("source_key", "62"), entry("candidate_source", CRM),
                entry("candidate_source_key", "61"), entry("candidate_customer_id", customerIdOf("61")),
                entry("rule", "weighted"), entry("status", "OPEN"));
        double score = Double.parseDouble((String) review.get("score"));
        assertThat(score).isBetween(MatchSettings.defaults().lower(), MatchSettings.defaults().upper());
        assertThat(jsonArray(review.get("comparisons"))).extracting(field -> field.get("field")).contains("birthDate");
        assertThat(one("SELECT match_rule FROM customer_source WHERE source_key = ?", "62")).containsEntry("match_rule", null);
        assertThat(count("customer_history")).isZero();
    }

    @Test
    void acceptingAReviewMergesThePairAndRejectingOneKeepsItApart() throws SQLException {
        PostalAddress home = new PostalAddress("CN", "广东省", "深圳市", "南山区", "科技园路1号", "518000");
        storeAndMerge(batch(List.of(person(CRM, "61", null, "李娜", "娜", "李", Gender.F, LocalDate.of(1990, 1, 2),
                "li.na@example.cn", "+8613800138000", home, null, 2)), List.of()));
        storeAndMerge(batch(List.of(person(CRM, "62", null, "李娜", "娜", "李", Gender.F, LocalDate.of(1962, 11, 20),
                "happy.cat@163.com", "+8615055512345", home, null, 3)), List.of()));
        storeAndMerge(batch(List.of(person(CRM, "63", null, "李娜", "娜", "李", Gender.F, LocalDate.of(1975, 5, 5),
                "li.na.75@163.com", "+8615055500000", home, null, 4)), List.of()));
        List<Map<String, Object>> reviews = rows("SELECT id, source_key FROM match_review ORDER BY id");
        assertThat(reviews).extracting(row -> row.get("source_key")).containsExactly("62", "63");

        String merged = store.resolveReview((Long) reviews.get(0).get("id"), true);
        store.resolveReview((Long) reviews.get(1).get("id"), false);

        assertThat(merged).isEqualTo(customerIdOf("61")).isEqualTo(customerIdOf("62"));
        assertThat(customerIdOf("63")).isNotEqualTo(merged);
        assertThat(rows("SELECT status FROM match_review ORDER BY id")).extracting(row -> row.get("status"))
                .containsExactly("ACCEPTED", "REJECTED");
        assertThat(count("match_review WHERE resolved_at IS NULL")).isZero();
        assertThat(one("SELECT customer_id, other_customer_id, decision FROM keep_apart")).contains(
                entry("customer_id", customerIdOf("63")), entry("other_customer_id", merged),
                entry("decision", "REVIEW_REJECTED " + reviews.get(1).get("id")));
        assertThatThrownBy(() -> store.resolveReview((Long) reviews.get(0).get("id"), true))
                .isInstanceOf(StoreException.class).hasMessageContaining("ACCEPTED");
    }

    @Test
    void aBlockingKeyHeldByMoreRecordsThanTheBlockLimitIsNotSearched() throws SQLException {
        MatchSettings defaults = MatchSettings.defaults();
        CustomerStore smallBlocks = new CustomerStore(database.dataSource(), new MatchSettings(defaults.upper(),
                defaults.lower(), defaults.weights(), defaults.addressCap(), 2), SurvivorshipSettings.defaults());
        smallBlocks.store(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", null)), List.of()));
        smallBlocks.store(batch(List.of(zhangWei(CRM, "43", "张伟", "伟", "张", null)), List.of()));

        smallBlocks.store(batch(List.of(zhangWei(CRM, "44", "张伟", "伟", "张", null)), List.of()));
        smallBlocks.store(batch(List.of(zhangWei(CRM, "45", "张伟", "伟", "张", null)), List.of()));

        assertThat(customerIdOf("43")).as("a block of one").isEqualTo(customerIdOf("42"));
        assertThat(customerIdOf("44")).as("a block of two").isEqualTo(customerIdOf("42"));
        assertThat(customerIdOf("45")).as("every key of a block of three is too common").isNotEqualTo(customerIdOf("42"));
    }

    @Test
    void eachWeightEstimateIsStoredAsAVersionAndOnePutInForceMatchesAndIsNamedInExplain() throws SQLException {
        execute("DELETE FROM match_weights");
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", null), zhangWei(ERP, "43", "张伟", "伟", "张", null)),
                List.of()));
        assertThat(store.estimateWeights().version()).isEqualTo(1);
        assertThat(store.estimateWeights().version()).isEqualTo(2);
        // a third estimate, made by hand: an e-mail shared by two records all but proves them one customer
        Map<String, WeightEstimate.Level> email = new LinkedHashMap<>();
        email.put("exact", new WeightEstimate.Level(0.95, 1e-12, 40, 14));
        email.put("different", new WeightEstimate.Level(0.05, 0.9, -4, -1));
        try (Connection connection = database.dataSource().getConnection()) {
            assertThat(MatchWeights.save(connection, new WeightEstimate(1000, 0.1, Map.of(EMAIL, email), Map.of()), Instant.now()).version())
                    .isEqualTo(3);
        }
        MatchSettings configured = MatchSettings.defaults();
        assertThat(MatchWeights.inForce(database.dataSource(), "configured", configured, Set.of())).isSameAs(configured);
        assertThat(MatchWeights.inForce(database.dataSource(), "2", configured, Set.of()).origin()).startsWith("learned version 2 ");
        assertThat(MatchWeights.inForce(database.dataSource(), "learned", configured, Set.of(EMAIL)).weights(EMAIL))
                .as("an operator's weight stays").isEqualTo(configured.weights(EMAIL));
        assertThatThrownBy(() -> MatchWeights.inForce(database.dataSource(), "7", configured, Set.of()))
                .hasMessageContaining("hub.match.weights").hasMessageContaining("version 7");
        assertThatThrownBy(() -> MatchWeights.inForce(database.dataSource(), "newest", configured, Set.of()))
                .hasMessageContaining("expected configured, learned or the version number");
        MatchSettings learned = MatchWeights.inForce(database.dataSource(), "learned", configured, Set.of());
        assertThat(learned.weights(EMAIL)).isEqualTo(new MatchSettings.Weights(40, -4));
        assertThat(learned.weights(CanonicalField.BIRTH_DATE)).as("a field the estimate did not see keeps its prior")
                .isEqualTo(configured.weights(CanonicalField.BIRTH_DATE));

        // two names, two cities, one e-mail: apart by the configured weights, one customer by the learned ones
        CheckedRecord zhang = person(CRM, "81", null, "张三", "三", "张", null, null, "shared@example.cn", null,
                new PostalAddress("CN", "北京市", "北京市", null, null, null), null, 2);
        CheckedRecord li = person(CRM, "82", null, "李四", "四", "李", null, null, "shared@example.cn", null,
                new PostalAddress("CN", "上海市", "上海市", null, null, null), null, 3);
        storeAndMerge(batch(List.of(zhang), List.of()));
        storeAndMerge(batch(List.of(li), List.of()));
        assertThat(customerIdOf("82")).isNotEqualTo(customerIdOf("81"));
        emptyTables();
        CustomerStore learning = new CustomerStore(database.dataSource(), learned, SurvivorshipSettings.defaults());
        storeAndMerge(learning, batch(List.of(zhang), List.of()));
        storeAndMerge(learning, batch(List.of(li), List.of()));
        assertThat(customerIdOf("82")).isEqualTo(customerIdOf("81"));
        assertThat(json(learning.explain(customerIdOf("81"))).get("matchWeights")).asString()
                .contains("learned version 3 ").contains("email={agree=40.0, disagree=-4.0}");
    }

    @Test
    void differentPeopleStayApart() throws SQLException {
        PostalAddress street = new PostalAddress("CN", "广东省", "深圳市", "南山区", "科技园路1号", "518000");
        storeAndMerge(batch(List.of(
                person(CRM, "71", null, "李娜", "娜", "李", Gender.F, LocalDate.of(1990, 1, 2), "li.na@example.cn",
                        "+8613800138000", street, null, 2),
                person(CRM, "72", null, "陈刚", "刚", "陈", Gender.M, LocalDate.of(1971, 7, 9), "chen.gang@example.cn",
                        "+8613600136000", street, null, 3)), List.of()));

        assertThat(customerIdOf("72")).isNotEqualTo(customerIdOf("71"));
        assertThat(count("match_review")).isZero();
        assertThat(count("customer_history")).isZero();
    }

    @Test
    void goldenValuesAreTheMostRecentKnownValuePerField() throws SQLException {
        PostalAddress home = new PostalAddress("CN", "北京市", "北京市", "海淀区", "中关村大街1号", "100080");
        storeAndMerge(batch(List.of(person(CRM, "42", "2024-03-01T08:00:00Z", "张伟", "伟", "张", Gender.M,
                LocalDate.of(1985, 6, 1), "zhang.wei@example.cn", "+8613912345678", home, "联想", 2)), List.of()));
        // newer, without a company and with another street: the street changes, the company stays
        storeAndMerge(new CheckedBatch(ERP, List.of(person(ERP, "E-7", "2024-03-05T08:00:00Z", "张伟", "伟", "张", Gender.U,
                LocalDate.of(1985, 6, 1), "zhang.wei@example.cn", "+8613912345678",
                new PostalAddress("CN", "北京市", "北京市", "海淀区", "知春路5号", "100080"), null, 4)), List.of(), 0));
        String golden = customerIdOf("42");
        assertThat(one("SELECT street, company, gender, version FROM customer WHERE id = ?", golden)).contains(
                entry("street", "知春路5号"), entry("company", "联想"), entry("gender", "M"), entry("version", 2L));

        // the CRM changes its e-mail later: its e-mail is now the most recent; its address, not edited, stays older
        storeAndMerge(batch(List.of(person(CRM, "42", "2024-03-10T08:00:00Z", "张伟", "伟", "张", Gender.M,
                LocalDate.of(1985, 6, 1), "wei.zhang@example.cn", "+8613912345678", home, "联想", 5)), List.of()));

        assertThat(one("SELECT email, street, version FROM customer WHERE id = ?", golden)).contains(
                entry("email", "wei.zhang@example.cn"), entry("street", "知春路5号"), entry("version", 3L));
        Map<String, Object> update = rows("SELECT * FROM customer_history WHERE change_type = 'UPDATE' ORDER BY id DESC")
                .get(0);
        assertThat(update).containsEntry("source_key", "42").containsEntry("match_score", null);
        assertThat(json(update.get("before_values"))).containsExactly(entry("email", "zhang.wei@example.cn"));
        assertThat(json(update.get("after_values"))).containsExactly(entry("email", "wei.zhang@example.cn"));
        // the changed values are indexed again: a new store finds the record by its new e-mail
        CustomerStore restarted = new CustomerStore(database.dataSource());
        storeAndMerge(restarted, new CheckedBatch(ERP, List.of(person(ERP, "E-9", null, "张伟", "伟", "张", Gender.M, null,
                "wei.zhang@example.cn", null, PostalAddress.EMPTY, null, 1)), List.of(), 0));
        assertThat(one("SELECT customer_id FROM customer_source WHERE source_key = 'E-9'")).containsEntry("customer_id", golden);
    }

    @Test
    void aChangedRecordUpdatesTheGoldenRecordByTheSurvivorshipRulesWithLineage() throws SQLException {
        CustomerStore erpFirst = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.from(
                Map.of("survivorship.address", "source-priority", "source-priority", "erp, crm")));
        PostalAddress erpAddress = new PostalAddress("CN", "北京市", "北京市", "海淀区", "知春路5号", "100083");
        storeAndMerge(erpFirst, new CheckedBatch(ERP, List.of(person(ERP, "E-7", "2024-03-01T08:00:00Z", "张伟", "伟", "张",
                Gender.M, LocalDate.of(1985, 6, 1), "zhang.wei@example.cn", "+8613912345678", erpAddress, null, 1)), List.of(), 0));
        storeAndMerge(erpFirst, batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-02T08:00:00Z")), List.of()));
        String golden = customerIdOf("42");
        assertThat(one("SELECT customer_id FROM customer_source WHERE source_key = 'E-7'")).containsEntry("customer_id", golden);

        // the CRM changes e-mail and address later: the e-mail is the most recent, the address stays the ERP's
        storeAndMerge(erpFirst, batch(List.of(person(CRM, "42", "2024-03-10T08:00:00Z", "张伟", "伟", "张", Gender.M,
                LocalDate.of(1985, 6, 1), "wei.zhang@example.cn", "+8613912345678",
                new PostalAddress("CN", "上海市", "上海市", "徐汇区", "漕溪北路88号", "200030"), null, 7)), List.of()));

        assertThat(one("SELECT email, city, street, postal_code FROM customer WHERE id = ?", golden)).contains(
                entry("email", "wei.zhang@example.cn"), entry("city", "北京市"), entry("street", "知春路5号"),
                entry("postal_code", "100083"));
        Map<String, Object> lineage = json(one("SELECT lineage FROM customer WHERE id = ?", golden).get("lineage"));
        // "at": when the hub read the value (its own clock, the same for every source), not the source's timestamp
        String emailEdited = (String) ((Map<?, ?>) json(one("SELECT edits FROM customer_source WHERE source_key = '42'")
                .get("edits")).get("email")).get("at");
        assertThat(lineage.get("email")).isEqualTo(Map.of("source", CRM, "sourceKey", "42",
                "at", emailEdited, "rule", "most-recent"));
        assertThat(lineage.get("address")).isEqualTo(Map.of("source", ERP, "sourceKey", "E-7",
                "at", firstSeen(ERP, "E-7"), "rule", "source-priority"));
        Map<String, Object> update = rows("SELECT * FROM customer_history WHERE change_type = 'UPDATE' ORDER BY id DESC").get(0);
        assertThat(update).contains(entry("source", CRM), entry("source_key", "42"), entry("position", 7L));
        assertThat(json(update.get("after_values"))).containsExactly(entry("email", "wei.zhang@example.cn"));
    }

    @Test
    void twoGoldenRecordsMergedIntoOneKeepTheOlderId() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(batch(List.of(person(CRM, "43", "2024-03-05T08:00:00Z", "张伟", "伟", "张", Gender.M, null,
                "wei.zhang@work.example", "+8613700001111", PostalAddress.EMPTY, "联想", 3)), List.of()));
        String older = customerIdOf("42");
        String newer = customerIdOf("43");
        assertThat(newer).as("too little evidence to merge alone").isNotEqualTo(older);

        assertThat(store.mergeGoldens(newer, older)).isEqualTo(older);

        assertThat(customerIdOf("43")).isEqualTo(older);
        assertThat(one("SELECT status, merged_into FROM customer WHERE id = ?", newer))
                .containsEntry("status", "MERGED").containsEntry("merged_into", older);
        assertThat(one("SELECT status, email, company, birth_date FROM customer WHERE id = ?", older)).contains(
                entry("status", "ACTIVE"), entry("email", "wei.zhang@work.example"), entry("company", "联想"),
                entry("birth_date", LocalDate.of(1985, 6, 1)));
        assertThat(rows("SELECT DISTINCT customer_id FROM customer_source")).as("every source record leads to the survivor")
                .containsExactly(Map.of("customer_id", older));
        assertThat(rows("SELECT customer_id, other_customer_id FROM customer_history WHERE change_type = 'GOLDEN_MERGE'"
                + " ORDER BY id")).containsExactly(Map.of("customer_id", older, "other_customer_id", newer),
                Map.of("customer_id", newer, "other_customer_id", older));
        assertThatThrownBy(() -> store.mergeGoldens(older, newer)).isInstanceOf(StoreException.class)
                .hasMessageContaining("MERGED");
    }

    @Test
    void aRecordThatMatchesTwoGoldenRecordsMergesThemIntoTheOlder() throws SQLException {
        storeAndMerge(batch(List.of(person(CRM, "71", "2024-03-01T08:00:00Z", "张伟", "伟", "张", Gender.M,
                LocalDate.of(1985, 6, 1), "zhang.wei@example.cn", "+8613912345678", PostalAddress.EMPTY, null, 1)), List.of()));
        storeAndMerge(batch(List.of(person(CRM, "72", "2024-03-02T08:00:00Z", "张伟", "伟", "张", Gender.M, null,
                "wei@work.example", "+8613700001111", PostalAddress.EMPTY, null, 2)), List.of()));
        String older = customerIdOf("71");
        String newer = customerIdOf("72");
        assertThat(newer).isNotEqualTo(older);

        // the first one's e-mail and the second one's phone: both the same person
        storeAndMerge(batch(List.of(person(CRM, "73", "2024-03-03T08:00:00Z", "张伟", "伟", "张", Gender.M,
                LocalDate.of(1985, 6, 1), "zhang.wei@example.cn", "+8613700001111", PostalAddress.EMPTY, null, 3)), List.of()));

        assertThat(List.of(customerIdOf("71"), customerIdOf("72"), customerIdOf("73"))).containsOnly(older);
        assertThat(one("SELECT status, merged_into FROM customer WHERE id = ?", newer))
                .containsEntry("status", "MERGED").containsEntry("merged_into", older);
        assertThat(rows("SELECT customer_id, source_key, other_customer_id FROM customer_history"
                + " WHERE change_type = 'GOLDEN_MERGE' ORDER BY id")).containsExactly(
                Map.of("customer_id", older, "source_key", "73", "other_customer_id", newer),
                Map.of("customer_id", newer, "source_key", "73", "other_customer_id", older));
        assertThat(one("SELECT phone, email FROM customer WHERE id = ?", older)).as("recomputed over all three")
                .containsEntry("phone", "+8613700001111").containsEntry("email", "zhang.wei@example.cn");
    }

    @Test
    void unmergeRestoresTheMergedGoldenRecords() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(batch(List.of(person(CRM, "43", "2024-03-05T08:00:00Z", "张伟", "伟", "张", Gender.M, null,
                "wei.zhang@work.example", "+8613700001111", PostalAddress.EMPTY, "联想", 3)), List.of()));
        String older = customerIdOf("42");
        String newer = customerIdOf("43");
        Map<String, Object> before = one("SELECT * FROM customer WHERE id = ?", older);
        store.mergeGoldens(older, newer);

        assertThat(store.unmerge(older)).containsExactly(newer);

        assertThat(customerIdOf("42")).isEqualTo(older);
        assertThat(customerIdOf("43")).isEqualTo(newer);
        assertThat(one("SELECT status, merged_into, email, company FROM customer WHERE id = ?", newer)).contains(
                entry("status", "ACTIVE"), entry("merged_into", null), entry("email", "wei.zhang@work.example"),
                entry("company", "联想"));
        assertThat(one("SELECT email, company, phone FROM customer WHERE id = ?", older)).as("back to its own values")
                .contains(entry("email", before.get("email")), entry("company", null), entry("phone", before.get("phone")));
        assertThat(count("customer_history WHERE change_type = 'UNMERGE'")).isEqualTo(2);
    }

    @Test
    void unmergingARecordThatJoinedGivesItAGoldenRecordOfItsOwn() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-02T08:00:00Z")), List.of(), 0));
        String golden = customerIdOf("42");
        assertThat(one("SELECT full_name FROM customer WHERE id = ?", golden)).containsEntry("full_name", "Zhang Wei");

        String own = store.unmerge(ERP, "E-7");

        assertThat(own).isNotEqualTo(golden);
        assertThat(one("SELECT customer_id, own_customer_id, match_rule FROM customer_source WHERE source_key = 'E-7'"))
                .contains(entry("customer_id", own), entry("own_customer_id", own), entry("match_rule", null));
        assertThat(one("SELECT full_name, status FROM customer WHERE id = ?", own))
                .containsEntry("full_name", "Zhang Wei").containsEntry("status", "ACTIVE");
        assertThat(one("SELECT full_name FROM customer WHERE id = ?", golden)).containsEntry("full_name", "张伟");
        assertThatThrownBy(() -> store.unmerge(ERP, "E-7")).isInstanceOf(StoreException.class)
                .hasMessageContaining("only record");
    }

    @Test
    void aSplitIsRememberedSoThatALaterRecordLinkingBothJoinsOneOfThemOnly() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-02T08:00:00Z")), List.of(), 0));
        String golden = customerIdOf("42");
        String own = store.unmerge(ERP, "E-7");

        // the same person again, in a third record: it scores MERGE with both
        storeAndMerge(batch(List.of(zhangWei(CRM, "44", "张伟", "伟", "张", "2024-03-03T08:00:00Z")), List.of()));

        assertThat(customerIdOf("44")).isIn(golden, own);
        assertThat(one("SELECT customer_id FROM customer_source WHERE source_key = 'E-7'")).containsEntry("customer_id", own);
        assertThat(count("customer WHERE status = 'ACTIVE'")).isEqualTo(2);
        assertThat(one("SELECT customer_id, other_customer_id, decision FROM keep_apart")).contains(entry("customer_id", golden),
                entry("other_customer_id", own), entry("decision", "UNMERGE erp/E-7"));
        assertThat(json(store.explain(own)).get("keptApartFrom")).asList().singleElement()
                .satisfies(pair -> assertThat(pair).asInstanceOf(InstanceOfAssertFactories.MAP).containsEntry("customer_id", golden));

        // a steward who merges them after all overrules the earlier decision
        store.mergeGoldens(golden, own);
        assertThat(count("keep_apart")).isZero();
    }

    @Test
    void explainShowsLineageSourceRecordsAndWhyTheyJoined() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-02T08:00:00Z")), List.of(), 0));

        Map<String, Object> explanation = json(store.explain(customerIdOf("42")));

        @SuppressWarnings("unchecked")
        Map<String, Object> customer = (Map<String, Object>) explanation.get("customer");
        assertThat(customer).containsEntry("full_name", "Zhang Wei");
        assertThat(customer.get("lineage")).asString().contains("E-7");
        assertThat(explanation.get("sourceRecords")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(2);
        assertThat(explanation.get("sourceRecords").toString()).contains("match_details").contains("birthDate");
        assertThat(explanation.get("history").toString()).contains("MERGE").contains("UPDATE");
    }

    @Test
    void deletingOneOfTwoRecordsRecomputesTheGoldenRecordFromTheOther() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-02T08:00:00Z")), List.of(), 0));
        String golden = customerIdOf("42");
        assertThat(one("SELECT full_name FROM customer WHERE id = ?", golden)).containsEntry("full_name", "Zhang Wei");

        StoreResult result = storeAndMerge(new CheckedBatch(ERP, List.of(deletion(ERP, "E-7", "2024-03-03T08:00:00Z", 9)),
                List.of(), 0));

        assertThat(result).isEqualTo(new StoreResult(0, 1, 0, 0, 0));
        assertThat(one("SELECT status, customer_id, full_name, email, source_updated_at, position FROM customer_source"
                + " WHERE source = ? AND source_key = ?", ERP, "E-7")).as("marked, with its last values").contains(
                entry("status", "DELETED"), entry("customer_id", golden), entry("full_name", "Zhang Wei"),
                entry("email", "zhang.wei@example.cn"), entry("source_updated_at", Instant.parse("2024-03-03T08:00:00Z")),
                entry("position", 9L));
        assertThat(one("SELECT status, full_name, version FROM customer WHERE id = ?", golden)).as("from the CRM alone")
                .contains(entry("status", "ACTIVE"), entry("full_name", "张伟"), entry("version", 3L));
        assertThat(json(one("SELECT lineage FROM customer WHERE id = ?", golden).get("lineage")).get("name"))
                .isEqualTo(Map.of("source", CRM, "sourceKey", "42", "at", firstSeen(CRM, "42"), "rule", "most-recent"));
        List<Map<String, Object>> history = rows("SELECT change_type, source, source_key, position, after_values"
                + " FROM customer_history WHERE id > (SELECT MAX(id) FROM customer_history WHERE change_type = 'MERGE') ORDER BY id");
        assertThat(history).extracting(row -> row.get("change_type")).containsExactly("UPDATE", "DELETE", "UPDATE");
        assertThat(history.get(1)).contains(entry("source", ERP), entry("source_key", "E-7"), entry("position", 9L));
        assertThat(json(history.get(2).get("after_values"))).containsEntry("fullName", "张伟").doesNotContainKey("status");
    }

    @Test
    void deletingTheLastRecordDeletesTheGoldenRecordAndADeliveryNotDeletedRestoresBoth() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-02T08:00:00Z")), List.of(), 0));
        storeAndMerge(new CheckedBatch(ERP, List.of(deletion(ERP, "E-7", "2024-03-03T08:00:00Z", 9)), List.of(), 0));
        String golden = customerIdOf("42");

        storeAndMerge(batch(List.of(deletion(CRM, "42", "2024-03-04T08:00:00Z", 10)), List.of()));

        assertThat(one("SELECT status, full_name, email FROM customer WHERE id = ?", golden)).as("keeps its last values")
                .contains(entry("status", "DELETED"), entry("full_name", "张伟"), entry("email", "zhang.wei@example.cn"));
        assertThat(rows("SELECT status FROM customer_source ORDER BY source")).extracting(row -> row.get("status"))
                .containsExactly("DELETED", "DELETED");
        Map<String, Object> deleted = rows("SELECT * FROM customer_history WHERE change_type = 'UPDATE' ORDER BY id DESC").get(0);
        assertThat(deleted).containsEntry("source_key", "42");
        assertThat(json(deleted.get("before_values"))).containsExactly(entry("status", "ACTIVE"));
        assertThat(json(deleted.get("after_values"))).containsExactly(entry("status", "DELETED"));

        StoreResult result = storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-05T08:00:00Z")), List.of(), 0));

        assertThat(result).isEqualTo(new StoreResult(0, 1, 0, 0, 0));
        assertThat(one("SELECT status, customer_id FROM customer_source WHERE source = ? AND source_key = ?", ERP, "E-7"))
                .containsEntry("status", "ACTIVE").containsEntry("customer_id", golden);
        assertThat(one("SELECT status FROM customer_source WHERE source = ? AND source_key = ?", CRM, "42"))
                .containsEntry("status", "DELETED");
        assertThat(one("SELECT status, full_name FROM customer WHERE id = ?", golden)).as("recomputed from the ERP alone")
                .containsEntry("status", "ACTIVE").containsEntry("full_name", "Zhang Wei");
        assertThat(rows("SELECT change_type FROM customer_history ORDER BY id DESC").subList(0, 2))
                .extracting(row -> row.get("change_type")).containsExactly("UPDATE", "RESTORE");
        Map<String, Object> restored = rows("SELECT * FROM customer_history WHERE change_type = 'UPDATE' ORDER BY id DESC").get(0);
        assertThat(json(restored.get("after_values"))).containsEntry("status", "ACTIVE").containsEntry("fullName", "Zhang Wei");
    }

    @Test
    void aRecordDeliveredAgainAsBeforeItsDeletionComesBackAndCanBeDeletedAgain() throws SQLException {
        CheckedRecord alive = accepted("42", "li.na@example.cn", null, 2);
        CheckedRecord dead = deletionOf(alive);
        assertThat(dead.delivery().messageId()).as("a new delivery for the idempotent consumer")
                .isNotEqualTo(alive.delivery().messageId());
        storeAndMerge(store.dropDuplicates(batch(List.of(alive), List.of())));
        String golden = customerIdOf("42");

        assertThat(storeAndMerge(store.dropDuplicates(batch(List.of(dead), List.of())))).isEqualTo(new StoreResult(0, 1, 0, 0, 0));
        assertThat(one("SELECT status FROM customer WHERE id = ?", golden)).containsEntry("status", "DELETED");
        assertThat(storeAndMerge(store.dropDuplicates(batch(List.of(dead), List.of()))))
                .as("the same deletion again").isEqualTo(new StoreResult(0, 0, 0, 0, 1));

        // no timestamps: the same delivery as before the deletion is the record's latest word
        assertThat(storeAndMerge(store.dropDuplicates(batch(List.of(alive), List.of())))).isEqualTo(new StoreResult(0, 1, 0, 0, 0));
        assertThat(one("SELECT s.status AS source_status, c.status, c.email FROM customer_source s JOIN customer c"
                + " ON c.id = s.customer_id WHERE s.source_key = ?", "42")).contains(entry("source_status", "ACTIVE"),
                entry("status", "ACTIVE"), entry("email", "li.na@example.cn"));

        assertThat(storeAndMerge(store.dropDuplicates(batch(List.of(dead), List.of())))).isEqualTo(new StoreResult(0, 1, 0, 0, 0));
        assertThat(one("SELECT status FROM customer_source WHERE source_key = ?", "42")).containsEntry("status", "DELETED");
    }

    @Test
    void staleDeliveriesAreIgnoredDeletionsIncluded() throws SQLException {
        storeAndMerge(batch(List.of(accepted("42", "li.na@example.cn", "2024-03-02T08:00:00Z", 2)), List.of()));

        assertThat(storeAndMerge(batch(List.of(deletion(CRM, "42", "2024-03-01T08:00:00Z", 3)), List.of())))
                .isEqualTo(new StoreResult(0, 0, 1, 0, 0));
        assertThat(one("SELECT status FROM customer_source WHERE source_key = ?", "42")).containsEntry("status", "ACTIVE");

        storeAndMerge(batch(List.of(deletion(CRM, "42", "2024-03-05T08:00:00Z", 4)), List.of()));
        assertThat(storeAndMerge(batch(List.of(accepted("42", "na.li@example.cn", "2024-03-04T08:00:00Z", 5)), List.of())))
                .as("older than the deletion").isEqualTo(new StoreResult(0, 0, 1, 0, 0));
        assertThat(one("SELECT status, email, source_updated_at FROM customer_source WHERE source_key = ?", "42")).contains(
                entry("status", "DELETED"), entry("email", "li.na@example.cn"),
                entry("source_updated_at", Instant.parse("2024-03-05T08:00:00Z")));
    }

    @Test
    void aDeletedRecordIsNoMatchCandidate() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(batch(List.of(deletion(CRM, "42", "2024-03-02T08:00:00Z", 3)), List.of()));

        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-03T08:00:00Z")), List.of(), 0));

        Map<String, Object> erp = one("SELECT customer_id, match_rule FROM customer_source WHERE source = ?", ERP);
        assertThat(erp.get("customer_id")).as("a golden record of its own").isNotEqualTo(customerIdOf("42"));
        assertThat(erp).containsEntry("match_rule", null);
        assertThat(rows("SELECT status FROM customer ORDER BY id")).extracting(row -> row.get("status"))
                .containsExactly("DELETED", "ACTIVE");
    }

    @Test
    void aDeletionOfAKeyNeverStoredStoresNothing() throws SQLException {
        StoreResult result = storeAndMerge(store.dropDuplicates(batch(List.of(deletion(CRM, "99", null, 2)), List.of())));

        assertThat(result).isEqualTo(new StoreResult(0, 0, 1, 0, 0));
        assertThat(count("customer_source")).isZero();
        assertThat(count("customer")).isZero();
    }

    @Test
    void explainAndUnmergeStillWorkWithADeletedRecord() throws SQLException {
        storeAndMerge(batch(List.of(zhangWei(CRM, "42", "张伟", "伟", "张", "2024-03-01T08:00:00Z")), List.of()));
        storeAndMerge(new CheckedBatch(ERP, List.of(zhangWei(ERP, "E-7", "Zhang Wei", "Wei", "Zhang",
                "2024-03-02T08:00:00Z")), List.of(), 0));
        storeAndMerge(new CheckedBatch(ERP, List.of(deletion(ERP, "E-7", "2024-03-03T08:00:00Z", 9)), List.of(), 0));
        String golden = customerIdOf("42");
        assertThat(store.explain(golden)).contains("DELETE").contains("\"status\" : \"DELETED\"");

        String own = store.unmerge(ERP, "E-7");

        assertThat(one("SELECT status, full_name FROM customer WHERE id = ?", own)).as("its only record is deleted")
                .containsEntry("status", "DELETED").containsEntry("full_name", "Zhang Wei");
        assertThat(one("SELECT status, full_name FROM customer WHERE id = ?", golden))
                .containsEntry("status", "ACTIVE").containsEntry("full_name", "张伟");
    }

    // --- test data: one person of source crm, as cleansing would leave them

    private static CheckedBatch batch(List<CheckedRecord> accepted, List<Rejection> rejected) {
        return new CheckedBatch(CRM, accepted, rejected, 0);
    }

    private static CheckedRecord accepted(String key, String email, String updatedAt, long position) {
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(SOURCE_KEY, key);
        raw.put(FULL_NAME, " 李娜 ");
        raw.put(EMAIL, email.toUpperCase(Locale.ROOT));
        raw.put(PHONE, "138 0013 8000");
        if (updatedAt != null) {
            raw.put(SOURCE_UPDATED_AT, updatedAt);
        }
        SourceRecord delivery = new SourceRecord(CRM, "crm-0301.csv", position, raw, payload(raw), null);
        CustomerRecord customer = new CustomerRecord(CRM, key, updatedAt == null ? null : Instant.parse(updatedAt),
                "李娜", "娜", "李", Gender.F, LocalDate.of(1990, 1, 2), email, "+8613800138000", "138 0013 8000",
                new PostalAddress("CN", "广东省", "深圳市", "南山区", "科技园路1号", "518000"), "华为", "11010119900102123X");
        return new CheckedRecord(delivery, customer);
    }

    private static CheckedRecord zhangWei(String source, String key, String fullName, String given, String family,
                                          String updatedAt) {
        return person(source, key, updatedAt, fullName, given, family, Gender.M, LocalDate.of(1985, 6, 1),
                "zhang.wei@example.cn", "+8613912345678",
                new PostalAddress("CN", "北京市", "北京市", "海淀区", "中关村大街1号", "100080"), null, 2);
    }

    private static CheckedRecord person(String source, String key, String updatedAt, String fullName, String given,
                                        String family, Gender gender, LocalDate birthDate, String email, String phone,
                                        PostalAddress address, String company, long position) {
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(SOURCE_KEY, key);
        raw.put(FULL_NAME, fullName);
        if (email != null) {
            raw.put(EMAIL, email);
        }
        raw.put(CanonicalField.STREET, address.street());
        if (updatedAt != null) {
            raw.put(SOURCE_UPDATED_AT, updatedAt);
        }
        SourceRecord delivery = new SourceRecord(source, source + ".csv", position, raw, payload(raw), null);
        return new CheckedRecord(delivery, new CustomerRecord(source, key, updatedAt == null ? null : Instant.parse(updatedAt),
                fullName, given, family, gender, birthDate, email, phone, phone, address, company, null));
    }

    /** A deletion as a source with only its key and the flag delivers it (cleansing leaves the other values out). */
    private static CheckedRecord deletion(String source, String key, String updatedAt, long position) {
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(SOURCE_KEY, key);
        raw.put(CanonicalField.DELETED, "true");
        if (updatedAt != null) {
            raw.put(SOURCE_UPDATED_AT, updatedAt);
        }
        SourceRecord delivery = new SourceRecord(source, source + ".csv", position, raw, payload(raw), null);
        return new CheckedRecord(delivery, new CustomerRecord(source, key, updatedAt == null ? null : Instant.parse(updatedAt),
                null, null, null, null, null, null, null, null, null, null, null));
    }

    /** {@code record} as its source delivers it once it marked it deleted: the same values, and the flag. */
    private static CheckedRecord deletionOf(CheckedRecord record) {
        Map<CanonicalField, String> raw = new EnumMap<>(record.delivery().values());
        raw.put(CanonicalField.DELETED, "true");
        SourceRecord d = record.delivery();
        return new CheckedRecord(new SourceRecord(d.source(), d.origin(), d.position(), raw, payload(raw), null), record.customer());
    }

    private static CustomerRecord withSource(CustomerRecord r, String source) {
        return new CustomerRecord(source, r.sourceKey(), r.sourceUpdatedAt(), r.fullName(), r.givenName(), r.familyName(),
                r.gender(), r.birthDate(), r.email(), r.phone(), r.phoneRaw(), r.address(), r.company(), r.nationalId());
    }

    private static Rejection rejected(String key, String email, long position) {
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(SOURCE_KEY, key);
        raw.put(FULL_NAME, "赵六");
        raw.put(EMAIL, email);
        SourceRecord record = new SourceRecord(CRM, "crm-0301.csv", position, raw, payload(raw), null);
        return new Rejection(record, "format:email", "'" + email + "' is not an e-mail address.");
    }

    private static String payload(Map<CanonicalField, String> raw) {
        Map<String, String> byKey = new LinkedHashMap<>();
        raw.forEach((field, value) -> byKey.put(field.key(), value));
        try {
            return JSON.writeValueAsString(byKey);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(Object text) {
        try {
            return JSON.readValue((String) text, LinkedHashMap.class);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonArray(Object text) {
        try {
            return JSON.readValue((String) text, List.class);
        } catch (Exception e) {
            throw new AssertionError("not a JSON array: " + text, e);
        }
    }

    // --- plain JDBC, values normalized across databases (timestamps as Instant, dates as LocalDate, integers as Long)

    private String customerIdOf(String sourceKey) throws SQLException {
        return (String) one("SELECT customer_id FROM customer_source WHERE source = ? AND source_key = ?", CRM, sourceKey)
                .get("customer_id");
    }

    /** What the store keeps of a SHA-256 (hex): its first 16 bytes, as UUID text. */
    private static String asUuid(String sha256Hex) {
        return sha256Hex.substring(0, 8) + "-" + sha256Hex.substring(8, 12) + "-" + sha256Hex.substring(12, 16) + "-"
                + sha256Hex.substring(16, 20) + "-" + sha256Hex.substring(20, 32);
    }

    private long count(String table) throws SQLException {
        return (Long) one("SELECT COUNT(*) AS n FROM " + table).get("n");
    }

    /** When the hub first stored a source record, as lineage writes it. */
    private String firstSeen(String source, String key) throws SQLException {
        return one("SELECT first_seen_at FROM customer_source WHERE source = ? AND source_key = ?", source, key)
                .get("first_seen_at").toString();
    }

    private Map<String, Object> one(String sql, Object... parameters) throws SQLException {
        List<Map<String, Object>> rows = rows(sql, parameters);
        assertThat(rows).as(sql).hasSize(1);
        return rows.get(0);
    }

    private List<Map<String, Object>> rows(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= meta.getColumnCount(); column++) {
                        row.put(meta.getColumnLabel(column).toLowerCase(Locale.ROOT), value(rs, meta, column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Object value(ResultSet rs, ResultSetMetaData meta, int column) throws SQLException {
        int type = meta.getColumnType(column);
        Object value;
        if (type == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equals(meta.getColumnTypeName(column))) {
            OffsetDateTime timestamp = rs.getObject(column, OffsetDateTime.class);
            value = timestamp == null ? null : timestamp.toInstant();
        } else if (type == Types.DATE) {
            value = rs.getObject(column, LocalDate.class);
        } else if (type == Types.BIGINT || type == Types.INTEGER) {
            value = rs.getLong(column);
        } else {
            value = rs.getString(column);
        }
        return rs.wasNull() ? null : value;
    }

    /** Stores a batch as the pipeline does: the store, then the merge stage for the golden records it queued. */
    private StoreResult storeAndMerge(CheckedBatch batch) {
        return storeAndMerge(store, batch);
    }

    private static StoreResult storeAndMerge(CustomerStore store, CheckedBatch batch) {
        StoreResult result = store.store(batch);
        store.mergePending(result.toMerge());
        assertThat(store.pendingMerges()).isEmpty();
        return result.counts();
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
