package io.customerhub.store;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The sync decisions of the store in the sequences that kept {@code ConvergenceIT} from converging
 * (issue 11), one at a time and deterministic: records as the cleanser makes them (a full name split
 * into given and family name, a province derived from the city, the country a mapping constant), and
 * targets that hold only some of a group's fields (the ERP and the CRM hold the full name and the city),
 * whose echoes may come back late (a file-drop CRM imports the hub's files and exports what changed,
 * one cycle after another).
 */
class SyncConvergenceTest {

    /** What the ERP and the CRM hold: the key, the full name, e-mail, phone and city (not given and family name, province, country). */
    private static final Set<CanonicalField> FIELDS = EnumSet.of(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME,
            CanonicalField.EMAIL, CanonicalField.PHONE, CanonicalField.CITY);

    @TempDir
    Path directory;

    private StoreTestDatabases.TestDatabase database;
    private CustomerStore store;
    private SyncOutbox outbox;
    private String golden;
    private int minute;

    @BeforeEach
    void twoSystemsHoldingOneCustomer() {
        database = StoreTestDatabases.h2(directory);
        store = new CustomerStore(database.dataSource(), MatchSettings.defaults(), SurvivorshipSettings.defaults(),
                () -> Set.of("crm", "erp"), new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        outbox = store.syncOutbox();
        store(person("erp", "E-1", "Wang Fang", "fang@example.com", "南京市"));
        store(person("crm", "C-1", "Wang Fang", "fang@example.com", "南京市"));
        golden = value("customer_id", "SELECT customer_id FROM customer_source WHERE source = 'crm'");
        deliverAll("crm");
        deliverAll("erp");
    }

    @AfterEach
    void close() {
        database.close();
    }

    /**
     * A name the hub wrote to the CRM, which holds only the full name, read back late, after a newer
     * edit in the ERP: an echo like any other, dated when the hub decided it, so the newer edit stays.
     */
    @Test
    void anEchoOfANameIsAnEchoThoughTheTargetHoldsOnlyTheFullName() {
        store(person("erp", "E-1", "Li Na", "fang@example.com", "南京市"));
        deliverAll("crm");
        store(person("erp", "E-1", "Zhao Lei", "fang@example.com", "南京市"));

        store(person("crm", "C-1", "Li Na", "fang@example.com", "南京市"));

        assertThat(edits("crm", "C-1")).as("the CRM's copy: its name is the hub's write come back, an echo (no base)")
                .contains("\"name\":{\"at\":").doesNotContainPattern("\"name\":\\{\"at\":\"[^\"]+\",\"base\"");
        assertThat(value("full_name", "SELECT full_name FROM customer WHERE id = ?", golden)).isEqualTo("Zhao Lei");
    }

    /** The same for a city the hub wrote to the CRM, which holds neither country nor province. */
    @Test
    void anEchoOfACityIsAnEchoThoughTheTargetHoldsNeitherCountryNorProvince() {
        store(person("erp", "E-1", "Wang Fang", "fang@example.com", "杭州市"));
        deliverAll("crm");
        store(person("erp", "E-1", "Wang Fang", "fang@example.com", "成都市"));

        store(person("crm", "C-1", "Wang Fang", "fang@example.com", "杭州市"));

        assertThat(edits("crm", "C-1")).as("the CRM's copy: its address is the hub's write come back, an echo (no base)")
                .contains("\"address\":{\"at\":").doesNotContainPattern("\"address\":\\{\"at\":\"[^\"]+\",\"base\"");
        assertThat(value("city", "SELECT city FROM customer WHERE id = ?", golden)).isEqualTo("成都市");
    }

    /**
     * Two writes to the CRM, the second before the CRM's export of the first came back: the first one's
     * echo is still the hub's own write, not an edit that turns the golden record back to the older value.
     */
    @Test
    void theEchoOfAnEarlierWriteReadAfterALaterWriteIsNoEdit() {
        store(person("erp", "E-1", "Wang Fang", "b@example.com", "南京市"));
        deliverAll("crm");
        store(person("erp", "E-1", "Wang Fang", "c@example.com", "南京市"));
        deliverAll("crm");

        store(person("crm", "C-1", "Wang Fang", "b@example.com", "南京市"));
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("c@example.com");

        store(person("crm", "C-1", "Wang Fang", "c@example.com", "南京市"));
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("c@example.com");
        assertThat(outbox.due("crm", FIELDS, 10, true)).as("the CRM holds the golden value").isEmpty();
    }

    /**
     * The CRM exports its user's edit before importing the hub's file of an earlier change, then imports
     * that file and exports it: the CRM now holds the older value, the golden record its user's edit.
     * The CRM must get the golden value back, though the golden record did not change again.
     */
    @Test
    void aTargetLeftHoldingAnOlderValueByALateWriteIsSentTheGoldenValueAgain() {
        store(person("erp", "E-1", "Wang Fang", "erp@example.com", "南京市"));
        deliverAll("crm"); // the file with erp@ waits in the CRM's folder
        store(person("crm", "C-1", "Wang Fang", "crm@example.com", "南京市")); // exported before that file was imported
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("crm@example.com");
        assertThat(value("outcome", "SELECT outcome FROM sync_conflict WHERE other_value = ?", "[\"crm@example.com\"]"))
                .as("the CRM's edit was made without the ERP's value, which the file handed over had not brought yet")
                .isEqualTo("TAKEN");
        deliverAll("erp");
        store(person("erp", "E-1", "Wang Fang", "crm@example.com", "南京市")); // the ERP's echo
        deliverAll("crm"); // nothing: the hub's copy of the CRM record holds crm@

        store(person("crm", "C-1", "Wang Fang", "erp@example.com", "南京市")); // the file imported, and exported

        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("crm@example.com");
        assertThat(outbox.due("crm", FIELDS, 10, true)).as("the CRM holds erp@, the golden record crm@")
                .singleElement().satisfies(change -> assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("crm@example.com"));
    }

    /**
     * The hub read a value from the CRM, then wrote another there; when the golden record goes back to the
     * value it read, the CRM is written to: it holds what the hub wrote last, not what it read before.
     */
    @Test
    void aWriteIsNotSkippedForAValueTheTargetHeldBeforeTheHubsLastWrite() {
        store(person("erp", "E-1", "Wang Fang", "y@example.com", "南京市"));
        deliverAll("crm"); // the CRM's copy still says fang@, the hub wrote y@ there
        store(person("erp", "E-1", "Wang Fang", "fang@example.com", "南京市")); // the ERP's user undoes the edit

        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("fang@example.com");
        assertThat(outbox.due("crm", FIELDS, 10, true)).as("the CRM holds y@, written after its fang@ was read")
                .singleElement().satisfies(change -> assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("fang@example.com"));
    }

    /**
     * The CRM's user sets the e-mail back to a value the hub wrote there earlier, whose echo the hub has read
     * since: that write has landed, so the value read again is the user's edit, not its echo, and wins.
     */
    @Test
    void aUserSettingBackAValueTheHubWroteEarlierIsAnEdit() {
        store(person("erp", "E-1", "Wang Fang", "b@example.com", "南京市"));
        deliverAll("crm");
        store(person("crm", "C-1", "Wang Fang", "b@example.com", "南京市")); // the echo: the write landed
        store(person("erp", "E-1", "Wang Fang", "c@example.com", "南京市"));
        deliverAll("crm");
        store(person("crm", "C-1", "Wang Fang", "c@example.com", "南京市"));
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("c@example.com");

        store(person("crm", "C-1", "Wang Fang", "b@example.com", "南京市")); // the CRM's user goes back to b@

        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("b@example.com");
        assertThat(edits("crm", "C-1")).as("an edit, with the base it replaced")
                .containsPattern("\"email\":\\{\"at\":\"[^\"]+\",\"base\"");
    }

    /**
     * The ERP applied the hub's write of b@, and its user changed the e-mail to c@ before the hub read the ERP again
     * (the echo of b@ was never read), then back to b@: that write has landed all the same, so b@ read again is the
     * user's edit, not the write's echo, and wins (ConvergenceIT lost such an edit on a busy machine).
     */
    @Test
    void aUserSettingBackAValueTheHubWroteBeforeItsEchoWasReadIsAnEdit() {
        store(person("crm", "C-1", "Wang Fang", "b@example.com", "南京市"));
        deliverAll("erp"); // the ERP's row holds b@ from here on
        store(person("erp", "E-1", "Wang Fang", "c@example.com", "南京市")); // its user's edit, read before any echo
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("c@example.com");

        store(person("erp", "E-1", "Wang Fang", "b@example.com", "南京市")); // the ERP's user goes back to b@

        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("b@example.com");
        assertThat(edits("erp", "E-1")).as("an edit, with the base it replaced")
                .containsPattern("\"email\":\\{\"at\":\"[^\"]+\",\"base\"");
    }

    /**
     * A customer the hub created in the CRM, first read back holding its user's edit, made on what the hub
     * wrote there while the ERP changed the same e-mail: an edit with that base, concurrent with the ERP's.
     */
    @Test
    void aRecordTheHubCreatedReadFirstWithAnotherValueIsAnEditOfWhatTheHubWrote() {
        store(person("erp", "E-2", "Li Na", "na@example.com", "杭州市"));
        String created = value("customer_id", "SELECT customer_id FROM customer_source WHERE source_key = 'E-2'");
        deliverAll("crm"); // created in the CRM under the golden id
        store(person("erp", "E-2", "Li Na", "erp@example.com", "杭州市")); // not yet in the CRM

        store(person("crm", created, "Li Na", "crm@example.com", "杭州市")); // the CRM's first export

        assertThat(edits("crm", created)).as("an edit, with the base it replaced")
                .containsPattern("\"email\":\\{\"at\":\"[^\"]+\",\"base\"");
        assertThat(value("other_value", "SELECT other_value FROM sync_conflict WHERE customer_id = ? AND other_source = 'crm'",
                created)).isEqualTo("[\"crm@example.com\"]");
    }

    /**
     * The CRM read back holding a write the hub handed to its writer but has not recorded yet (the target applied
     * it a moment before the delivery was recorded): an echo all the same, dated as the edit it repeats.
     */
    @Test
    void aWriteReadBackBeforeItsDeliveryIsRecordedIsAnEcho() {
        store(person("erp", "E-1", "Wang Fang", "b@example.com", "南京市"));
        List<OutboundChange> handedOut = outbox.due("crm", FIELDS, 10, true);

        store(person("crm", "C-1", "Wang Fang", "b@example.com", "南京市"));
        outbox.delivered("crm", FIELDS, handedOut, Collections.nCopies(handedOut.size(), WriteOutcome.WRITTEN), false);

        assertThat(edits("crm", "C-1")).as("an echo (no base)").contains("\"email\":{\"at\":")
                .doesNotContainPattern("\"email\":\\{\"at\":\"[^\"]+\",\"base\"");
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("b@example.com");
    }

    /**
     * Under {@code hold}, a disagreement with the e-mail's owner keeps the golden value and waits for a data
     * steward, who settles it: the golden record takes the other record's value, which then goes to the owner.
     */
    @Test
    void aConflictTheHoldRuleLeftOpenIsSettledByADataSteward() {
        CustomerStore holding = new CustomerStore(database.dataSource(), MatchSettings.defaults(),
                SurvivorshipSettings.from(Map.of("owner.email", "erp", "conflict.email", "hold")), () -> Set.of("crm", "erp"),
                new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        store(holding, person("crm", "C-1", "Wang Fang", "crm@example.com", "南京市"));
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("fang@example.com");
        String conflict = value("id", "SELECT id FROM sync_conflict WHERE outcome = 'HELD' AND other_value = ?",
                "[\"crm@example.com\"]");

        assertThat(holding.settleConflict(Long.parseLong(conflict), true)).isEqualTo(golden);

        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).isEqualTo("crm@example.com");
        assertThat(value("settled_to", "SELECT settled_to FROM sync_conflict WHERE id = ?", Long.parseLong(conflict)))
                .isEqualTo("OTHER");
        assertThat(holding.syncOutbox().due("erp", FIELDS, 10, true)).as("the owner gets the settled value")
                .singleElement().satisfies(change -> assertThat(change.value(CanonicalField.EMAIL)).isEqualTo("crm@example.com"));
        store(holding, person("crm", "C-1", "Wang Fang", "crm@example.com", "杭州市")); // another group changes
        assertThat(value("email", "SELECT email FROM customer WHERE id = ?", golden)).as("held").isEqualTo("crm@example.com");
        assertThatThrownBy(() -> holding.settleConflict(Long.parseLong(conflict), false)).hasMessageContaining("settled already");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void store(CheckedRecord record) {
        store(store, record);
    }

    private static void store(CustomerStore store, CheckedRecord record) {
        StoreResult result = store.store(new CheckedBatch(record.delivery().source(), List.of(record), List.of(), 0));
        store.mergePending(result.toMerge());
    }

    /** Marks everything due for {@code target} written: the ERP's rows applied, the CRM's files handed over. */
    private void deliverAll(String target) {
        List<OutboundChange> due;
        while (!(due = outbox.due(target, FIELDS, 100, true)).isEmpty()) {
            outbox.delivered(target, FIELDS, due, Collections.nCopies(due.size(), WriteOutcome.WRITTEN), target.equals("erp"));
        }
    }

    private String edits(String source, String key) {
        return value("edits", "SELECT edits FROM customer_source WHERE source = ? AND source_key = ?", source, key);
    }

    private String value(String column, String sql, Object... parameters) {
        try (Connection connection = database.dataSource().getConnection()) {
            List<Map<String, Object>> rows = HubHome.rows(connection, sql, parameters);
            return rows.isEmpty() || rows.get(0).get(column) == null ? null : rows.get(0).get(column).toString();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A record as the cleanser and enricher make it from a row of the ERP or the CRM: the full name split
     * into given and family name, the country from the mapping's constant, the province from the city;
     * each delivery a minute after the one before (the systems' own clock).
     */
    private CheckedRecord person(String source, String key, String name, String email, String city) {
        String updatedAt = Instant.parse("2026-12-01T08:00:00Z").plusSeconds(60L * minute++).toString();
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(CanonicalField.SOURCE_KEY, key);
        raw.put(CanonicalField.FULL_NAME, name);
        raw.put(CanonicalField.EMAIL, email);
        raw.put(CanonicalField.CITY, city);
        raw.put(CanonicalField.SOURCE_UPDATED_AT, updatedAt);
        SourceRecord delivery = new SourceRecord(source, source + ".csv", minute, raw, "{}", null);
        String[] parts = name.split(" ");
        return new CheckedRecord(delivery, new CustomerRecord(source, key, Instant.parse(updatedAt), name, parts[0], parts[1],
                Gender.U, (LocalDate) null, email, null, null,
                new PostalAddress("CN", PROVINCES.get(city), city, null, null, null), null, null));
    }

    private static final Map<String, String> PROVINCES = Map.of("南京市", "江苏省", "杭州市", "浙江省", "成都市", "四川省");
}
