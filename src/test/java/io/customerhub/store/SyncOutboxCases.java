package io.customerhub.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.match.MatchSettings;
import io.customerhub.merge.SurvivorshipSettings;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.SourceRecord;
import io.customerhub.record.WriteOutcome;
import io.customerhub.testing.HubHome;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The outbox, delivery order and echo suppression, run against each real database by a subclass. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SyncOutboxCases {

    static final Set<CanonicalField> CRM_FIELDS = EnumSet.of(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME,
            CanonicalField.EMAIL, CanonicalField.PHONE, CanonicalField.CITY);

    StoreTestDatabases.TestDatabase database;
    private CustomerStore store;
    private SyncOutbox outbox;

    abstract StoreTestDatabases.TestDatabase openDatabase();

    @BeforeAll
    void openStore() {
        database = openDatabase();
        store = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        outbox = store.syncOutbox();
    }

    @AfterAll
    void closeStore() {
        if (database != null) {
            database.close();
        }
    }

    private void emptyTablesQuietly() {
        try {
            emptyTables();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void emptyTables() throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String table : List.of("sync_conflict", "sync_outbox", "sync_change", "sync_state", "golden_pending", "match_review",
                    "customer_history", "customer_source", "customer")) {
                statement.executeUpdate("DELETE FROM " + table);
            }
            // a target claimed by a hub of an earlier test, which never recorded what it read
            statement.executeUpdate("UPDATE sync_cursor SET claimed_by = NULL, claimed_until = NULL");
        }
    }

    @Test
    void aNewCustomerGoesToEveryTargetInTheTransactionThatCreatedIt() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));

        // one change in the log, for every target; the ERP, where it came from, holds these values already
        assertThat(rows("SELECT customer_status, only_to, held_by FROM sync_change"))
                .extracting(row -> row.get("customer_status") + "/" + row.get("only_to") + "/" + row.get("held_by"))
                .containsExactly("ACTIVE/null/erp");
        assertThat(rows("SELECT * FROM sync_outbox")).as("no row per target").isEmpty();
        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(toCrm).singleElement().satisfies(change -> {
            assertThat(change.created()).as("the CRM has no record of her yet").isTrue();
            assertThat(change.targetKey()).isEqualTo(change.customerId());
            assertThat(change.value(CanonicalField.FULL_NAME)).isEqualTo("孙丽");
            assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("sun.li@example.com");
        });
        assertThat(outbox.due("erp", CRM_FIELDS, 10, true)).isEmpty();
    }

    @Test
    void aCustomerNewToATargetWaitsTheCreateDelaySoThatItsOwnRecordCanBeReadFirst() {
        CustomerStore patient = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ofHours(1)));
        store(patient, person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        assertThat(patient.syncOutbox().due("crm", CRM_FIELDS, 10, true)).isEmpty();

        // the CRM's own record of her arrives meanwhile: she is not created there a second time
        store(patient, person("crm", "C-1", "孙丽", "sun.li@example.com", "南京", "2026-11-26T08:30:00Z"));
        assertThat(patient.syncOutbox().due("crm", CRM_FIELDS, 10, true)).as("the CRM holds her newest state").isEmpty();
        assertThat(rows("SELECT status FROM sync_outbox WHERE target = 'crm' ORDER BY id"))
                .as("the row that waited took the newer change, which echo suppression skipped and deleted").isEmpty();
        assertThat(rows("SELECT * FROM sync_state")).isEmpty();
    }

    @Test
    void theChangesEveryTargetHasReadAndNoOutboxRowNamesArePurgedOnceTheyAreAnHourOld() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        store(person("erp", "E-2", "吴磊", "wu.lei@example.com", "深圳市", "2026-11-26T08:00:00Z"));
        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(toCrm).hasSize(2);
        OutboundChange failing = toCrm.get(1);
        outbox.delivered("crm", CRM_FIELDS, toCrm, List.of(WriteOutcome.WRITTEN, WriteOutcome.failed("the CRM refused the line")));
        // she moves twice before the CRM reads again: it reads her newest change, and passes over the one before
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "苏州市", "2026-11-26T09:00:00Z"));
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "无锡市", "2026-11-26T10:00:00Z"));
        assertThat(rows("SELECT * FROM sync_change")).hasSize(4);
        assertThat(outbox.due("erp", CRM_FIELDS, 10, true)).as("the ERP holds them all").isEmpty();

        assertThat(outbox.purgeChanges()).as("none is an hour old").isZero();
        SyncOutbox later = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO),
                Clock.offset(Clock.systemUTC(), SyncOutbox.CHANGE_KEPT.plusMinutes(1))).syncOutbox();
        assertThat(later.purgeChanges()).as("the delivered change; the CRM has not read the moves yet").isEqualTo(1);
        assertThat(rows("SELECT c.customer_id, c.payload FROM sync_change c ORDER BY c.seq"))
                .as("the failed change, which an outbox row names, and the two moves").hasSize(3)
                .anySatisfy(row -> assertThat(row.get("customer_id")).isEqualTo(failing.customerId()))
                .anySatisfy(row -> assertThat(row.get("payload").toString()).contains("苏州市"));

        List<OutboundChange> retried = later.due("crm", CRM_FIELDS, 10, true);
        assertThat(retried).extracting(c -> c.value(CanonicalField.CITY)).containsExactlyInAnyOrder("无锡市", "深圳市");
        later.delivered("crm", CRM_FIELDS, retried, Collections.nCopies(retried.size(), WriteOutcome.WRITTEN));
        assertThat(later.purgeChanges()).as("the retried change, the move passed over and the one delivered").isEqualTo(3);
        assertThat(rows("SELECT * FROM sync_change")).isEmpty();
    }

    @Test
    void aWrittenChangeIsNotSentAgainAndItsEchoChangesNothing() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);
        outbox.delivered("crm", CRM_FIELDS, toCrm, Collections.nCopies(toCrm.size(), WriteOutcome.WRITTEN));
        assertThat(rows("SELECT status FROM sync_outbox WHERE target = 'crm'")).as("delivered, so deleted").isEmpty();
        assertThat(rows("SELECT target_key FROM sync_state WHERE target = 'crm'").get(0))
                .containsEntry("target_key", toCrm.get(0).customerId());

        // the CRM exports the record the hub created there, under the golden id as its key
        store(person("crm", toCrm.get(0).customerId(), "孙丽", "sun.li@example.com", "南京市", "2026-11-26T09:00:00Z"));

        assertThat(rows("SELECT COUNT(*) AS n FROM customer").get(0)).containsEntry("n", 1L);
        assertThat(rows("SELECT match_rule FROM customer_source WHERE source = 'crm'").get(0))
                .as("linked by what the hub wrote, not by matching").containsEntry("match_rule", "sync:written-by-hub");
        assertThat(rows("SELECT COUNT(*) AS n FROM sync_outbox").get(0))
                .as("the echo changed no golden value, so nothing new is queued").containsEntry("n", 0L);
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).isEmpty();
    }

    @Test
    void aTargetIsSentACustomersNewestChangeAndAChangeMadeWhileItsWriterWorksComesNext() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "苏州市", "2026-11-26T09:00:00Z"));
        assertThat(rows("SELECT * FROM sync_change")).hasSize(2);
        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(toCrm).as("her newest state only").extracting(c -> c.value(CanonicalField.CITY)).containsExactly("苏州市");

        // she moves again while the CRM's writer has the change: what was written is recorded, and the move comes next
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "无锡市", "2026-11-26T10:00:00Z"));
        outbox.delivered("crm", CRM_FIELDS, toCrm, Collections.nCopies(toCrm.size(), WriteOutcome.WRITTEN));
        assertThat(rows("SELECT w.written_values FROM sync_state w WHERE w.target = 'crm'").get(0).get("written_values"))
                .asString().contains("苏州市").doesNotContain("无锡市");
        List<OutboundChange> next = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(next).extracting(c -> c.value(CanonicalField.CITY)).containsExactly("无锡市");
        assertThat(next.get(0).idempotencyKey()).isNotEqualTo(toCrm.get(0).idempotencyKey());
        outbox.delivered("crm", CRM_FIELDS, next, Collections.nCopies(next.size(), WriteOutcome.WRITTEN));
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).isEmpty();
    }

    @Test
    void aCustomersNewestChangeReplacesTheUndeliveredOlderOnesSoNoOlderStateFollowsANewerOne() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        store(person("erp", "E-2", "吴磊", "wu.lei@example.com", "深圳市", "2026-11-26T08:00:00Z"));
        List<OutboundChange> first = outbox.due("crm", CRM_FIELDS, 10, true);
        outbox.unreachable("crm", first, "HTTP 503");

        // while the target is down she moves: the newer state replaces the one that failed
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "苏州市", "2026-11-26T09:00:00Z"));
        List<OutboundChange> retry = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(retry).extracting(c -> c.value(CanonicalField.FULL_NAME) + "@" + c.value(CanonicalField.CITY))
                .containsExactly("吴磊@深圳市", "孙丽@苏州市");
        assertThat(rows("SELECT o.customer_id FROM sync_outbox o WHERE o.target = 'crm' AND o.status = 'FAILED'"))
                .as("her row that failed gave way to her newer change").extracting(row -> row.get("customer_id"))
                .containsExactly(retry.get(0).customerId());
        outbox.delivered("crm", CRM_FIELDS, retry, Collections.nCopies(retry.size(), WriteOutcome.WRITTEN));
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).isEmpty();
    }

    @Test
    void concurrentConflictingEditsEndAsTheOwnerDeclaresWithAConflictRowAndTheOtherSystemIsCorrected() {
        CustomerStore owned = new CustomerStore(database.dataSource(), MatchSettings.defaults(),
                SurvivorshipSettings.from(Map.of("owner.email", "erp", "conflict.email", "owner-wins")),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        store(owned, person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        store(owned, person("crm", "C-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:30:00Z"));
        String golden = rows("SELECT customer_id FROM customer_source WHERE source = 'crm'").get(0).get("customer_id").toString();
        drain("crm");
        drain("erp");

        // both systems change her e-mail at about the same time; the CRM's edit is the later one
        StoreResult erp = owned.store(batchOf(person("erp", "E-1", "孙丽", "li.sun@erp.example.com", "南京市", "2026-11-27T09:00:00Z")));
        StoreResult crm = owned.store(batchOf(person("crm", "C-1", "孙丽", "sunli@crm.example.com", "南京市", "2026-11-27T09:00:05Z")));
        owned.mergePending(erp.toMerge());
        owned.mergePending(crm.toMerge());

        assertThat(rows("SELECT email FROM customer WHERE id = '" + golden + "'").get(0))
                .containsEntry("email", "li.sun@erp.example.com");
        assertThat(rows("SELECT field_group, owner_source, owner_value, other_source, other_value, rule, outcome FROM sync_conflict"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("field_group", "email")
                        .containsEntry("owner_source", "erp").containsEntry("owner_value", "[\"li.sun@erp.example.com\"]")
                        .containsEntry("other_source", "crm").containsEntry("other_value", "[\"sunli@crm.example.com\"]")
                        .containsEntry("rule", "owner-wins").containsEntry("outcome", "OWNER_KEPT"));
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).as("the CRM gets the owner's e-mail back")
                .singleElement().satisfies(change -> assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("li.sun@erp.example.com"));
        assertThat(outbox.due("erp", CRM_FIELDS, 10, true)).as("the ERP holds it already").isEmpty();
    }

    @Test
    void concurrentEditsWithoutAnOwnerLeaveAConflictRowAndEveryoneConvergesOnTheLaterArrival() {
        String golden = oneCustomerInBothSystems();

        // the ERP edits her e-mail; the CRM edits it too before the hub could write the ERP's to it,
        // with a source clock hours behind: the hub's arrival order decides, not the systems' clocks
        store(person("erp", "E-1", "孙丽", "li.sun@erp.example.com", "南京市", "2026-11-27T09:00:00Z"));
        assertThat(rows("SELECT COUNT(*) AS n FROM sync_conflict").get(0)).as("an informed edit").containsEntry("n", 0L);
        store(person("crm", "C-1", "孙丽", "sunli@crm.example.com", "南京市", "2026-11-27T01:00:00Z"));

        assertThat(rows("SELECT email FROM customer WHERE id = '" + golden + "'").get(0))
                .containsEntry("email", "sunli@crm.example.com");
        assertThat(rows("SELECT field_group, owner_source, owner_value, other_source, other_value, rule, outcome FROM sync_conflict"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("field_group", "email")
                        .containsEntry("owner_source", "erp").containsEntry("owner_value", "[\"li.sun@erp.example.com\"]")
                        .containsEntry("other_source", "crm").containsEntry("other_value", "[\"sunli@crm.example.com\"]")
                        .containsEntry("rule", "most-recent").containsEntry("outcome", "TAKEN"));
        assertThat(store.explain(golden)).as("a steward sees it").contains("\"conflicts\"").contains("sunli@crm.example.com");
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).as("the CRM holds the golden value").isEmpty();
        List<OutboundChange> toErp = outbox.due("erp", CRM_FIELDS, 10, true);
        assertThat(toErp).singleElement().satisfies(change -> assertThat(change.value(CanonicalField.EMAIL))
                .isEqualTo("sunli@crm.example.com"));
        outbox.delivered("erp", CRM_FIELDS, toErp, Collections.nCopies(toErp.size(), WriteOutcome.WRITTEN));

        // the ERP's next poll reads the hub's write back: an echo, which changes and sends nothing
        store(person("erp", "E-1", "孙丽", "sunli@crm.example.com", "南京市", "2026-11-27T09:00:02Z"));
        assertThat(rows("SELECT email FROM customer WHERE id = '" + golden + "'").get(0))
                .containsEntry("email", "sunli@crm.example.com");
        assertThat(outbox.due("erp", CRM_FIELDS, 10, true)).isEmpty();
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).isEmpty();
        assertThat(rows("SELECT COUNT(*) AS n FROM sync_conflict").get(0)).containsEntry("n", 1L);
    }

    @Test
    void aChangeIsBasedOnTheTargetRecordsOwnTimeAsTheHubLastReadIt() {
        oneCustomerInBothSystems();
        store(person("erp", "E-1", "孙丽", "b@erp.example.com", "南京市", "2026-11-27T09:00:00Z"));

        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(toCrm).singleElement().satisfies(change -> assertThat(change.basedOn())
                .as("the CRM record's time as last read").isEqualTo(Instant.parse("2026-11-26T08:30:00Z")));
        outbox.delivered("crm", CRM_FIELDS, toCrm, List.of(WriteOutcome.WRITTEN));

        store(person("erp", "E-1", "孙丽", "c@erp.example.com", "南京市", "2026-11-27T09:05:00Z"));
        List<OutboundChange> next = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(next).singleElement().satisfies(change -> assertThat(change.basedOn())
                .as("the CRM's own time, never the hub's: its echo not read yet").isEqualTo(Instant.parse("2026-11-26T08:30:00Z")));
        outbox.release("crm", next);
        store(person("crm", "C-1", "孙丽", "b@erp.example.com", "南京市", "2026-11-27T10:00:00Z"));
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).singleElement().satisfies(change -> assertThat(change.basedOn())
                .as("its echo read").isEqualTo(Instant.parse("2026-11-27T10:00:00Z")));
    }

    @Test
    void anEchoOfAnOlderGoldenValueReadAfterANewerEditDoesNotTurnTheGoldenRecordBack() {
        String golden = oneCustomerInBothSystems();
        store(person("erp", "E-1", "孙丽", "b@erp.example.com", "南京市", "2026-11-27T09:00:00Z"));
        drain("crm");
        store(person("erp", "E-1", "孙丽", "c@erp.example.com", "南京市", "2026-11-27T09:05:00Z"));

        // the CRM's poll only now reads back the first value the hub wrote there, stamped later than both edits
        store(person("crm", "C-1", "孙丽", "b@erp.example.com", "南京市", "2026-11-27T10:00:00Z"));

        assertThat(rows("SELECT email FROM customer WHERE id = '" + golden + "'").get(0))
                .containsEntry("email", "c@erp.example.com");
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).singleElement().satisfies(change ->
                assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("c@erp.example.com"));
        assertThat(rows("SELECT COUNT(*) AS n FROM sync_conflict").get(0)).containsEntry("n", 0L);
    }

    @Test
    void theKeyATargetAssignedToACustomerItCreatedJoinsTheGoldenRecordWhenReadBack() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);
        assertThat(toCrm).singleElement().satisfies(change -> assertThat(change.created()).isTrue());
        outbox.delivered("crm", CRM_FIELDS, toCrm, List.of(WriteOutcome.created("C-77")));
        assertThat(rows("SELECT target_key, customer_id FROM sync_state WHERE target = 'crm'")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("target_key", "C-77").containsEntry("customer_id", toCrm.get(0).customerId()));

        // the CRM's record under its own key, read back: the same customer, found by what the hub wrote
        store(person("crm", "C-77", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T09:00:00Z"));

        assertThat(rows("SELECT customer_id, match_rule FROM customer_source WHERE source = 'crm'")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("customer_id", toCrm.get(0).customerId())
                        .containsEntry("match_rule", "sync:written-by-hub"));
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).isEmpty();
    }

    @Test
    void aTargetThatTakesNoNewCustomersGetsOnlyTheChangesOfItsOwn() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));

        assertThat(outbox.due("crm", CRM_FIELDS, 10, false)).isEmpty();
        assertThat(rows("SELECT status, last_error FROM sync_outbox WHERE target = 'crm'")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("status", "SKIPPED")
                        .containsEntry("last_error", "not created: the target takes no new customers (create: never)"));
    }

    @Test
    void aChangeTheTargetRefusesForGoodIsDeadAtOnce() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        List<OutboundChange> toCrm = outbox.due("crm", CRM_FIELDS, 10, true);

        outbox.delivered("crm", CRM_FIELDS, toCrm, List.of(WriteOutcome.refused("key column id (varchar(20)) cannot hold a golden id")));

        assertThat(rows("SELECT status, attempts, last_error FROM sync_outbox WHERE target = 'crm'")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("status", "DEAD").containsEntry("attempts", 1)
                        .containsEntry("last_error", "key column id (varchar(20)) cannot hold a golden id"));
    }

    @Test
    void aChangeThatKeepsFailingGoesDeadUntilRetried() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        for (int attempt = 0; attempt < 3; attempt++) {
            outbox.unreachable("crm", outbox.due("crm", CRM_FIELDS, 10, true), "Connection refused");
        }
        assertThat(rows("SELECT status, attempts, last_error FROM sync_outbox WHERE target = 'crm'").get(0))
                .containsEntry("status", "DEAD").containsEntry("attempts", 3).containsEntry("last_error", "Connection refused");
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).isEmpty();
        assertThat(outbox.backlog("crm").dead()).isEqualTo(1);

        assertThat(outbox.retryDead("crm")).isEqualTo(1);
        assertThat(outbox.due("crm", CRM_FIELDS, 10, true)).hasSize(1);
    }

    @Test
    void theRecordsATargetHoldsOfAMergedGoldenRecordBecomeTheSurvivorsAndTakeItsValues() {
        // the merged-away record's values win (the newer read): the survivor changes
        assertAMergeReachesATargetHoldingNeithersRecord(SurvivorshipSettings.defaults(), "王芳");
        // the survivor's values win (the ERP first): it does not change, yet the target's copy of the other is stale
        assertAMergeReachesATargetHoldingNeithersRecord(SurvivorshipSettings.from(Map.of("source-priority", "erp,crm",
                "survivorship.default", "source-priority")), "孙丽");
    }

    /**
     * Two customers, each delivered to a shop that holds none of their own records, that a steward then finds one: each
     * record the hub created in the shop becomes the survivor's, and the one holding the losing values is updated.
     */
    private void assertAMergeReachesATargetHoldingNeithersRecord(SurvivorshipSettings survivorship, String goldenName) {
        emptyTablesQuietly();
        CustomerStore hub = new CustomerStore(database.dataSource(), MatchSettings.defaults(), survivorship,
                () -> Set.of("crm", "erp", "shop"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        SyncOutbox sync = hub.syncOutbox();
        store(hub, person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        store(hub, person("crm", "C-9", "王芳", "wang.fang@example.org", "上海市", "2026-11-26T09:00:00Z"));
        List<OutboundChange> created = sync.due("shop", CRM_FIELDS, 10, true);
        assertThat(created).hasSize(2).allSatisfy(change -> assertThat(change.created()).isTrue());
        sync.delivered("shop", CRM_FIELDS, created, Collections.nCopies(created.size(), WriteOutcome.WRITTEN));
        String older = goldenOf("erp", "E-1");
        String newer = goldenOf("crm", "C-9");
        String stale = goldenName.equals("孙丽") ? newer : older;

        String survivor = hub.mergeGoldens(older, newer);

        assertThat(survivor).isEqualTo(older);
        assertThat(rows("SELECT full_name FROM customer WHERE id = '" + survivor + "'").get(0)).containsEntry("full_name", goldenName);
        assertThat(rows("SELECT COUNT(*) AS n FROM sync_outbox WHERE customer_id = '" + newer + "' AND status = 'PENDING'")
                .get(0)).as("nothing goes out under the merged-away id").containsEntry("n", 0L);
        List<OutboundChange> toShop = sync.due("shop", CRM_FIELDS, 10, true);
        assertThat(toShop).singleElement().as("the shop's record holding the other values, updated, not created again")
                .satisfies(change -> {
                    assertThat(change.targetKey()).isEqualTo(stale);
                    assertThat(change.created()).isFalse();
                    assertThat(change.customerId()).isEqualTo(survivor);
                    assertThat(change.value(CanonicalField.FULL_NAME)).isEqualTo(goldenName);
                });
        sync.delivered("shop", CRM_FIELDS, toShop, List.of(WriteOutcome.WRITTEN));
        assertThat(rows("SELECT DISTINCT customer_id, written_hash FROM sync_state WHERE target = 'shop'"))
                .as("both shop records are the survivor's and hold its values").hasSize(1)
                .allSatisfy(row -> assertThat(row).containsEntry("customer_id", survivor));
        assertThat(sync.due("shop", CRM_FIELDS, 10, true)).isEmpty();
        List<String> keys = new ArrayList<>();
        try {
            new ObjectMapper().readTree(hub.explain(survivor)).get("targetRecords")
                    .forEach(record -> keys.add(record.get("target").asText() + "/" + record.get("target_key").asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        assertThat(keys).as("explain lists the shop's records of the survivor").containsExactlyInAnyOrder("shop/" + older,
                "shop/" + newer);
    }

    @Test
    void aMergeMovesTheSyncRowsOfTheMergedGoldenRecordAlongAnIndexNotAScanOfEveryTarget() throws SQLException {
        assertThat(plan(SyncOutbox.MOVE_STATE, "G-survivor", "G-merged")).as(SyncOutbox.MOVE_STATE)
                .satisfies(plan -> assertSeek(plan, "ix_sync_state_customer"));
        assertThat(plan(SyncOutbox.DELETE_MERGED, "G-merged"))
                .as(SyncOutbox.DELETE_MERGED).satisfies(plan -> assertSeek(plan, "ix_sync_outbox_customer"));
    }

    @Test
    void theUndeliveredRowsOfAChangesCustomersAreLookedUpAlongAnIndexNotAScanOfTheOutbox() throws SQLException {
        String plan = plan(SyncOutbox.UNDELIVERED + "?, ?)", "G-1", "G-2").toLowerCase(Locale.ROOT);
        assertThat(plan).as(SyncOutbox.UNDELIVERED).contains("ix_sync_outbox_customer")
                .containsAnyOf("ix_sync_outbox_customer: customer_id in(", "index cond: ((customer_id)::text = any");
    }

    @Test
    void aTargetReadsTheLogAlongItsSequenceAndLooksForACustomersNewerChangesAlongTheIndexOnCustomer() throws SQLException {
        assertThat(plan(SyncOutbox.LOG_PAGE, 0L, 100).toLowerCase(Locale.ROOT)).as(SyncOutbox.LOG_PAGE)
                .contains("ix_sync_change_seq");
        assertThat(plan(SyncOutbox.NEWER + "?, ?)", "G-1", "G-2").toLowerCase(Locale.ROOT)).as(SyncOutbox.NEWER)
                .contains("ix_sync_change_customer");
    }

    @Test
    void whatATargetHoldsOfTheCustomersItIsSentIsLookedUpByCustomerAndTargetInOneIndex() throws SQLException {
        // a customer the target does not hold then costs an index look-up, not a read of its records in other sources
        assertThat(pairsPlan(SyncOutbox.READ_HELD)).as(SyncOutbox.READ_HELD)
                .satisfies(plan -> assertPairSeek(plan, "ix_customer_source_customer", "source"));
        assertThat(pairsPlan(SyncOutbox.WRITTEN_HELD)).as(SyncOutbox.WRITTEN_HELD)
                .satisfies(plan -> assertPairSeek(plan, "ix_sync_state_customer", "target"));
    }

    /** The plan of {@code prefix} with a list of pairs of target "crm" and two customers, written as the store writes it. */
    private String pairsPlan(String prefix) throws SQLException {
        boolean postgres;
        try (Connection connection = database.dataSource().getConnection()) {
            postgres = connection.getMetaData().getURL().startsWith("jdbc:postgresql:");
        }
        return (postgres ? plan(prefix + "SELECT ?, unnest(?))", "crm", new String[] {"G-1", "G-2"})
                : plan(prefix + "(?, ?), (?, ?))", "crm", "G-1", "crm", "G-2")).toLowerCase(Locale.ROOT);
    }

    /** A seek on both columns of {@code index} for each pair (H2: a list of rows; PostgreSQL: both in the index condition). */
    private static void assertPairSeek(String plan, String index, String other) {
        assertThat(plan).containsAnyOf(index + ":  in(row", "index scan using " + index);
        if (plan.contains("index cond")) {
            assertThat(plan).contains("(customer_id)::text = ").contains("(" + other + ")::text = ");
        }
    }

    @Test
    void aTargetsDueRowsAreReadAlongItsIndexEvenWhenTheStatisticsThinkMostRowsAreDue() throws SQLException {
        // a load writes the outbox faster than the targets take it: the statistics are taken while most rows wait,
        // then the rows are delivered in id order, and the due ones all come after the delivered ones
        int customers = 20_000;
        try (Connection connection = database.dataSource().getConnection(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sync_outbox (target, customer_id, change_id, status, attempts, next_attempt_at, created_at)"
                        + " VALUES (?, ?, ?, 'PENDING', 0, ?, ?)"); Statement statement = connection.createStatement()) {
            for (int i = 0; i < customers; i++) {
                for (String target : List.of("crm", "erp", "shop")) {
                    insert.setString(1, target);
                    insert.setString(2, String.format(Locale.ROOT, "G-%05d", i));
                    insert.setString(3, "C-" + i);
                    insert.setObject(4, SqlValues.timestamp(Instant.EPOCH));
                    insert.setObject(5, SqlValues.timestamp(Instant.EPOCH));
                    insert.addBatch();
                }
            }
            insert.executeBatch();
            statement.execute(connection.getMetaData().getURL().startsWith("jdbc:postgresql:") ? "ANALYZE sync_outbox"
                    : "ANALYZE TABLE sync_outbox");
            // rows that stay in the outbox, ahead of the pending ones in id order
            statement.executeUpdate("UPDATE sync_outbox SET status = 'DEAD' WHERE customer_id < 'G-19900'");
        }

        String plan = plan(SyncOutbox.DUE_ROWS + " FETCH FIRST 100 ROWS ONLY", "crm", "PENDING", "PENDING",
                SqlValues.timestamp(Instant.now())).toLowerCase(Locale.ROOT);
        assertThat(plan).as("the rows of the target are read from the index (target, status, id), not filtered from the"
                + " primary key").containsAnyOf("using ix_sync_outbox_due on sync_outbox o", "\"o\"\n    /* public.ix_sync_outbox_due");
    }

    /** The plan of {@code sql}: a seek on {@code customer_id} along {@code index} (PostgreSQL told to avoid a table scan, as it would on empty tables). */
    private void assertSeek(String plan, String index) {
        String lower = plan.toLowerCase(Locale.ROOT);
        assertThat(lower).contains(index);
        assertThat(lower).containsAnyOf(index + ": customer_id = ?", "index cond: ((customer_id)::text =");
    }

    private String plan(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            boolean postgres = connection.getMetaData().getURL().startsWith("jdbc:postgresql:");
            if (postgres) {
                statement.execute("SET enable_seqscan = off");
            }
            try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    explain.setObject(i + 1, parameters[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                if (postgres) {
                    statement.execute("RESET enable_seqscan");
                }
            }
        }
    }

    @Test
    void aChangeFromTheOneSystemHoldingARecordLeavesNoUndeliveredRowOfThatSystemWithoutASuccessor() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        assertThat(store.reexport("erp")).isEqualTo(1);

        // the ERP's own record changes before the re-export is delivered: it holds the new values, and the change
        // passes over the re-export there
        store(person("erp", "E-1", "孙丽", "li.sun@example.com", "南京市", "2026-11-26T09:00:00Z"));

        assertThat(rows("SELECT only_to, held_by, forced FROM sync_change ORDER BY seq"))
                .extracting(row -> row.get("only_to") + "/" + row.get("held_by") + "/" + row.get("forced"))
                .containsExactly("null/erp/false", ",erp,/null/true", "null/erp/false");
        assertThat(outbox.due("erp", CRM_FIELDS, 10, true)).as("the ERP holds the newest values").isEmpty();
        assertThat(rows("SELECT status FROM sync_outbox WHERE target = 'erp'")).isEmpty();
    }

    @Test
    void aWriteInFlightWhenItsGoldenRecordIsMergedAwayIsRememberedAsTheSurvivors() {
        CustomerStore hub = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp", "shop"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        SyncOutbox sync = hub.syncOutbox();
        store(hub, person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T10:00:00Z"));
        store(hub, person("crm", "C-9", "王芳", "wang.fang@example.org", "上海市", "2026-11-26T09:00:00Z"));
        List<OutboundChange> inFlight = sync.due("shop", CRM_FIELDS, 10, true);

        String survivor = hub.mergeGoldens(goldenOf("erp", "E-1"), goldenOf("crm", "C-9"));
        sync.delivered("shop", CRM_FIELDS, inFlight, Collections.nCopies(inFlight.size(), WriteOutcome.WRITTEN));

        assertThat(rows("SELECT DISTINCT customer_id FROM sync_state WHERE target = 'shop'")).extracting(row -> row.get("customer_id"))
                .containsExactly(survivor);
        assertThat(sync.due("shop", CRM_FIELDS, 10, true)).extracting(OutboundChange::created).as("updated, not created again")
                .containsOnly(false);
    }

    private String goldenOf(String source, String key) {
        return rows("SELECT customer_id FROM customer_source WHERE source = '" + source + "' AND source_key = '" + key + "'")
                .get(0).get("customer_id").toString();
    }

    private List<Map<String, Object>> rows(String sql) {
        try (Connection connection = database.dataSource().getConnection()) {
            return HubHome.rows(connection, sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void store(CheckedRecord record) {
        store(store, record);
    }

    static void store(CustomerStore store, CheckedRecord record) {
        StoreResult result = store.store(batchOf(record));
        store.mergePending(result.toMerge());
    }

    private static CheckedBatch batchOf(CheckedRecord record) {
        return new CheckedBatch(record.delivery().source(), List.of(record), List.of(), 0);
    }

    /** Sun Li, in the ERP and the CRM with the same values, delivered everywhere: her golden id. */
    private String oneCustomerInBothSystems() {
        store(person("erp", "E-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:00:00Z"));
        store(person("crm", "C-1", "孙丽", "sun.li@example.com", "南京市", "2026-11-26T08:30:00Z"));
        drain("crm");
        drain("erp");
        return rows("SELECT customer_id FROM customer_source WHERE source = 'crm'").get(0).get("customer_id").toString();
    }

    /** Marks everything due for {@code target} delivered. */
    private void drain(String target) {
        List<OutboundChange> due;
        while (!(due = outbox.due(target, CRM_FIELDS, 100, true)).isEmpty()) {
            outbox.delivered(target, CRM_FIELDS, due, Collections.nCopies(due.size(), WriteOutcome.WRITTEN));
        }
    }

    static CheckedRecord person(String source, String key, String name, String email, String city, String updatedAt) {
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(CanonicalField.SOURCE_KEY, key);
        raw.put(CanonicalField.FULL_NAME, name);
        raw.put(CanonicalField.EMAIL, email);
        raw.put(CanonicalField.CITY, city);
        raw.put(CanonicalField.SOURCE_UPDATED_AT, updatedAt);
        SourceRecord delivery = new SourceRecord(source, source + ".csv", 2, raw, "{}", null);
        return new CheckedRecord(delivery, new CustomerRecord(source, key, Instant.parse(updatedAt), name, null, null, Gender.U,
                (LocalDate) null, email, null, null, new PostalAddress("CN", null, city, null, null, null), null, null));
    }
}
