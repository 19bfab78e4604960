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
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * The changes bound for the targets: a log ({@code sync_change}) that each target reads in order from a cursor of its
 * own ({@code sync_cursor}), its exceptions ({@code sync_outbox}), and what each target holds ({@code sync_state}).
 * Every change of a golden record is written to the log once, in the transaction of the change, numbered under the
 * store's write lock: a change is delivered if and only if it is committed, and the log's order is the order of the
 * commits, so a cursor never steps over a change committed after it moved. A target's sync route reads the changes
 * after its cursor, sends each customer's newest (its whole state) and moves the cursor in the transaction that
 * records the deliveries: a target never gets an older state after a newer one, and a crash before that transaction
 * sends the batch again.
 *
 * <p>A change that is not delivered when read becomes a row of the outbox for its target: it failed ({@code FAILED},
 * retried with back-off, {@code DEAD} after the last attempt) or was not created because the target takes no new
 * customers ({@code SKIPPED}); rows from before the log ({@code PENDING}) are delivered from there too. A newer change
 * of the customer replaces those rows. The delivered changes write nothing but the cursor: an outbox row written per
 * change and target, then deleted, took a load of 100k records with sync from 1.43 to 1.83 GB written to an H2 store
 * file, and from 3,500 commits to 8,200.
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
     * @param hub         the name of this hub among those sharing the store: the owner of its claims on targets
     */
    public record Settings(int maxAttempts, Duration retryDelay, Duration retryMaxDelay, Duration createDelay, String hub) {
        public static final Settings DEFAULTS = new Settings(10, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ZERO);

        /**
         * Settings of a hub without a stable name: a name of its own, so that after a crash its claims run out rather
         * than being taken back by its restart.
         */
        public Settings(int maxAttempts, Duration retryDelay, Duration retryMaxDelay, Duration createDelay) {
            this(maxAttempts, retryDelay, retryMaxDelay, createDelay, "unnamed-" + UUID.randomUUID());
        }
    }

    /**
     * A golden record after a change: what the log carries.
     *
     * @param heldBy a target known to hold these values already (the source of a golden record's only
     *               record), which does not get the change: echo suppression would only skip it; or null
     * @param onlyTo the targets that get the change (their records disagree with a golden record that did not
     *               change); null for every target
     * @param lineage the golden record's lineage ({@code customer.lineage} JSON): when each group's value was read
     */
    record GoldenChange(String customerId, CustomerRecord values, String status, String heldBy, Set<String> onlyTo,
                        String lineage) {
    }

    /** What is not yet delivered to one target, for metrics and the status page. */
    public record Backlog(long pending, long failed, long dead, Instant oldestUnsent) {
    }

    /**
     * How long a target is claimed by the hub that read a batch of its changes: no other hub on the store delivers to
     * it until the batch is recorded or released, or this long has passed (the hub died). A hub that restarts under
     * its name ({@link Settings#hub()}) takes its own claims back at once.
     */
    static final Duration CLAIM = Duration.ofSeconds(60);
    /**
     * How old a change must be before {@link #purgeChanges} may delete it: far longer than any transaction that writes
     * one lasts (a writer waits for the store's lock ten minutes at most), and than the clocks of hubs on one store differ.
     */
    static final Duration CHANGE_KEPT = Duration.ofHours(1);
    private static final int PURGE_PAGE = 10_000;
    /**
     * Pages of the log {@link #due} reads at most in one call while it finds nothing to send: the changes of a load read
     * from one source are all held by it, and a call that returns nothing ends its route's cycle.
     */
    private static final int EMPTY_PAGES = 100;
    private static final Logger LOG = LoggerFactory.getLogger(SyncOutbox.class);

    private final DataSource dataSource;
    private final Supplier<Set<String>> targets;
    private final Settings settings;
    private final Clock clock;
    private final PlannerStatistics statistics;
    /** The targets whose cursor is known to exist: {@link #enqueue} opens the others'. */
    private final Set<String> cursors = ConcurrentHashMap.newKeySet();
    /** What {@link #due} handed each target's writer last, until its outcome is recorded. */
    private final Map<String, Batch> batches = new ConcurrentHashMap<>();
    /** The writes handed out by {@link #due} and not yet recorded, by target record (see {@link #inFlight}). */
    private final Map<InFlightKey, InFlight> inFlight = new ConcurrentHashMap<>();

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

    /** Writes each change to the log for every target, inside the caller's transaction, which holds the store's lock. */
    void enqueue(Connection connection, List<GoldenChange> changes, Instant now) throws SQLException {
        enqueue(connection, changes, now, false);
    }

    /**
     * Writes {@code changes} (each only to one target) to the log forced: delivered to every record of the customer
     * there, even one known to hold the values (an operator's re-export).
     */
    void reexport(Connection connection, List<GoldenChange> changes, Instant now) throws SQLException {
        enqueue(connection, changes, now, true);
    }

    /**
     * The changes are numbered from the store sequence of changes ({@code store_lock} row {@code changes}), which the
     * caller's store lock keeps in commit order. The outbox rows of their customers in the targets they go to give way
     * to them. A change goes to the target that holds its values too ({@code held_by}): that target is sent nothing,
     * but the change passes over its older ones there, which would otherwise take it back to an older state.
     */
    private void enqueue(Connection connection, List<GoldenChange> changes, Instant now, boolean forced) throws SQLException {
        Set<String> receivers = targets.get();
        if (changes.isEmpty() || receivers.isEmpty()) {
            return;
        }
        openCursors(connection, receivers);
        // read first, as most customers of a load have none: a customer new to the outbox costs no statement
        Map<TargetCustomer, List<OpenRow>> open = undelivered(connection,
                changes.stream().map(GoldenChange::customerId).distinct().toList());
        List<Object[]> givingWay = new ArrayList<>();
        List<Object[]> logged = new ArrayList<>();
        long seq = Transactions.sequence(connection, "changes");
        for (GoldenChange change : changes) {
            Set<String> to = receivers(change, receivers);
            if (to.isEmpty()) {
                continue;
            }
            for (String target : to) {
                open.getOrDefault(new TargetCustomer(target, change.customerId()), List.of())
                        .forEach(row -> givingWay.add(new Object[] {row.id()}));
            }
            logged.add(new Object[] {CHANGE_IDS.next().toString(), ++seq, change.customerId(), change.status(),
                    payload(change.values()), change.lineage(), SqlValues.timestamp(now),
                    change.onlyTo() == null ? null : "," + String.join(",", to) + ",",
                    change.heldBy() != null && to.contains(change.heldBy()) ? change.heldBy() : null, forced});
        }
        Transactions.executeBatch(connection, "DELETE FROM sync_outbox WHERE id = ? AND status IN ('PENDING', 'FAILED', 'DEAD')",
                givingWay);
        Transactions.executeBatch(connection, "INSERT INTO sync_change (id, seq, customer_id, customer_status, payload, lineage,"
                + " created_at, only_to, held_by, forced) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", logged);
        if (!logged.isEmpty()) {
            Transactions.advance(connection, "changes", seq);
        }
    }

    /**
     * Gives each of {@code receivers} without a cursor one at the end of the log, so that it gets the changes from
     * this transaction's on: under the store's lock, as the log's numbers are given.
     */
    private void openCursors(Connection connection, Set<String> receivers) throws SQLException {
        if (cursors.containsAll(receivers)) {
            return;
        }
        Set<String> missing = new TreeSet<>(receivers);
        try (Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT target FROM sync_cursor")) {
            while (rs.next()) {
                cursors.add(rs.getString(1));
                missing.remove(rs.getString(1));
            }
        }
        Transactions.executeBatch(connection, "INSERT INTO sync_cursor (target, seq) SELECT ?, seq FROM store_lock"
                + " WHERE name = 'changes'", missing.stream().map(target -> new Object[] {target}).toList());
    }

    /** A customer in one target. */
    private record TargetCustomer(String target, String customerId) {
    }

    /** An undelivered outbox row (PENDING, FAILED or DEAD): the change of sequence number {@code seq}. */
    private record OpenRow(long id, long seq) {
    }

    /**
     * The undelivered rows of {@code customers} by target and customer, in the log's order: along the index that leads
     * with {@code customer_id}, one query per chunk, which for most customers finds none.
     */
    private static Map<TargetCustomer, List<OpenRow>> undelivered(Connection connection, List<String> customers)
            throws SQLException {
        Map<TargetCustomer, List<OpenRow>> open = new HashMap<>();
        Transactions.forEachChunk(connection, UNDELIVERED, null, customers, rs -> open.computeIfAbsent(
                new TargetCustomer(rs.getString(2), rs.getString(3)), key -> new ArrayList<>())
                .add(new OpenRow(rs.getLong(1), rs.getLong(4))));
        open.values().forEach(rows -> rows.sort(Comparator.comparingLong(OpenRow::seq)));
        return open;
    }

    static final String UNDELIVERED = "SELECT o.id, o.target, o.customer_id, c.seq FROM sync_outbox o"
            + " JOIN sync_change c ON c.id = o.change_id WHERE o.status IN ('PENDING', 'FAILED', 'DEAD') AND o.customer_id IN (";

    /**
     * Golden record {@code merged} became part of {@code survivor} (inside the merge's transaction): the target records
     * the hub wrote for it are the survivor's now, updated rather than created again; its undelivered changes give way
     * to the survivor's (the ones still in the log are passed over, see {@link #due}); and the survivor's values, as
     * they stand, go to every target, since a record there of either may hold the other's values. The merge stage's
     * recompute logs another change if the values then change.
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
     * The next changes due for {@code target}: each customer's newest change, of those after the target's cursor in
     * the log (at most {@code limit} read) and those in its outbox rows whose back-off has passed, each expanded to the
     * target's records of that customer (or one new record keyed by the golden id). A change whose every record holds
     * the values already is not returned; nor is the change of a golden record merged into another since, whose
     * survivor's change follows it. Where several hubs share the store, the target is claimed for {@link #CLAIM}:
     * another hub reading at the same time gets nothing for it. What is returned is recorded by {@link #delivered},
     * {@link #unreachable} or {@link #release}; the cursor moves when it is delivered.
     *
     * @param fields  the canonical fields the target holds, for echo suppression
     * @param creates whether the target takes customers it does not hold: if not, a change that would create
     *                one is recorded {@code SKIPPED} (with the reason in {@code last_error}) and not returned
     */
    public List<OutboundChange> due(String target, Set<CanonicalField> fields, int limit, boolean creates) {
        Batch batch = inTransaction("read the sync changes of " + target, connection -> {
            Instant now = SqlValues.now(clock);
            Long from = claim(connection, target, now);
            if (from == null) {
                return null;
            }
            Batch read = read(connection, target, fields, from, limit, creates, now);
            if (read.handed().isEmpty()) {
                record(connection, target, read, now);
                return null;
            }
            return read;
        });
        if (batch == null) {
            batches.remove(target);
            return List.of();
        }
        batches.put(target, batch);
        Set<CanonicalField> held = held(fields);
        List<OutboundChange> due = new ArrayList<>();
        for (Handed handed : batch.handed().values()) {
            due.addAll(handed.writes());
            for (OutboundChange change : handed.writes()) {
                inFlight.put(new InFlightKey(target, change.targetKey()), new InFlight(change.customerId(), change.created(),
                        new GroupEdits.Written(held, List.of(new GroupEdits.Write(change.values(), change.changedAt(),
                                handed.lineage(), false)), SqlValues.now(clock))));
            }
        }
        return due;
    }

    /**
     * The position of the target's cursor, claimed for this hub where hubs may share the store; null when the target
     * has none yet (no change was logged since it became one) or another hub's claim holds it.
     */
    private Long claim(Connection connection, String target, Instant now) throws SQLException {
        boolean shared = sharedStore(connection);
        long seq;
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, claimed_by, claimed_until FROM sync_cursor"
                + " WHERE target = ?" + (shared ? " FOR UPDATE" : ""))) {
            select.setString(1, target);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                seq = rs.getLong(1);
                String owner = rs.getString(2);
                OffsetDateTime until = rs.getObject(3, OffsetDateTime.class);
                if (owner != null && !owner.equals(settings.hub()) && until != null && until.toInstant().isAfter(now)) {
                    return null;
                }
            }
        }
        if (shared) {
            update(connection, "UPDATE sync_cursor SET claimed_by = ?, claimed_until = ? WHERE target = ?", settings.hub(),
                    SqlValues.timestamp(now.plus(CLAIM)), target);
        }
        return seq;
    }

    /**
     * A batch read for delivery: the cursor position it reaches once recorded ({@code end}), the changes handed to the
     * writer by sequence number, and the changes of the log that become {@code SKIPPED} outbox rows when it is
     * recorded, as the target takes no new customer.
     */
    private record Batch(long end, Map<Long, Handed> handed, List<Row> notCreated) {
    }

    /** A change handed to the writer: its row (of the log, or of the outbox), its writes and its lineage's times. */
    private record Handed(Row row, List<OutboundChange> writes, Map<FieldGroup, Instant> lineage) {
    }

    /**
     * A change read for delivery: of the log ({@code outboxRow} null) or of an outbox row of the target; {@code held}
     * when the target holds its values already.
     */
    private record Row(long seq, String changeId, Long outboxRow, String customerId, String status, String payload,
                       Instant createdAt, String lineage, boolean forced, boolean held) {
    }

    /** The changes read for a delivery, one per customer, and how far they reach in the log. */
    private record Newest(long end, Map<String, Row> rows) {
    }

    /**
     * Each customer's newest change for {@code target} that it does not hold already: of the log after the cursor
     * ({@code from}), else of its due outbox rows. The outbox rows they replace are added to {@code gone}.
     */
    private static Newest newest(Connection connection, String target, long from, int limit, Instant now, List<Long> gone)
            throws SQLException {
        // each customer's newest change: of the log after the cursor, else of its due outbox rows
        Map<String, Row> newest = new LinkedHashMap<>();
        List<Row> due = dueRows(connection, target, now, limit);
        due.forEach(row -> newest.merge(row.customerId(), row, (a, b) -> a.seq() >= b.seq() ? a : b));
        long end = from;
        for (int page = 0; page < EMPTY_PAGES && limit > due.size()
                && (page == 0 || newest.values().stream().allMatch(Row::held)); page++) {
            LogPage read = readLog(connection, target, end, limit - due.size(), newest);
            end = read.end();
            if (read.rows() < limit - due.size()) {
                break;
            }
        }
        // the outbox rows a newer change replaces: of the customer, read along the index on customer_id
        Map<TargetCustomer, List<OpenRow>> open = undelivered(connection, List.copyOf(newest.keySet()));
        for (Row row : List.copyOf(newest.values())) {
            for (OpenRow openRow : open.getOrDefault(new TargetCustomer(target, row.customerId()), List.of())) {
                if (openRow.seq() < row.seq()) {
                    gone.add(openRow.id());
                } else if (openRow.seq() > row.seq()) {
                    // a newer change waits in the outbox (failed, or dead): this one is older
                    newest.remove(row.customerId());
                    if (row.outboxRow() != null) {
                        gone.add(row.outboxRow());
                    }
                }
            }
        }
        // a change the target holds the values of passes over the older ones above, and is not sent; and a change with
        // a newer one for the target further on in the log is passed over too: a target gets a customer's newest state
        // (an older one sent first, of a customer whose record in the target joined it since, overwrote that record
        // with values the golden record no longer had)
        Set<String> newer = new HashSet<>();
        long last = end;
        Transactions.forEachChunk(connection, NEWER, null, List.copyOf(newest.keySet()), rs -> {
            String onlyTo = rs.getString(3);
            if (rs.getLong(2) > last && (onlyTo == null || onlyTo.contains("," + target + ","))) {
                newer.add(rs.getString(1));
            }
        });
        for (String customer : newer) {
            Row row = newest.remove(customer);
            if (row.outboxRow() != null) {
                gone.add(row.outboxRow());
            }
        }
        newest.values().removeIf(Row::held);
        return new Newest(end, newest);
    }

    /**
     * The batch of {@link #due}: the {@link #newest} changes, each expanded to the target's records and handed out,
     * passed over (the target holds its values, or its golden record was merged away), recorded {@code SKIPPED}, or
     * left to wait for the create delay, which stops the cursor before it.
     */
    private Batch read(Connection connection, String target, Set<CanonicalField> fields, long from, int limit, boolean creates,
                       Instant now) throws SQLException {
        List<Long> gone = new ArrayList<>();
        Newest candidates = newest(connection, target, from, limit, now, gone);
        Map<String, Row> newest = candidates.rows();
        long end = candidates.end();
        Set<String> customers = newest.keySet();
        Map<String, Map<String, Held>> read = readHashes(connection, target, customers, fields);
        Map<String, Map<String, Held>> written = writtenHashes(connection, target, customers);
        Map<Row, List<OutboundChange>> expanded = new LinkedHashMap<>();
        List<String> creating = new ArrayList<>();
        for (Row row : newest.values()) {
            List<OutboundChange> changes = expand(target, row, fields,
                    read.getOrDefault(row.customerId(), Map.of()), written.getOrDefault(row.customerId(), Map.of()));
            expanded.put(row, changes);
            if (changes.size() == 1 && changes.get(0).created()) {
                creating.add(row.customerId());
            }
        }
        // a change of a golden record merged since: its records are the survivor's now, which has its own change
        Set<String> merged = new HashSet<>();
        Transactions.forEachChunk(connection, "SELECT id FROM customer WHERE status = 'MERGED' AND id IN (", null, creating,
                rs -> merged.add(rs.getString(1)));
        Instant createdBefore = now.minus(settings.createDelay());
        Map<Long, Handed> handed = new LinkedHashMap<>();
        long waiting = Long.MAX_VALUE;
        List<Row> notCreated = new ArrayList<>();
        List<Long> skipped = new ArrayList<>();
        for (Map.Entry<Row, List<OutboundChange>> entry : expanded.entrySet()) {
            Row row = entry.getKey();
            List<OutboundChange> changes = entry.getValue();
            boolean wouldCreate = changes.size() == 1 && changes.get(0).created();
            if (changes.isEmpty() || wouldCreate && merged.contains(row.customerId())) {
                if (row.outboxRow() != null) {
                    gone.add(row.outboxRow());
                }
            } else if (wouldCreate && !creates) {
                if (row.outboxRow() != null) {
                    skipped.add(row.outboxRow());
                } else {
                    notCreated.add(row);
                }
            } else if (wouldCreate && row.createdAt().isAfter(createdBefore)) {
                // not yet: see Settings.createDelay
                if (row.outboxRow() == null) {
                    waiting = Math.min(waiting, row.seq());
                }
            } else {
                handed.put(row.seq(), new Handed(row, changes, GroupEdits.lineageTimes(row.lineage())));
            }
        }
        Transactions.updateEachChunk(connection, "DELETE FROM sync_outbox WHERE status IN ('PENDING', 'FAILED', 'DEAD')"
                + " AND id IN (", gone);
        Transactions.updateEachChunk(connection, "UPDATE sync_outbox SET status = 'SKIPPED', sent_at = ?, last_error = ?"
                + " WHERE id IN (", skipped, SqlValues.timestamp(now), NOT_CREATED);
        if (waiting != Long.MAX_VALUE) {
            // the cursor stops before the first change of the log that waits, and the ones after it wait with it, for
            // the create delay at most: written to the outbox instead, nearly every create of a load would have cost a row
            long stop = waiting;
            handed.keySet().removeIf(seq -> seq >= stop);
            notCreated.removeIf(row -> row.seq() >= stop);
            end = Math.min(end, stop - 1);
        }
        return new Batch(end, handed, notCreated);
    }

    private static final String NOT_CREATED = "not created: the target takes no new customers (create: never)";

    /** The changes of a list of customers, along the index on {@code (customer_id, seq)}. */
    static final String NEWER = "SELECT customer_id, seq, only_to FROM sync_change WHERE customer_id IN (";

    /** The changes after a cursor ({@code ?}), at most {@code ?}, along the index on {@code seq}. */
    static final String LOG_PAGE = "SELECT seq, id, customer_id, customer_status, payload, lineage, created_at, only_to,"
            + " held_by, forced FROM sync_change WHERE seq > ? ORDER BY seq FETCH FIRST ? ROWS ONLY";

    /** How far a page of the log reached, and how many changes it held. */
    private record LogPage(long end, int rows) {
    }

    /**
     * Reads up to {@code limit} changes of the log after {@code after}, along its index on {@code seq}, and keeps in
     * {@code newest} those for {@code target} (a customer's later change in the place of its earlier one).
     */
    private static LogPage readLog(Connection connection, String target, long after, int limit, Map<String, Row> newest)
            throws SQLException {
        long end = after;
        int rows = 0;
        try (PreparedStatement select = connection.prepareStatement(LOG_PAGE)) {
            select.setLong(1, after);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    end = rs.getLong(1);
                    String onlyTo = rs.getString(8);
                    if (onlyTo == null || onlyTo.contains("," + target + ",")) {
                        Row row = new Row(end, rs.getString(2), null, rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(6), rs.getBoolean(10),
                                target.equals(rs.getString(9)));
                        newest.remove(row.customerId());
                        newest.put(row.customerId(), row);
                    }
                }
            }
        }
        return new LogPage(end, rows);
    }

    /**
     * Records what reading {@code batch} leaves in the store: the changes not created become outbox rows, and the
     * target's cursor moves past it and is no longer claimed. In the transaction that records the deliveries.
     */
    private void record(Connection connection, String target, Batch batch, Instant now) throws SQLException {
        Transactions.executeBatch(connection, "INSERT INTO sync_outbox (target, customer_id, change_id, status, attempts,"
                + " next_attempt_at, created_at, sent_at, last_error) VALUES (?, ?, ?, 'SKIPPED', 0, ?, ?, ?, ?)",
                batch.notCreated().stream().map(row -> new Object[] {target, row.customerId(), row.changeId(),
                        SqlValues.timestamp(now), SqlValues.timestamp(row.createdAt()), SqlValues.timestamp(now), NOT_CREATED})
                        .toList());
        update(connection, "UPDATE sync_cursor SET seq = ? WHERE target = ? AND seq < ?", batch.end(), target, batch.end());
        if (sharedStore(connection)) {
            update(connection, "UPDATE sync_cursor SET claimed_by = NULL, claimed_until = NULL WHERE target = ? AND claimed_by = ?",
                    target, settings.hub());
        }
    }

    /**
     * The first {@code limit} due outbox rows of {@code target} in id order: one query per status, each walking
     * the index (target, status, id) in order and stopping at the limit, so that a call costs the rows it
     * returns, not the whole backlog.
     */
    private static List<Row> dueRows(Connection connection, String target, Instant now, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (String status : List.of("PENDING", "FAILED")) {
            try (PreparedStatement select = connection.prepareStatement(DUE_ROWS)) {
                select.setMaxRows(limit);
                select.setString(1, target);
                select.setString(2, status);
                select.setString(3, status);
                select.setObject(4, SqlValues.timestamp(now));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getString(8),
                                rs.getBoolean(9), false));
                    }
                }
            }
        }
        rows.sort(Comparator.comparingLong(Row::outboxRow));
        return rows.size() <= limit ? rows : new ArrayList<>(rows.subList(0, limit));
    }

    /**
     * The due rows of one target ({@code ?}) and status ({@code ?}, twice), in id order. The status is a range of the
     * index (target, status, id) rather than an equality: with {@code status = ?}, PostgreSQL may read the rows in id
     * order along the primary key instead and filter them, which costs every row before the first due one. The order
     * (status, id) is one only that index gives. The ORDER BY names the index's columns: H2 walks an index in order
     * only when told so.
     */
    static final String DUE_ROWS = "SELECT c.seq, c.id, o.id, o.customer_id, c.customer_status, c.payload, o.created_at,"
            + " c.lineage, c.forced FROM sync_outbox o JOIN sync_change c ON c.id = o.change_id"
            + " WHERE o.target = ? AND (o.status, o.id) > (?, 0) AND (o.status, o.id) < (?, " + Long.MAX_VALUE + ")"
            + " AND o.next_attempt_at <= ? ORDER BY o.target, o.status, o.id";

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
     * The writes of one change: one per record of the customer in the target, less those that hold the values,
     * each based on the source's own time of that record as the hub last read it.
     */
    private static List<OutboundChange> expand(String target, Row row, Set<CanonicalField> fields,
                                               Map<String, Held> readHashes, Map<String, Held> writtenHashes) {
        // the target's own records of this customer; else the one the hub created there; else a new one
        Set<String> keys = !readHashes.isEmpty() ? readHashes.keySet()
                : !writtenHashes.isEmpty() ? writtenHashes.keySet() : Set.of(row.customerId());
        boolean created = readHashes.isEmpty() && writtenHashes.isEmpty();
        Map<CanonicalField, String> values = values(row.payload());
        String hash = hash(values, fields);
        List<OutboundChange> changes = new ArrayList<>();
        for (String key : keys) {
            Held read = readHashes.get(key);
            Held written = writtenHashes.get(key);
            // what the record holds now: what the hub read there, or wrote there since
            Held holds = written == null || read != null && !read.hubAt().isBefore(written.hubAt()) ? read : written;
            if (row.forced() || holds == null || !hash.equals(holds.hash())) {
                changes.add(new OutboundChange(row.seq(), target, row.customerId(), key, created,
                        "DELETED".equals(row.status()), values, row.createdAt(), read == null ? null : read.at()));
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

    /** The batch {@link #due} handed out for {@code changes}, now recorded; null when it handed them out in no batch. */
    private Batch landed(String target, List<OutboundChange> changes) {
        changes.forEach(change -> inFlight.remove(new InFlightKey(target, change.targetKey())));
        Batch batch = batches.remove(target);
        return batch != null && changes.stream().allMatch(change -> batch.handed().containsKey(change.changeSeq())) ? batch : null;
    }

    /**
     * Records what became of {@code changes} (as {@link #due} returned them), one outcome each, and moves the target's
     * cursor past the batch they came in: the written records' values are kept (under the key the target assigned to a
     * record it created, when it did), and a change with a failed write becomes a {@code FAILED} outbox row (retried
     * after a doubling back-off), or {@code DEAD} after {@code maxAttempts}, or at once when the target refused it for good.
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
        Batch batch = landed(target, changes);
        inTransaction("record sync deliveries to " + target, connection -> {
            Instant now = SqlValues.now(clock);
            Map<Long, WriteOutcome> failures = new LinkedHashMap<>();
            for (int i = 0; i < changes.size(); i++) {
                WriteOutcome outcome = outcomes.get(i);
                if (!outcome.written()) {
                    failures.merge(changes.get(i).changeSeq(), outcome, (a, b) -> new WriteOutcome(a.error() + "; " + b.error(),
                            a.final_() || b.final_(), null));
                }
            }
            List<OutboundChange> written = new ArrayList<>();
            Set<Long> sent = new LinkedHashSet<>();
            for (int i = 0; i < changes.size(); i++) {
                OutboundChange change = changes.get(i);
                if (outcomes.get(i).written()) {
                    String key = outcomes.get(i).assignedKey();
                    written.add(key == null ? change : new OutboundChange(change.changeSeq(), change.target(), change.customerId(),
                            key, change.created(), change.deleted(), change.values(), change.changedAt(), null));
                    if (!failures.containsKey(change.changeSeq())) {
                        sent.add(change.changeSeq());
                    }
                }
            }
            remember(connection, written, fields, applies, batch, now);
            // changes handed out in no batch (read again since) are left to that batch: the cursor did not move past them
            if (batch != null) {
                Transactions.updateEachChunk(connection, "DELETE FROM sync_outbox WHERE id IN (", sent.stream()
                        .map(seq -> batch.handed().get(seq).row().outboxRow()).filter(Objects::nonNull).toList());
                for (Map.Entry<Long, WriteOutcome> failure : failures.entrySet()) {
                    fail(connection, target, batch.handed().get(failure.getKey()).row(), failure.getValue().error(),
                            failure.getValue().final_(), now);
                }
                record(connection, target, batch, now);
            }
            return null;
        });
        statistics.delivered(changes.size());
    }

    /**
     * Gives back {@code changes} unwritten (the hub is stopping): the cursor stays, so they are read again, by this hub
     * or another, and the target is no longer claimed.
     */
    public void release(String target, List<OutboundChange> changes) {
        landed(target, changes);
        inTransaction("release the sync target " + target, connection -> {
            if (sharedStore(connection)) {
                update(connection, "UPDATE sync_cursor SET claimed_by = NULL, claimed_until = NULL WHERE target = ?"
                        + " AND claimed_by = ?", target, settings.hub());
            }
            return null;
        });
    }

    /** The target could not be reached: every change of {@code changes} failed one attempt. */
    public void unreachable(String target, List<OutboundChange> changes, String error) {
        Batch batch = landed(target, changes);
        if (batch == null) {
            return;
        }
        inTransaction("record failed sync deliveries to " + target, connection -> {
            Instant now = SqlValues.now(clock);
            for (Handed handed : batch.handed().values()) {
                fail(connection, target, handed.row(), error, false, now);
            }
            record(connection, target, batch, now);
            return null;
        });
    }

    /**
     * One failed attempt of the change in {@code row}: its outbox row is {@code FAILED} (retried after a doubling
     * back-off), {@code DEAD} after the last attempt or at once when {@code final_}; a change of the log gets one.
     */
    private void fail(Connection connection, String target, Row row, String error, boolean final_, Instant now)
            throws SQLException {
        int attempts = 1;
        if (row.outboxRow() != null) {
            try (PreparedStatement select = connection.prepareStatement("SELECT attempts FROM sync_outbox WHERE id = ?")) {
                select.setLong(1, row.outboxRow());
                try (ResultSet rs = select.executeQuery()) {
                    attempts = rs.next() ? rs.getInt(1) + 1 : 1;
                }
            }
        }
        long delay = Math.min(settings.retryMaxDelay().toMillis(), settings.retryDelay().toMillis() << Math.min(attempts - 1, 20));
        String status = final_ || attempts >= settings.maxAttempts() ? "DEAD" : "FAILED";
        if (row.outboxRow() == null) {
            update(connection, "INSERT INTO sync_outbox (target, customer_id, change_id, status, attempts, next_attempt_at,"
                    + " created_at, last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", target, row.customerId(), row.changeId(),
                    status, attempts, SqlValues.timestamp(now.plusMillis(delay)), SqlValues.timestamp(row.createdAt()),
                    truncate(error));
        } else {
            // a row replaced meanwhile is gone (a newer change of its customer), a dead one stays so
            update(connection, "UPDATE sync_outbox SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?"
                    + " AND status IN ('PENDING', 'FAILED')", status, attempts, SqlValues.timestamp(now.plusMillis(delay)),
                    truncate(error), row.outboxRow());
        }
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
     * When each group's value was read comes from the batch {@link #due} read it in; it is read again only for a
     * change this hub did not hand out in it.
     */
    private static void remember(Connection connection, List<OutboundChange> written, Set<CanonicalField> fields,
                                 boolean applied, Batch batch, Instant now) throws SQLException {
        if (written.isEmpty()) {
            return;
        }
        Map<String, String> owners = survivors(connection, written.stream().map(OutboundChange::customerId).toList());
        Set<CanonicalField> held = held(fields);
        Map<Long, Map<FieldGroup, Instant>> times = new HashMap<>();
        List<Long> unknown = new ArrayList<>();
        for (long seq : written.stream().map(OutboundChange::changeSeq).distinct().toList()) {
            Handed handed = batch == null ? null : batch.handed().get(seq);
            if (handed != null) {
                times.put(seq, handed.lineage());
            } else {
                unknown.add(seq);
            }
        }
        Transactions.forEachChunk(connection, "SELECT seq, lineage FROM sync_change WHERE seq IN (", null, unknown,
                rs -> times.put(rs.getLong(1), GroupEdits.lineageTimes(rs.getString(2))));
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
            writes.add(new GroupEdits.Write(change.values(), change.changedAt(), times.getOrDefault(change.changeSeq(), Map.of()),
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
                updates.add(new Object[] {owner, hash, SqlValues.timestamp(now), change.changeSeq(), json, change.target(),
                        change.targetKey()});
            } else {
                before.put(change.targetKey(), List.of());
                inserts.add(new Object[] {change.target(), change.targetKey(), owner, hash, SqlValues.timestamp(now),
                        change.changeSeq(), json});
            }
        }
        // inserts first: a record written twice in one delivery is inserted, then updated to the later write
        Transactions.executeBatch(connection, "INSERT INTO sync_state (target, target_key, customer_id, written_hash, written_at,"
                + " outbox_id, written_values) VALUES (?, ?, ?, ?, ?, ?, ?)", inserts);
        Transactions.executeBatch(connection, "UPDATE sync_state SET customer_id = ?, written_hash = ?, written_at = ?,"
                + " outbox_id = ?, written_values = ? WHERE target = ? AND target_key = ?", updates);
    }

    /**
     * Deletes the changes of the log ({@code sync_change}) that every target has read and no outbox row names: delivered,
     * skipped by echo suppression, replaced by a newer change of the same customer, or given way to a merge. Only changes
     * made more than {@link #CHANGE_KEPT} ago are looked at. An outbox row names a change only while a target has not read
     * past it (or since, as it did), so one behind every cursor that no row names stays so; the cursors, then the rows
     * that name changes, are read once, before the changes. One transaction per page of {@value #PURGE_PAGE} changes,
     * read along the primary key (time-ordered ids); returns how many were deleted.
     */
    public int purgeChanges() {
        // the smallest id of a change made at the cutoff: the 48 bits of milliseconds, then nothing
        String madeBefore = new UUID((clock.millis() - CHANGE_KEPT.toMillis()) << 16, 0).toString();
        Set<String> named = new HashSet<>();
        Set<String> receivers = targets.get();
        long read = Transactions.inTransaction(dataSource, "read the changes the sync outbox names", connection -> {
            long least = Long.MAX_VALUE;
            try (Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("SELECT target, seq FROM sync_cursor")) {
                while (rs.next()) {
                    if (receivers.contains(rs.getString(1))) {
                        least = Math.min(least, rs.getLong(2));
                    }
                }
            }
            try (Statement select = connection.createStatement();
                 ResultSet rs = select.executeQuery("SELECT DISTINCT change_id FROM sync_outbox")) {
                while (rs.next()) {
                    named.add(rs.getString(1));
                }
            }
            return least;
        });
        // a change a target has not read yet is kept, as one a row names
        Set<String> kept = new HashSet<>();
        Predicate<String> unnamed = id -> !named.contains(id) && !kept.contains(id);
        int deleted = 0;
        String after = "";
        while (true) {
            String from = after;
            // a page read and its unnamed changes deleted in one transaction
            List<String> page = Transactions.inTransaction(dataSource, "purge delivered sync changes", connection -> {
                List<String> ids = new ArrayList<>();
                List<String> unread = new ArrayList<>();
                try (PreparedStatement select = connection.prepareStatement("SELECT id, seq FROM sync_change WHERE id > ? AND id < ?"
                        + " ORDER BY id FETCH FIRST " + PURGE_PAGE + " ROWS ONLY")) {
                    select.setString(1, from);
                    select.setString(2, madeBefore);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            ids.add(rs.getString(1));
                            if (rs.getLong(2) > read) {
                                unread.add(rs.getString(1));
                            }
                        }
                    }
                }
                kept.addAll(unread);
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

    /**
     * Whether {@code target} has a change waiting for its first delivery, in the log after its cursor or in an outbox
     * row: an index entry or two read, however long the backlog.
     */
    public boolean hasPending(String target) {
        return Transactions.inTransaction(dataSource, "look for pending sync changes of " + target, connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM sync_change WHERE seq > (SELECT seq"
                    + " FROM sync_cursor WHERE target = ?) FETCH FIRST 1 ROW ONLY");
                 PreparedStatement waiting = connection.prepareStatement(
                         "SELECT 1 FROM sync_outbox WHERE target = ? AND status = 'PENDING' FETCH FIRST 1 ROW ONLY")) {
                select.setString(1, target);
                waiting.setString(1, target);
                try (ResultSet log = select.executeQuery(); ResultSet rows = waiting.executeQuery()) {
                    return log.next() || rows.next();
                }
            }
        });
    }

    /** What is not yet delivered to {@code target}: its changes in the log after its cursor, and its outbox rows. */
    public Backlog backlog(String target) {
        return Transactions.inTransaction(dataSource, "count the sync backlog of " + target, connection -> {
            try (PreparedStatement log = connection.prepareStatement("SELECT COUNT(*), MIN(created_at) FROM sync_change"
                    + " WHERE seq > (SELECT seq FROM sync_cursor WHERE target = ?) AND (only_to IS NULL OR only_to LIKE ?)"
                    + " AND (held_by IS NULL OR held_by <> ?)");
                 PreparedStatement rows = connection.prepareStatement("SELECT"
                    + " SUM(CASE WHEN status = 'PENDING' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'FAILED' THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN status = 'DEAD' THEN 1 ELSE 0 END), MIN(created_at)"
                    + " FROM sync_outbox WHERE target = ? AND status IN ('PENDING', 'FAILED', 'DEAD')")) {
                log.setString(1, target);
                log.setString(2, "%," + target + ",%");
                log.setString(3, target);
                rows.setString(1, target);
                try (ResultSet unread = log.executeQuery(); ResultSet open = rows.executeQuery()) {
                    unread.next();
                    open.next();
                    Instant oldest = earliest(unread.getObject(2, OffsetDateTime.class), open.getObject(4, OffsetDateTime.class));
                    return new Backlog(unread.getLong(1) + open.getLong(1), open.getLong(2), open.getLong(3), oldest);
                }
            }
        });
    }

    private static Instant earliest(OffsetDateTime a, OffsetDateTime b) {
        return a == null ? b == null ? null : b.toInstant() : b == null || a.isBefore(b) ? a.toInstant() : b.toInstant();
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
     * A transaction that reads or records deliveries. On H2 it holds the store's write lock, as the merge stage's changes
     * do: an outbox row both deleted here and replaced there at once had H2 retrying the conflicting statement for
     * minutes (the long form of KillPointsIT), and both take their turns. PostgreSQL makes the second writer of a row
     * wait for the first and breaks deadlocks, which {@link Transactions} retries: there the targets deliver beside each
     * other and beside the ingest and the merge stage, and a target is one hub's at a time by the claim on its cursor
     * ({@link #claim}); the golden records whose writes it records are locked by {@link #survivors}.
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
