package io.customerhub.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What PostgreSQL as the store adds: two hubs on one store (two independent stores, each with its
 * own connection pool and blocking index, storing the same people from two sources at the same time
 * while both deliver the outbox of one target), and a bulk load that keeps the planner's statistics
 * fresh itself (this machine's PostgreSQL, like many freshly loaded ones, runs without autovacuum).
 */
class PostgresStoreTest {

    private static final int PEOPLE = 600;
    private static final int BATCH = 25;
    private static final Set<CanonicalField> FIELDS = EnumSet.of(CanonicalField.SOURCE_KEY, CanonicalField.FULL_NAME,
            CanonicalField.EMAIL, CanonicalField.PHONE);

    private StoreTestDatabases.TestDatabase database;
    private HikariDataSource secondPool;

    @BeforeEach
    void openStore() {
        database = StoreTestDatabases.postgres();
        secondPool = StoreDataSource.open(database.settings());
    }

    @AfterEach
    void closeStore() {
        if (secondPool != null) {
            secondPool.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void twoHubsStoringTheSamePeopleAtOnceMakeOneGoldenRecordEachAndDeliverEveryOutboxRowOnce() throws Exception {
        CustomerStore first = store(database.dataSource());
        CustomerStore second = store(secondPool);
        List<CheckedRecord> crm = new ArrayList<>();
        List<CheckedRecord> erp = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            crm.add(person("crm", i, "2024-03-01T08:00:00Z", "p" + i + "@crm.example.cn"));
            // the ERP's record of the same person has another e-mail, which survives (source priority)
            erp.add(person("erp", i, "2024-03-02T08:00:00Z", "p" + i + "@erp.example.cn"));
        }
        // the two hubs take the people in opposite orders, so that each finds the other's records half the time
        Collections.reverse(erp);

        AtomicBoolean storing = new AtomicBoolean(true);
        List<Long> deliveredByFirst = Collections.synchronizedList(new ArrayList<>());
        List<Long> deliveredBySecond = Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<?> crmStore = threads.submit(() -> storeAll(first, "crm", crm, start));
            Future<?> erpStore = threads.submit(() -> storeAll(second, "erp", erp, start));
            // the deliveries run beside the stores and end once both are done and the outbox is drained
            Future<?> firstDelivery = threads.submit(() -> deliverWhile(first, storing, deliveredByFirst, start));
            Future<?> secondDelivery = threads.submit(() -> deliverWhile(second, storing, deliveredBySecond, start));
            crmStore.get();
            erpStore.get();
            storing.set(false);
            firstDelivery.get();
            secondDelivery.get();
        } finally {
            threads.shutdownNow();
        }

        assertThat(count("SELECT COUNT(*) FROM customer WHERE status = 'ACTIVE'")).as("one golden record per person")
                .isEqualTo(PEOPLE);
        assertThat(count("SELECT COUNT(*) FROM (SELECT source_key FROM customer_source GROUP BY customer_id, source_key) x"))
                .isEqualTo(2L * PEOPLE);
        assertThat(count("SELECT COUNT(*) FROM customer_source c JOIN customer_source e ON e.source = 'erp'"
                + " AND c.source = 'crm' AND substring(e.source_key, 3) = substring(c.source_key, 3)"
                + " WHERE e.customer_id <> c.customer_id")).as("both records of a person in one golden record").isZero();
        assertThat(count("SELECT COUNT(*) FROM customer WHERE status = 'ACTIVE' AND email NOT LIKE '%@erp.example.cn'"))
                .as("no recompute lost: every golden record has the newer ERP e-mail").isZero();
        assertThat(count("SELECT COUNT(*) FROM golden_pending")).isZero();

        List<Long> all = new ArrayList<>(deliveredByFirst);
        all.addAll(deliveredBySecond);
        assertThat(all).as("each outbox row delivered by one hub, once").doesNotHaveDuplicates();
        assertThat(deliveredByFirst).as("both hubs delivered").isNotEmpty();
        assertThat(deliveredBySecond).isNotEmpty();
        assertThat(count("SELECT COUNT(*) FROM sync_outbox WHERE status IN ('PENDING', 'FAILED')")).isZero();
    }

    @Test
    void aBulkLoadRefreshesThePlannerStatisticsOfTheTablesItFills() throws Exception {
        CustomerStore store = store(database.dataSource());
        assertThat(count("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname = 'customer_source'"
                + " AND schemaname = current_schema() AND last_analyze IS NOT NULL")).as("never analyzed").isZero();
        List<CheckedRecord> crm = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            crm.add(person("crm", i, "2024-03-01T08:00:00Z", "p" + i + "@crm.example.cn"));
        }
        storeAll(store, "crm", crm, new CyclicBarrier(1));

        assertThat(count("SELECT reltuples::bigint FROM pg_class WHERE relname = 'customer_source'"
                + " AND relnamespace = current_schema()::regnamespace")).as("the planner knows the table is not empty")
                .isGreaterThanOrEqualTo(1000);
    }

    @Test
    void deliveriesAfterALoadRefreshThePlannerStatisticsOfTheSyncTablesAndVacuumThem() throws Exception {
        CustomerStore store = store(database.dataSource());
        List<CheckedRecord> erp = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            erp.add(person("erp", i, "2024-03-01T08:00:00Z", "p" + i + "@erp.example.cn"));
        }
        storeAll(store, "erp", erp, new CyclicBarrier(1));
        // the load was analyzed while the CRM held nothing of it: sync_state was empty
        deliverWhile(store, new AtomicBoolean(false), new ArrayList<>(), new CyclicBarrier(1));

        assertThat(count("SELECT COUNT(*) FROM sync_state")).isEqualTo(1500);
        assertThat(count("SELECT reltuples::bigint FROM pg_class WHERE relname = 'sync_state'"
                + " AND relnamespace = current_schema()::regnamespace"))
                .as("the planner knows the deliveries filled sync_state, so its look-ups by key walk the index")
                .isGreaterThanOrEqualTo(1000);
        assertThat(count("SELECT COUNT(*) FROM pg_stat_user_tables WHERE relname IN ('sync_state', 'sync_outbox')"
                + " AND schemaname = current_schema() AND last_vacuum IS NOT NULL"))
                .as("the row versions the deliveries deleted and rewrote were vacuumed").isEqualTo(2);
    }

    /**
     * A delivery recorded while a merge of its golden record is under way: outside H2 the deliveries do not wait for the
     * store's lock, so the recording either waits for the merge and names the survivor, or the merge waits for it and
     * moves what it recorded. The merge is held (the change log's sequence is locked) after it moved the merged record's sync
     * rows, and the recording runs then; without a lock between them, the record written stayed the merged one's, and
     * the next change of the survivor created it in the target a second time.
     */
    @Test
    void aWriteRecordedWhileItsGoldenRecordIsMergedAwayIsTheSurvivorsEvenWhenNeitherWaitsForTheStoreLock() throws Exception {
        CustomerStore store = store(database.dataSource());
        storeAll(store, "erp", List.of(person("erp", 1, "2024-03-01T08:00:00Z", "one@erp.example.cn"),
                person("erp", 2, "2024-03-01T08:00:00Z", "two@erp.example.cn")), new CyclicBarrier(1));
        assertThat(count("SELECT COUNT(*) FROM customer WHERE status = 'ACTIVE'")).isEqualTo(2);
        List<OutboundChange> due = store.syncOutbox().due("crm", FIELDS, 10, true);
        assertThat(due).hasSize(2).allMatch(OutboundChange::created);
        String survivor = due.stream().map(OutboundChange::customerId).min(String::compareTo).orElseThrow();
        String merged = due.stream().map(OutboundChange::customerId).max(String::compareTo).orElseThrow();

        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (Connection holder = database.dataSource().getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT seq FROM store_lock WHERE name = 'changes' FOR UPDATE")) {
                lock.executeQuery().close();
            }
            Future<String> merge = threads.submit(() -> store.mergeGoldens(survivor, merged));
            awaitWaiting("UPDATE store_lock SET seq = % WHERE name = %");
            Future<?> recording = threads.submit(() -> store.syncOutbox().delivered("crm", FIELDS, due,
                    Collections.nCopies(due.size(), WriteOutcome.WRITTEN)));
            // recorded at once, or waiting beside the merge
            await().atMost(Duration.ofSeconds(30)).until(() -> recording.isDone() || waiting("%") == 2);
            holder.rollback();
            assertThat(merge.get(30, TimeUnit.SECONDS)).isEqualTo(survivor);
            recording.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }

        assertThat(count("SELECT COUNT(*) FROM sync_state WHERE customer_id = ?", survivor))
                .as("both records the hub created in the CRM are the survivor's").isEqualTo(2);
        assertThat(store.syncOutbox().due("crm", FIELDS, 10, true)).as("the survivor's records updated, not created again")
                .isNotEmpty().noneMatch(OutboundChange::created);
    }

    /** Waits until a statement like {@code pattern} waits for a lock in this database. */
    private void awaitWaiting(String pattern) {
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting(pattern) > 0);
    }

    private long waiting(String pattern) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM pg_stat_activity"
                     + " WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE ?")) {
            select.setString(1, pattern);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static CustomerStore store(HikariDataSource pool) {
        // the ERP's e-mail survives whichever hub stores its record first: a recompute lost shows
        return new CustomerStore(pool, MatchSettings.defaults(), SurvivorshipSettings.from(Map.of(
                "survivorship.email", "source-priority", "source-priority", "erp, crm")), () -> Set.of("crm"),
                new SyncOutbox.Settings(3, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    private static Object storeAll(CustomerStore store, String source, List<CheckedRecord> records, CyclicBarrier start)
            throws Exception {
        start.await();
        for (int from = 0; from < records.size(); from += BATCH) {
            StoreResult result = store.store(new CheckedBatch(source,
                    records.subList(from, Math.min(records.size(), from + BATCH)), List.of(), 0));
            store.mergePending(result.toMerge());
        }
        return null;
    }

    /** Delivers the crm target's outbox (every write succeeds) until the stores are done and nothing is due. */
    private static Object deliverWhile(CustomerStore store, AtomicBoolean storing, List<Long> delivered, CyclicBarrier start)
            throws Exception {
        start.await();
        while (true) {
            boolean stillStoring = storing.get();
            List<OutboundChange> due = store.syncOutbox().due("crm", FIELDS, 20, true);
            if (due.isEmpty() && !stillStoring) {
                return null;
            }
            due.stream().map(OutboundChange::changeSeq).distinct().forEach(delivered::add);
            store.syncOutbox().delivered("crm", FIELDS, due, Collections.nCopies(due.size(), WriteOutcome.WRITTEN));
        }
    }

    private static CheckedRecord person(String source, int i, String updatedAt, String email) {
        String key = source.substring(0, 1) + "-" + i;
        String phone = "+86139" + String.format("%08d", i);
        Map<CanonicalField, String> raw = new EnumMap<>(CanonicalField.class);
        raw.put(CanonicalField.SOURCE_KEY, key);
        raw.put(CanonicalField.FULL_NAME, "Wei Zhang");
        raw.put(CanonicalField.EMAIL, email);
        raw.put(CanonicalField.PHONE, phone);
        raw.put(CanonicalField.SOURCE_UPDATED_AT, updatedAt);
        String payload = "{\"sourceKey\":\"" + key + "\",\"email\":\"" + email + "\"}";
        return new CheckedRecord(new SourceRecord(source, source + ".csv", i + 1L, raw, payload, null),
                new CustomerRecord(source, key, Instant.parse(updatedAt), "Wei Zhang", "Wei", "Zhang", Gender.M,
                        LocalDate.of(1960, 1, 1).plusDays(i), email, phone, phone, PostalAddress.EMPTY, null, null));
    }

    private long count(String sql, Object... parameters) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
