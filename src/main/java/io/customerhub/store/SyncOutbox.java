package io.customerhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.merge.FieldGroup;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional outbox ({@code sync_outbox}) and what each target holds ({@code sync_state}).
 * Every change of a golden record goes to each target's outbox row of the customer in the transaction
 * of the change, so a change is delivered if and only if it is committed. It names the golden record's
 * whole state after the change ({@code sync_change}, written once for all targets), and takes the place
 * of the change in a customer's row still waiting for delivery, or gets a row of its own; a target's
 * sync route sends each customer's newest undelivered row and deletes the older ones it replaces: a
 * target never gets an older state after a newer one, even after an outage or a retry, and a backlog
 * shrinks to one write per customer.
 *
 * <p>The outbox holds what is still to be delivered: a row is deleted once delivered, skipped by echo
 * suppression or replaced by a newer change. Only rows that failed ({@code FAILED}, {@code DEAD}) or that
 * a target took no new customer for ({@code SKIPPED}, with the reason) stay. What a target was last sent
 * is in {@code sync_state}. Kept, the delivered rows made every look-up of the outbox walk a table and
 * indexes that grew with every change ever made.
 *
 * <p>Echo suppression: a change is not sent to a target record that already holds its values,
 * over the fields that target holds: what the hub last wrote there ({@code sync_state}) or last
 * read from it ({@code customer_source}). So the hub's own write, read back by the next poll,
 * changes nothing and sends nothing anywhere.
 */
public final class SyncOutbox {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ids of the changes ({@code sync_change.id}): time-ordered, so that new changes append to its primary key. */
    private static final TimeOrderedIds CHANGE_IDS = new TimeOrderedIds();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() { };

    /**
     * Delivery settings.
     *
     * @param createDelay how long a change that would create a customer in a target waits: a
     *                    target's own record of that customer may be read in the meantime (two
     *                    sources read at about the same time), and it is then updated instead of
     *                    getting a duplicate
     */
    public record Settings(int maxAttempts, Duration retryDelay, Duration retryMaxDelay, Duration createDelay, String hub) {
        public static final Settings DEFAULTS = new Settings(10, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO);

        /**
         * Settings of a hub without a stable name ({@code hub}, the owner of its outbox claims): a name of
         * its own, so that after a crash its claims run out rather than being released by its restart.
         */
        public Settings(int maxAttempts, Duration retryDelay, Duration retryMaxDelay, Duration createDelay) {
            this(maxAttempts, retryDelay, retryMaxDelay, createDelay, "unnamed-" + UUID.randomUUID());
        }
    }

    /**
     * A golden record after a change: what the outbox rows of the change carry.
     *
     * @param heldBy a target known to hold these values already (the source of a golden record's only
     *               record), which gets no row: echo suppression would only skip it; or null
     * @param onlyTo the targets that get a row (their records disagree with a golden record that did not
     *               change); null for every target
     * @param lineage the golden record's lineage ({@code customer.lineage} JSON): when each group's value was read
     */
    record GoldenChange(String customerId, CustomerRecord values, String status, String heldBy, Set<String> onlyTo,
                        String lineage) {
    }

    /** Outbox counts of one target, for metrics and the status page. */
    public record Backlog(long pending, long failed, long dead, Instant oldestUnsent) {
    }

    /**
     * How long the rows {@link #due} hands out are claimed: not due for anyone else until delivered,
     * failed, released, or this long has passed (the hub that claimed them died), so two hubs on one
     * store never deliver the same row. A hub that restarts after a crash releases its own claims at
     * once ({@link Settings#hub()} names it), so only another hub ever waits this long.
     */
    static final Duration CLAIM = Duration.ofSeconds(60);
    /**
     * How old a change must be before {@link #purgeChanges} may delete it: far longer than any transaction that writes
     * one lasts (a writer waits for the store's lock ten minutes at most), and than the clocks of hubs on one store differ.
     */
    static final Duration CHANGE_KEPT = Duration.ofHours(1);
    private static final int PURGE_PAGE = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(SyncOutbox.class);

    private final DataSource dataSource;
    private final Supplier<Set<String>> targets;
    private final Settings settings;
    private final Clock clock;
    private final PlannerStatistics statistics;
    /** The targets whose claims this hub held when it stopped have been released, once per target after a start. */
    private final Set<String> ownClaimsReleased = ConcurrentHashMap.newKeySet();
    /**
     * The customers whose rows {@link #due} handed out unclaimed (an embedded store) and whose outcome is not yet recorded,
     * by target: left alone by {@link #enqueue}.
     */
    private final Set<TargetCustomer> delivering = ConcurrentHashMap.newKeySet();
    /** The writes handed out by {@link #due} and not yet recorded, by target record (see {@link #inFlight}). */
    private final Map<InFlightKey, InFlight> inFlight = new ConcurrentHashMap<>();
    /** When each group's value of a row handed out by {@link #due} was read, by row id, until its outcome is recorded. */
    private final Map<Long, Map<FieldGroup, Instant>> handedLineage = new ConcurrentHashMap<>();

    /**
     * @param targets the targets that receive changes (the sources with a {@code <source>-sync}
     *                route); asked at each change, so it may be filled once routes exist
     * @param statistics counts the deliveries, for PostgreSQL's statistics of the tables they write
     */
    SyncOutbox(DataSource dataSource, Supplier<Set<String>> targets, Settings settings, Clock clock, PlannerStatistics statistics) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.statistics = statistics;
        this.targets = targets;
        this.settings = settings;
    }

    /**
     * Gives each change to every target, inside the caller's transaction: the newest change carries the golden record's
     * whole state, so a target's due rows hold one row per customer, read in order without stepping over older ones.
     * The row of a customer and target still waiting for delivery takes the change in its place; where there is none
     * (or it is handed to a writer, or failed), the undelivered rows are deleted and a new row is written.
     */
    void enqueue(Connection connection, List<GoldenChange> changes, Instant now) throws SQLException {
        Set<String> receivers = targets.get();
        if (changes.isEmpty() || receivers.isEmpty()) {
            return;
        }
        List<Delivery> deliveries = new ArrayList<>();
        Map<GoldenChange, String> changeIds = new IdentityHashMap<>();
        for (GoldenChange change : changes) {
            changeIds.put(change, CHANGE_IDS.next().toString());
            receivers(change, receivers).forEach(target -> deliveries.add(new Delivery(change, target)));
        }
        // in place: a row rewritten, where a new row and the old one marked replaced were a third of the outbox's writes at a load. A
        // row handed to a writer is left alone (what the writer wrote is recorded against it), and so is one another hub
        // claimed. The undelivered rows are read first, so that only rows that exist are asked for (a customer new to the
        // outbox, most of a load's, costs no statement); enqueues take turns under the store's lock, and a row claimed or
        // delivered since the read is left alone by the conditions of the updates
        Map<TargetCustomer, List<OpenRow>> open = undelivered(connection,
                deliveries.stream().map(delivery -> delivery.change().customerId()).distinct().toList());
        boolean[] placed = new boolean[deliveries.size()];
        List<Integer> asked = new ArrayList<>();
        List<Object[]> replacements = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            TargetCustomer key = new TargetCustomer(delivery.target(), delivery.change().customerId());
            if (delivering.contains(key)) {
                continue;
            }
            // the newest row only: due rows are each customer's newest, which must carry the newest change
            List<OpenRow> rows = open.getOrDefault(key, List.of());
            if (!rows.isEmpty() && rows.get(rows.size() - 1).waiting()) {
                replacements.add(new Object[] {changeIds.get(delivery.change()), SqlValues.timestamp(now),
                        SqlValues.timestamp(now), rows.get(rows.size() - 1).id()});
                asked.add(i);
            }
        }
        int[] replaced = Transactions.executeBatch(connection, "UPDATE sync_outbox SET change_id = ?, created_at = ?,"
                + " next_attempt_at = ?, forced = FALSE WHERE id = ? AND status = 'PENDING' AND claimed_by IS NULL", replacements);
        for (int i = 0; i < replaced.length; i++) {
            // a driver that reports no count (SUCCESS_NO_INFO) is taken as none: the row then gives way below
            placed[asked.get(i)] = replaced[i] > 0;
        }
        // the undelivered rows each of the others replaces; of the target that holds the values, which of its rows gave way
        List<Delivery> others = new ArrayList<>();
        Set<GoldenChange> named = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object[]> givingWay = new ArrayList<>();
        List<String> replacedBy = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            Delivery delivery = deliveries.get(i);
            if (placed[i]) {
                named.add(delivery.change());
                continue;
            }
            others.add(delivery);
            for (OpenRow row : open.getOrDefault(new TargetCustomer(delivery.target(), delivery.change().customerId()), List.of())) {
                givingWay.add(new Object[] {row.id()});
                replacedBy.add(delivery.target().equals(delivery.change().heldBy()) ? delivery.change().customerId() : null);
            }
        }
        Set<String> heldAndReplaced = new HashSet<>();
        int[] deletedCounts = Transactions.executeBatch(connection, "DELETE FROM sync_outbox WHERE id = ?"
                + " AND status IN ('PENDING', 'FAILED', 'DEAD')", givingWay);
        for (int i = 0; i < deletedCounts.length; i++) {
            // a driver that reports no count (SUCCESS_NO_INFO) may have replaced one
            if (replacedBy.get(i) != null && deletedCounts[i] != 0) {
                heldAndReplaced.add(replacedBy.get(i));
            }
        }
        // the change's state once (sync_change), and a row naming it for each target that gets a new one (sync_outbox): a
        // row's status changes then rewrite a small row, not the values and lineage a third of the row count again
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sync_outbox (target, customer_id, change_id,"
                + " status, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, 'PENDING', 0, ?, ?)")) {
            for (Delivery delivery : others) {
                GoldenChange change = delivery.change();
                // the target holding the values gets no row, unless one of its rows gave way to this change: that
                // row's successor, which echo suppression skips where the target does hold them, so that no
                // undelivered change is ever dropped without a newer one
                if (delivery.target().equals(change.heldBy()) && !heldAndReplaced.contains(change.customerId())) {
                    continue;
                }
                named.add(change);
                insert.setString(1, delivery.target());
                insert.setString(2, change.customerId());
                insert.setString(3, changeIds.get(change));
                insert.setObject(4, SqlValues.timestamp(now));
                insert.setObject(5, SqlValues.timestamp(now));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insertChange = connection.prepareStatement("INSERT INTO sync_change (id, customer_id,"
                + " customer_status, payload, lineage, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (GoldenChange change : changes) {
                if (named.contains(change)) {
                    insertChange.setString(1, changeIds.get(change));
                    insertChange.setString(2, change.customerId());
                    insertChange.setString(3, change.status());
                    insertChange.setString(4, payload(change.values()));
                    insertChange.setString(5, change.lineage());
                    insertChange.setObject(6, SqlValues.timestamp(now));
                    insertChange.addBatch();
                }
            }
            insertChange.executeBatch();
        }
    }

    /** A change bound for one target. */
    private record Delivery(GoldenChange change, String target) {
    }

    /** A customer in one target: whose row is handed to that target's writer ({@link #delivering}). */
    private record TargetCustomer(String target, String customerId) {
    }

    /** An undelivered outbox row (PENDING, FAILED or DEAD). */
    private record OpenRow(long id, String status, boolean claimed) {
        /** Waiting for its first delivery, handed to no hub: it may take a newer change in its place. */
        boolean waiting() {
            return "PENDING".equals(status) && !claimed;
        }
    }

    /**
     * The undelivered rows of {@code customers} by target and customer, in id order: along the index that leads with
     * {@code customer_id}, one query per chunk, which for most customers of a load finds none.
     */
    private static Map<TargetCustomer, List<OpenRow>> undelivered(Connection connection, List<String> customers)
            throws SQLException {
        Map<TargetCustomer, List<OpenRow>> open = new HashMap<>();
        Transactions.forEachChunk(connection, UNDELIVERED, null, customers, rs -> open.computeIfAbsent(
                new TargetCustomer(rs.getString(2), rs.getString(3)), key -> new ArrayList<>())
                .add(new OpenRow(rs.getLong(1), rs.getString(4), rs.getString(5) != null)));
        open.values().forEach(rows -> rows.sort(Comparator.comparingLong(OpenRow::id)));
        return open;
    }

    static final String UNDELIVERED = "SELECT id, target, customer_id, status, claimed_by FROM sync_outbox"
            + " WHERE status IN ('PENDING', 'FAILED', 'DEAD') AND customer_id IN (";

    /**
     * Golden record {@code merged} became part of {@code survivor} (inside the merge's transaction): the target records
     * the hub wrote for it are the survivor's now, updated rather than created again; its undelivered changes give way
     * to the survivor's; and the survivor's values, as they stand, go to every target, since a record there of either
     * may hold the other's values. The merge stage's recompute replaces that row if the values then change.
     */
    void absorb(Connection connection, String merged, GoldenChange survivor, Instant now) throws SQLException {
        update(connection, MOVE_STATE, survivor.customerId(), merged);
        update(connection, DELETE_MERGED, merged);
        enqueue(connection, List.of(survivor), now);
    }

    /**
     * What a merge does to the sync rows of the merged golden record, whatever their target: each walks the index that
     * leads with {@code customer_id} (a scan of the table per merge before, which made a load with many merges quadratic).
     */
    static final String MOVE_STATE = "UPDATE sync_state SET customer_id = ? WHERE customer_id = ?";
    static final String DELETE_MERGED = "DELETE FROM sync_outbox WHERE customer_id = ? AND status IN ('PENDING', 'FAILED', 'DEAD')";

    private static Set<String> receivers(GoldenChange change, Set<String> targets) {
        if (change.onlyTo() == null) {
            return targets;
        }
        Set<String> receivers = new LinkedHashSet<>(change.onlyTo());
        receivers.retainAll(targets);
        return receivers;
    }

    private static String payload(CustomerRecord values) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (ValueColumn column : ValueColumn.values()) {
            String text = column.field.textOf(values);
            if (text != null) {
                byKey.put(column.field.key(), text);
            }
        }
        return SqlValues.json(byKey);
    }

    /**
     * The next changes due for {@code target}: the newest undelivered row of each customer whose
     * back-off has passed (the older ones are deleted), at most {@code limit}, each expanded to the target's records of
     * that customer (or one new record keyed by the golden id). Rows whose every record already holds
     * the values are deleted and not returned. The rows returned are claimed for
     * {@link #CLAIM}: a second hub on the same store reading at the same time gets other rows.
     *
     * @param fields  the canonical fields the target holds, for echo suppression
     * @param creates whether the target takes customers it does not hold: if not, a row that would create
     *                one is marked {@code SKIPPED} (with the reason in {@code last_error}) and not returned
     */
    public List<OutboundChange> due(String target, Set<CanonicalField> fields, int limit, boolean creates) {
        Map<Long, String> lineages = new HashMap<>();
        List<OutboundChange> handedOut = inTransaction("read the sync outbox of " + target, connection -> {
            Instant now = SqlValues.now(clock);
            if (sharedStore(connection) && !ownClaimsReleased.contains(target)) {
                // claims this hub held when it stopped without releasing them (a kill -9): no one delivers them. Of
                // this target only, read first and released by id: one UPDATE over every target's claimed rows
                // locked rows another target's route was recording, and the two waited on each other (KillPointsIT)
                List<Long> claims = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT id FROM sync_outbox WHERE target = ?"
                        + " AND status IN ('PENDING', 'FAILED') AND claimed_by = ?")) {
                    select.setString(1, target);
                    select.setString(2, settings.hub());
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            claims.add(rs.getLong(1));
                        }
                    }
                }
                Transactions.updateEachChunk(connection, "UPDATE sync_outbox SET next_attempt_at = ?, claimed_by = NULL WHERE id IN (",
                        claims, SqlValues.timestamp(now));
            }
            List<OutboundChange> due = new ArrayList<>();
            // rows that end here: skipped by echo suppression, or older than the customer's newest
            List<Long> gone = new ArrayList<>();
            List<Long> notCreated = new ArrayList<>();
            List<Row> rows = dueRows(connection, target, now, limit);
            rows.forEach(row -> lineages.put(row.id(), row.lineage()));
            Set<String> customers = new LinkedHashSet<>();
            rows.forEach(row -> customers.add(row.customerId()));
            Map<String, Map<String, Held>> read = readHashes(connection, target, customers, fields);
            Map<String, Map<String, Held>> written = writtenHashes(connection, target, customers);
            Instant createdBefore = now.minus(settings.createDelay());
            for (Row row : rows) {
                List<OutboundChange> changes = expand(target, row, fields,
                        read.getOrDefault(row.customerId(), Map.of()), written.getOrDefault(row.customerId(), Map.of()));
                if (changes.size() == 1 && changes.get(0).created() && !creates) {
                    notCreated.add(row.id());
                    continue;
                }
                if (changes.size() == 1 && changes.get(0).created() && row.createdAt().isAfter(createdBefore)) {
                    continue; // not yet: see Settings.createDelay
                }
                if (changes.isEmpty()) {
                    gone.add(row.id());
                }
                due.addAll(changes);
            }
            // claimed where another hub may read the same rows; an embedded H2 store serves this process alone, whose
            // one route per target reads and records its rows in turn (a row rewritten here was rewritten again
            // when recorded: half the sync's page writes)
            if (sharedStore(connection)) {
                Transactions.updateEachChunk(connection, "UPDATE sync_outbox SET next_attempt_at = ?, claimed_by = ? WHERE id IN (",
                        due.stream().map(OutboundChange::outboxId).distinct().toList(), SqlValues.timestamp(now.plus(CLAIM)),
                        settings.hub());
            }
            // a customer's newest change carries its whole state: the older ones it replaces are not sent. Read first, as
            // there are seldom any (a change takes the place of the one waiting)
            Map<TargetCustomer, List<OpenRow>> open = undelivered(connection, List.copyOf(customers));
            for (Row row : rows) {
                open.getOrDefault(new TargetCustomer(target, row.customerId()), List.of()).stream()
                        .filter(openRow -> openRow.id() < row.id()).forEach(openRow -> gone.add(openRow.id()));
            }
            Transactions.updateEachChunk(connection, "DELETE FROM sync_outbox WHERE status IN ('PENDING', 'FAILED', 'DEAD')"
                    + " AND id IN (", gone);
            Transactions.updateEachChunk(connection, "UPDATE sync_outbox SET status = 'SKIPPED', sent_at = ?, last_error = ?"
                    + " WHERE id IN (", notCreated, SqlValues.timestamp(now),
                    "not created: the target takes no new customers (create: never)");
            // rewritten in place by a change meanwhile, a row would be recorded as sent with the values it did not carry; a
            // claimed row is left alone by its claim
            if (!sharedStore(connection)) {
                due.forEach(change -> delivering.add(new TargetCustomer(target, change.customerId())));
            }
            return due;
        });
        ownClaimsReleased.add(target);
        Set<CanonicalField> held = held(fields);
        for (OutboundChange change : handedOut) {
            Map<FieldGroup, Instant> times = handedLineage.computeIfAbsent(change.outboxId(),
                    id -> GroupEdits.lineageTimes(lineages.get(id)));
            if (change.targetKey() != null) {
                inFlight.put(new InFlightKey(target, change.targetKey()), new InFlight(change.customerId(), change.created(),
                        new GroupEdits.Written(held, List.of(new GroupEdits.Write(change.values(), change.changedAt(), times,
                                false)), SqlValues.now(clock))));
            }
        }
        return handedOut;
    }

    /** A target record, as the key of a write in flight. */
    private record InFlightKey(String target, String key) {
    }

    /**
     * A write handed to a writer and not yet recorded: of golden record {@code customerId}, creating the record or
     * not, {@code written} its one write (written at: when handed out).
     */
    record InFlight(String customerId, boolean created, GroupEdits.Written written) {
    }

    /**
     * The write handed to {@code target}'s writer for its record {@code key} and not yet recorded, or null: a
     * read of that record in the meantime may hold its echo (the target applied it before the hub recorded it).
     * A write handed out longer ago than a claim lasts is forgotten: its writer is gone.
     */
    InFlight inFlight(String target, String key) {
        InFlight flying = inFlight.get(new InFlightKey(target, key));
        return flying == null || flying.written().writtenAt().plus(CLAIM).isBefore(SqlValues.now(clock)) ? null : flying;
    }

    private void landed(String target, List<OutboundChange> changes) {
        changes.forEach(change -> handedLineage.remove(change.outboxId()));
        changes.stream().filter(change -> change.targetKey() != null)
                .forEach(change -> inFlight.remove(new InFlightKey(target, change.targetKey())));
        changes.forEach(change -> delivering.remove(new TargetCustomer(target, change.customerId())));
    }

    private record Row(long id, String customerId, String status, Map<CanonicalField, String> values, Instant createdAt,
                       String lineage, boolean forced) {
    }

    /**
     * The first {@code limit} due rows of {@code target} in id order: one query per status, each walking
     * the index (target, status, id) in order and stopping at the limit, so that a call costs the rows it
     * returns, not the whole backlog (sorting every pending row on each call made a backlog quadratic).
     */
    private static List<Row> dueRows(Connection connection, String target, Instant now, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (String status : List.of("PENDING", "FAILED")) {
            try (PreparedStatement select = connection.prepareStatement(DUE_ROWS + lockClause(connection))) {
                select.setMaxRows(limit);
                select.setString(1, target);
                select.setString(2, status);
                select.setString(3, status);
                select.setObject(4, SqlValues.timestamp(now));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), values(rs.getString(4)),
                                rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getBoolean(7)));
                    }
                }
            }
        }
        rows.sort(Comparator.comparingLong(Row::id));
        return rows.size() <= limit ? rows : new ArrayList<>(rows.subList(0, limit));
    }

    /**
     * The due rows of one target ({@code ?}) and status ({@code ?}, twice), in id order. The status is a range of the
     * index (target, status, id) rather than an equality: with {@code status = ?}, PostgreSQL may read the rows in id
     * order along the primary key instead and filter them, which costs every row delivered before the first due one
     * (its statistics spread the due rows evenly over the ids, while they all come after the delivered ones). The
     * order (status, id) is one only that index gives. The ORDER BY names the index's columns: H2 walks an index in
     * order only when told so.
     */
    static final String DUE_ROWS = "SELECT o.id, o.customer_id, c.customer_status, c.payload, o.created_at, c.lineage,"
            + " o.forced FROM sync_outbox o JOIN sync_change c ON c.id = o.change_id"
            + " WHERE o.target = ? AND (o.status, o.id) > (?, 0) AND (o.status, o.id) < (?, " + Long.MAX_VALUE + ")"
            + " AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM sync_outbox p WHERE p.target = o.target"
            + " AND p.customer_id = o.customer_id AND p.id > o.id AND p.status IN ('PENDING', 'FAILED', 'DEAD'))"
            + " ORDER BY o.target, o.status, o.id";

    /**
     * Rows another hub is reading at the same moment are left to it ({@code FOR UPDATE SKIP LOCKED}), where
     * another hub can share the store. An embedded H2 store serves one process, and H2 marks every row
     * such a query reads as locked, which made each read of a backlog cost the whole backlog.
     */
    private static String lockClause(Connection connection) throws SQLException {
        return sharedStore(connection) ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** Whether other processes may use the store: anything but an embedded H2 database. */
    private static boolean sharedStore(Connection connection) throws SQLException {
        return !StoreDataSource.embedded(connection.getMetaData().getURL());
    }

    /**
     * What the hub knows a target record holds: the hash of its values over the target's fields; when it last
     * changed, the source's own time of the values last read there (null for a write); and when the hub read or
     * wrote them (its own clock, which orders a read and a write of one record)
     */
    private record Held(String hash, Instant at, Instant hubAt) {
    }

    /** Per customer, what each of its active records in {@code target} held when last read, by key (one query per chunk). */
    private static Map<String, Map<String, Held>> readHashes(Connection connection, String target, Set<String> customers,
                                                             Set<CanonicalField> fields) throws SQLException {
        Map<String, Map<String, Held>> hashes = new HashMap<>();
        Transactions.forEachChunk(connection, READ_HELD, target, List.copyOf(customers), rs -> {
            CustomerRecord held = ValueColumn.read(rs, 4, target, rs.getString(2), null, rs.getString(3));
            Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
            for (ValueColumn column : ValueColumn.values()) {
                String text = column.field.textOf(held);
                if (text != null) {
                    values.put(column.field, text);
                }
            }
            OffsetDateTime at = rs.getObject(4 + ValueColumn.values().length, OffsetDateTime.class);
            hashes.computeIfAbsent(rs.getString(1), c -> new TreeMap<>()).put(rs.getString(2),
                    new Held(hash(values, fields), at == null ? null : at.toInstant(),
                            rs.getObject(5 + ValueColumn.values().length, OffsetDateTime.class).toInstant()));
        });
        return hashes;
    }

    /**
     * The active records of a target ({@code ?}) among a list of customers: pairs along the index on {@code (customer_id,
     * source)}, so that a customer the target does not hold yet (most of a load's) costs an index look-up and no row read;
     * along the index on {@code customer_id} alone, every record of the customer in every source was read to be dropped.
     */
    static final String READ_HELD = "SELECT customer_id, source_key, phone_raw, " + ValueColumn.NAMES
            + ", source_updated_at, updated_at FROM customer_source WHERE status = 'ACTIVE' AND (source, customer_id) IN (";

    /** Per customer, what the hub last wrote to each of its records in {@code target}, by key. */
    private static Map<String, Map<String, Held>> writtenHashes(Connection connection, String target, Set<String> customers)
            throws SQLException {
        Map<String, Map<String, Held>> hashes = new HashMap<>();
        Transactions.forEachChunk(connection, WRITTEN_HELD, target, List.copyOf(customers), rs -> hashes.computeIfAbsent(
                rs.getString(1), c -> new TreeMap<>()).put(rs.getString(2),
                new Held(rs.getString(3), null, rs.getObject(4, OffsetDateTime.class).toInstant())));
        return hashes;
    }

    /** What the hub wrote to a target ({@code ?}) for a list of customers: pairs along the index on {@code (target, customer_id)}. */
    static final String WRITTEN_HELD = "SELECT customer_id, target_key, written_hash, written_at FROM sync_state"
            + " WHERE (target, customer_id) IN (";

    /**
     * The writes of one outbox row: one per record of the customer in the target, less those that hold the values,
     * each based on the source's own time of that record as the hub last read it.
     */
    private static List<OutboundChange> expand(String target, Row row, Set<CanonicalField> fields,
                                               Map<String, Held> readHashes, Map<String, Held> writtenHashes) {
        // the target's own records of this customer; else the one the hub created there; else a new one
        Set<String> keys = !readHashes.isEmpty() ? readHashes.keySet()
                : !writtenHashes.isEmpty() ? writtenHashes.keySet() : Set.of(row.customerId());
        boolean created = readHashes.isEmpty() && writtenHashes.isEmpty();
        String hash = hash(row.values(), fields);
        List<OutboundChange> changes = new ArrayList<>();
        for (String key : keys) {
            Held read = readHashes.get(key);
            Held written = writtenHashes.get(key);
            // what the record holds now: what the hub read there, or wrote there since
            Held holds = written == null || read != null && !read.hubAt().isBefore(written.hubAt()) ? read : written;
            if (row.forced() || holds == null || !hash.equals(holds.hash())) {
                changes.add(new OutboundChange(row.id(), target, row.customerId(), key, created,
                        "DELETED".equals(row.status()), row.values(), row.createdAt(), read == null ? null : read.at()));
            }
        }
        return changes;
    }

    /** Hash of {@code values} over {@code fields} (the key excluded): equal hashes, equal content for that target. */
    static String hash(Map<CanonicalField, String> values, Set<CanonicalField> fields) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        for (CanonicalField field : CanonicalField.values()) {
            if (field != CanonicalField.SOURCE_KEY && fields.contains(field)) {
                String value = values.get(field);
                if (value != null) {
                    digest.update(value.getBytes(StandardCharsets.UTF_8));
                }
                digest.update((byte) 0);
            }
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 16);
    }

    /**
     * Records what became of {@code changes} (as {@link #due} returned them), one outcome each: a row all of
     * whose writes succeeded is deleted and its records' written values are kept (under the key the
     * target assigned to a record it created, when it did); a row with a failed write is {@code FAILED}
     * (retried after a doubling back-off) or {@code DEAD} after {@code maxAttempts}, or at once when the
     * target refused it for good.
     */
    public void delivered(String target, Set<CanonicalField> fields, List<OutboundChange> changes, List<WriteOutcome> outcomes) {
        delivered(target, fields, changes, outcomes, true);
    }

    /**
     * {@link #delivered(String, Set, List, List)} for a target that {@code applies} its writes when they are
     * delivered, or (false) later, when it imports them.
     */
    public void delivered(String target, Set<CanonicalField> fields, List<OutboundChange> changes, List<WriteOutcome> outcomes,
                          boolean applies) {
        if (outcomes.size() != changes.size()) {
            throw new IllegalArgumentException("one outcome per change expected: " + changes.size() + " changes, "
                    + outcomes.size() + " outcomes");
        }
        try {
            inTransaction("record sync deliveries to " + target, connection -> {
                Instant now = SqlValues.now(clock);
                Map<Long, WriteOutcome> failures = new LinkedHashMap<>();
                for (int i = 0; i < changes.size(); i++) {
                    WriteOutcome outcome = outcomes.get(i);
                    if (!outcome.written()) {
                        failures.merge(changes.get(i).outboxId(), outcome, (a, b) -> new WriteOutcome(a.error() + "; " + b.error(),
                                a.final_() || b.final_(), null));
                    }
                }
                List<OutboundChange> written = new ArrayList<>();
                Set<Long> sent = new LinkedHashSet<>();
                for (int i = 0; i < changes.size(); i++) {
                    OutboundChange change = changes.get(i);
                    if (outcomes.get(i).written()) {
                        String key = outcomes.get(i).assignedKey();
                        written.add(key == null ? change : new OutboundChange(change.outboxId(), change.target(), change.customerId(),
                                key, change.created(), change.deleted(), change.values(), change.changedAt(), null));
                        if (!failures.containsKey(change.outboxId())) {
                            sent.add(change.outboxId());
                        }
                    }
                }
                remember(connection, written, fields, applies, now);
                Transactions.updateEachChunk(connection, "DELETE FROM sync_outbox WHERE id IN (", List.copyOf(sent));
                for (Map.Entry<Long, WriteOutcome> failure : failures.entrySet()) {
                    fail(connection, failure.getKey(), failure.getValue().error(), failure.getValue().final_(), now);
                }
                return null;
            });
            statistics.delivered(changes.size());
        } finally {
            landed(target, changes);
        }
    }

    /** Gives back the rows of {@code changes} unwritten (the hub is stopping): due again at once, for this hub or another. */
    public void release(String target, List<OutboundChange> changes) {
        try {
            inTransaction("release sync rows of " + target, connection -> {
                Transactions.updateEachChunk(connection, "UPDATE sync_outbox SET next_attempt_at = ?"
                        + " WHERE status IN ('PENDING', 'FAILED') AND id IN (",
                        changes.stream().map(OutboundChange::outboxId).distinct().toList(), SqlValues.timestamp(SqlValues.now(clock)));
                return null;
            });
        } finally {
            landed(target, changes);
        }
    }

    /** The target could not be reached: every row of {@code changes} failed one attempt. */
    public void unreachable(String target, List<OutboundChange> changes, String error) {
        try {
            inTransaction("record failed sync deliveries to " + target, connection -> {
                Instant now = SqlValues.now(clock);
                for (long id : changes.stream().map(OutboundChange::outboxId).distinct().toList()) {
                    fail(connection, id, error, false, now);
                }
                return null;
            });
        } finally {
            landed(target, changes);
        }
    }

    /** One failed attempt of row {@code id}: DEAD after the last attempt, or at once when {@code final_}. */
    private void fail(Connection connection, long id, String error, boolean final_, Instant now) throws SQLException {
        int attempts;
        try (PreparedStatement select = connection.prepareStatement("SELECT attempts FROM sync_outbox WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                attempts = rs.next() ? rs.getInt(1) + 1 : 1;
            }
        }
        long delay = Math.min(settings.retryMaxDelay().toMillis(), settings.retryDelay().toMillis() << Math.min(attempts - 1, 20));
        update(connection, "UPDATE sync_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?"
                        // a row replaced meanwhile is gone (its customer merged into another), a dead one stays so
                        + " AND status IN ('PENDING', 'FAILED')",
                final_ || attempts >= settings.maxAttempts() ? "DEAD" : "FAILED", attempts,
                SqlValues.timestamp(now.plusMillis(delay)), truncate(error), id);
    }

    /** The canonical fields a target holds, of those its mapping writes: all but the key. */
    private static Set<CanonicalField> held(Set<CanonicalField> fields) {
        Set<CanonicalField> held = EnumSet.noneOf(CanonicalField.class);
        held.addAll(fields);
        held.remove(CanonicalField.SOURCE_KEY);
        return held;
    }

    /**
     * The golden record each of {@code ids} is part of now: itself, or the one it was merged into while a write of it
     * was in flight, whose record in the target that write is. Outside H2's store lock, their rows are locked (FOR SHARE,
     * in id order) until the write is recorded: a merge marks the merged row first ({@link GoldenRecords}), so it either
     * commits before this read, which then names the survivor, or waits for the recording to commit and then moves its
     * {@code sync_state} rows to the survivor; unlocked, each missed the other's uncommitted rows, and a record the hub
     * wrote stayed with a merged golden record, to be created again in the target.
     */
    private static Map<String, String> survivors(Connection connection, List<String> ids) throws SQLException {
        Map<String, String> mergedInto = new HashMap<>();
        String end = h2(connection) ? ")" : ") ORDER BY id FOR SHARE";
        Set<String> asked = new TreeSet<>(ids);
        while (!asked.isEmpty()) {
            Map<String, String> found = new HashMap<>();
            Transactions.forEachChunk(connection, "SELECT id, status, merged_into FROM customer WHERE id IN (", end, null,
                    List.copyOf(asked), rs -> {
                        if ("MERGED".equals(rs.getString(2))) {
                            found.put(rs.getString(1), rs.getString(3));
                        }
                    });
            mergedInto.putAll(found);
            asked = new TreeSet<>(found.values());
        }
        Map<String, String> survivors = new HashMap<>();
        for (String id : ids) {
            String survivor = id;
            while (mergedInto.containsKey(survivor)) {
                survivor = mergedInto.get(survivor);
            }
            survivors.put(id, survivor);
        }
        return survivors;
    }

    /**
     * Keeps the written hash of each written target record: one batched update, one batched insert of those not yet known.
     * When each group's value was read comes from {@link #due}, which read it with the row; it is read again only for a
     * row this hub did not hand out.
     */
    private void remember(Connection connection, List<OutboundChange> written, Set<CanonicalField> fields, boolean applied,
                          Instant now) throws SQLException {
        if (written.isEmpty()) {
            return;
        }
        Map<String, String> owners = survivors(connection, written.stream().map(OutboundChange::customerId).toList());
        Set<CanonicalField> held = held(fields);
        Map<Long, Map<FieldGroup, Instant>> times = new HashMap<>();
        List<Long> unknown = new ArrayList<>();
        for (long id : written.stream().map(OutboundChange::outboxId).distinct().toList()) {
            Map<FieldGroup, Instant> known = handedLineage.get(id);
            if (known != null) {
                times.put(id, known);
            } else {
                unknown.add(id);
            }
        }
        Transactions.forEachChunk(connection, "SELECT o.id, c.lineage FROM sync_outbox o JOIN sync_change c ON c.id = o.change_id"
                + " WHERE o.id IN (", null, unknown, rs -> times.put(rs.getLong(1), GroupEdits.lineageTimes(rs.getString(2))));
        Map<String, List<GroupEdits.Write>> before = new HashMap<>();
        Transactions.forEachChunk(connection, "SELECT target_key, written_values, written_at FROM sync_state"
                + " WHERE (target, target_key) IN (", written.get(0).target(), written.stream().map(OutboundChange::targetKey).distinct().toList(),
                rs -> {
                    GroupEdits.Written last = GroupEdits.written(rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant());
                    before.put(rs.getString(1), last == null ? List.of() : last.writes());
                });
        Map<String, String> values = new HashMap<>();
        for (OutboundChange change : written) {
            List<GroupEdits.Write> writes = new ArrayList<>();
            writes.add(new GroupEdits.Write(change.values(), change.changedAt(), times.getOrDefault(change.outboxId(), Map.of()),
                    applied));
            writes.addAll(before.getOrDefault(change.targetKey(), List.of()));
            values.put(change.targetKey(), GroupEdits.writtenJson(held, writes));
        }
        // the records the hub wrote before are updated, the others inserted: the read above tells which, so neither is
        // tried in vain (an update per record, then an insert of those it missed, was two statements per write)
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (OutboundChange change : written) {
            String owner = owners.get(change.customerId());
            String hash = hash(change.values(), fields);
            String json = values.get(change.targetKey());
            if (before.containsKey(change.targetKey())) {
                updates.add(new Object[] {owner, hash, SqlValues.timestamp(now), change.outboxId(), json, change.target(),
                        change.targetKey()});
            } else {
                before.put(change.targetKey(), List.of());
                inserts.add(new Object[] {change.target(), change.targetKey(), owner, hash, SqlValues.timestamp(now),
                        change.outboxId(), json});
            }
        }
        // inserts first: a record written twice in one delivery is inserted, then updated to the later write
        Transactions.executeBatch(connection, "INSERT INTO sync_state (target, target_key, customer_id, written_hash, written_at,"
                + " outbox_id, written_values) VALUES (?, ?, ?, ?, ?, ?, ?)", inserts);
        Transactions.executeBatch(connection, "UPDATE sync_state SET customer_id = ?, written_hash = ?, written_at = ?,"
                + " outbox_id = ?, written_values = ? WHERE target = ? AND target_key = ?", updates);
    }

    /**
     * Marks the pending rows of {@code target} for {@code customerIds} (just enqueued by a re-export) as forced: delivered
     * to every record of the customer there, even one known to hold the values.
     */
    void force(Connection connection, String target, List<String> customerIds) throws SQLException {
        Transactions.updateEachChunk(connection, "UPDATE sync_outbox SET forced = TRUE WHERE target = ? AND status = 'PENDING'"
                + " AND customer_id IN (", customerIds, target);
    }

    /**
     * Deletes the changes ({@code sync_change}) that no outbox row names any more: delivered, skipped by echo
     * suppression, replaced by a newer change of the same customer, or given way to a merge. Only changes made more than
     * {@link #CHANGE_KEPT} ago are looked at: a change is named only by rows written in its own transaction, so one that
     * no row names that long after it was made stays so, and the rows that name changes are read once, before them. One
     * transaction per page of {@value #PURGE_PAGE} changes, read along the primary key (time-ordered ids); returns how
     * many were deleted.
     */
    public int purgeChanges() {
        // the smallest id of a change made at the cutoff: the 48 bits of milliseconds, then nothing
        String madeBefore = new UUID((clock.millis() - CHANGE_KEPT.toMillis()) << 16, 0).toString();
        Set<String> named = new HashSet<>();
        Transactions.inTransaction(dataSource, "read the changes the sync outbox names", connection -> {
            try (Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("SELECT DISTINCT change_id FROM sync_outbox")) {
                while (rs.next()) {
                    named.add(rs.getString(1));
                }
            }
            return null;
        });
        Predicate<String> unnamed = id -> !named.contains(id);
        int deleted = 0;
        String after = "";
        while (true) {
            String from = after;
            // a page read and its unnamed changes deleted in one transaction
            List<String> page = Transactions.inTransaction(dataSource, "purge delivered sync changes", connection -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT id FROM sync_change WHERE id > ? AND id < ?"
                        + " ORDER BY id FETCH FIRST " + PURGE_PAGE + " ROWS ONLY")) {
                    select.setString(1, from);
                    select.setString(2, madeBefore);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                        }
                    }
                }
                Transactions.updateEachChunk(connection, "DELETE FROM sync_change WHERE id IN (",
                        ids.stream().filter(unnamed).toList());
                return ids;
            });
            if (page.isEmpty()) {
                if (deleted > 0) {
                    LOG.info("Purged {} delivered sync changes", String.format("%,d", deleted));
                }
                return deleted;
            }
            deleted += (int) page.stream().filter(unnamed).count();
            after = page.get(page.size() - 1);
        }
    }

    /** Puts the {@code DEAD} rows of {@code target} back to be delivered again; returns how many. */
    public int retryDead(String target) {
        return inTransaction("retry the dead sync rows of " + target, connection -> update(connection,
                "UPDATE sync_outbox SET status = 'FAILED', attempts = 0, next_attempt_at = ? WHERE target = ? AND status = 'DEAD'",
                SqlValues.timestamp(SqlValues.now(clock)), target));
    }

    /** Whether {@code target} has a change waiting for its first delivery: one index entry read, however long the backlog. */
    public boolean hasPending(String target) {
        return Transactions.inTransaction(dataSource, "look for pending sync rows of " + target, connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT 1 FROM sync_outbox WHERE target = ? AND status = 'PENDING' FETCH FIRST 1 ROW ONLY")) {
                select.setString(1, target);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    /** The undelivered rows of {@code target}. */
    public Backlog backlog(String target) {
        return Transactions.inTransaction(dataSource, "count the sync backlog of " + target, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT"
                    + " SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN status = 'DEAD' THEN 1 ELSE 0 END), MIN(created_at)"
                    + " FROM sync_outbox WHERE target = ? AND status IN ('PENDING', 'FAILED', 'DEAD')")) {
                select.setString(1, target);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    OffsetDateTime oldest = rs.getObject(4, OffsetDateTime.class);
                    return new Backlog(rs.getLong(1), rs.getLong(2), rs.getLong(3), oldest == null ? null : oldest.toInstant());
                }
            }
        });
    }

    /** A {@code sync_change.payload} read back: canonical texts by field. */
    private static Map<CanonicalField, String> values(String payload) {
        try {
            Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
            JSON.readValue(payload, STRING_MAP).forEach((key, value) -> values.put(CanonicalField.of(key), value));
            return values;
        } catch (JsonProcessingException e) {
            throw new StoreException("unreadable sync_change payload: " + e.getMessage(), e);
        }
    }

    private static String truncate(String error) {
        return error == null ? null : error.length() > 2000 ? error.substring(0, 2000) : error;
    }

    private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
        return Transactions.update(connection, sql, parameters);
    }

    /**
     * A transaction that changes outbox rows. On H2 it holds the store's write lock, as the merge stage's changes do: a row
     * both deleted as delivered here and as replaced there at once had H2 retrying the conflicting statement for minutes (the
     * long form of KillPointsIT), and both take their turns. PostgreSQL makes the second writer of a row wait for the
     * first and breaks deadlocks, which {@link Transactions} retries: there the targets deliver beside each other and
     * beside the ingest and the merge stage, which held the three of them back behind one lock (a third of a delivery
     * route's time at 100k records), and the rows each reads are its own by their row locks ({@link #lockClause}) and
     * claims; the golden records whose writes it records are locked by {@link #survivors}.
     */
    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, what, connection -> {
            if (h2(connection)) {
                Transactions.lock(connection);
            }
            return work.run(connection);
        });
    }

    private static boolean h2(Connection connection) throws SQLException {
        return connection.getMetaData().getURL().startsWith("jdbc:h2:");
    }
}
