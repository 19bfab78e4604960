package io.customerhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.match.MatchDecision;
import io.customerhub.match.MatchScore;
import io.customerhub.match.MatchSettings;
import io.customerhub.match.RecordMatcher;
import io.customerhub.match.WeightEstimate;
import io.customerhub.merge.Survivorship;
import io.customerhub.merge.SurvivorshipSettings;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Rejection;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.BatchWriter.Row;
import io.customerhub.store.BatchWriter.SourceKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The central store: the idempotent consumer, the batched writes of golden records, cross-references,
 * history and quarantine ({@link BatchWriter}), the quarantine's replay, and the golden-record work
 * of the merge stage and of data stewards (merge, unmerge, explain, in {@link GoldenRecords}).
 *
 * <p>Every call costs a fixed number of round trips per batch (one keyed SELECT per 100 keys, one
 * JDBC batch per statement), never one per record, and every write call is one transaction: a
 * batch is stored completely or not at all, so a crash and a re-delivery neither lose nor double
 * anything. Every transaction that matches or changes golden records holds the store's write lock
 * ({@code store_lock}, see {@link Transactions#lock}), so threads and processes sharing the store
 * take turns there, and nowhere else.
 *
 * <p>A record new to {@code customer_source} is matched by the {@link RecordMatcher} against the
 * stored records the in-memory blocking index ({@link CandidateIndex}) finds, and the new records
 * before it in the batch: it joins its best candidate's golden record when that scores MERGE,
 * recording rule, score and field comparisons; otherwise it starts a golden record of its own, and a
 * REVIEW-band candidate is written to {@code match_review}. A stored key keeps its golden record. A
 * golden record of one source record gets that record's values here; one of several is left to the
 * merge stage: the batch writes a {@code golden_pending} row per record that joined or changed it and
 * names it in {@link StoreResult#toMerge()}, and {@link #mergePending} recomputes a group of them
 * ({@link GoldenRecords}), so a batch never reads other sources' records. Golden ids are
 * time-ordered ({@link TimeOrderedIds}), not derived from the key: new records then append to the
 * indexes instead of rewriting random pages, and a replay after a crash creates ids only for records
 * whose batch was never committed.
 *
 * <p>A deletion ({@link CheckedRecord#deleted()}) of a stored record marks its {@code customer_source}
 * row DELETED, keeping its values, logs a {@code DELETE} and leaves its golden record to the merge
 * stage, which recomputes it over the active records only (DELETED when none is left); a later delivery
 * not deleted takes the new values, makes the row ACTIVE again ({@code RESTORE}) and queues the golden
 * record the same way. Deleted rows are no match candidates; a deletion of a key never stored stores
 * nothing.
 */
public final class CustomerStore {

    /** Longest source key {@code customer_source.source_key} holds; longer keys are quarantined. */
    public static final int MAX_SOURCE_KEY_LENGTH = 255;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private static final String INSERT_QUARANTINE = "INSERT INTO quarantine (source, source_key, origin, position, rule,"
            + " reason, payload, mapped_values, message_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String MARK_REPLAYED =
            "UPDATE quarantine SET status = 'REPLAYED', resolved_at = ? WHERE id = ? AND status = 'OPEN'";
    private static final String UPDATE_FAILING =
            "UPDATE quarantine SET rule = ?, reason = ? WHERE id = ? AND status = 'OPEN'";

    private final DataSource dataSource;
    private static final int ESTIMATE_RECORDS = 200_000;

    private final MatchSettings matchSettings;
    private final CandidateIndex candidateIndex;
    private final PlannerStatistics statistics;
    private final Clock clock;
    private final RecordMatcher matcher;
    private final Survivorship survivorship;
    private final GoldenRecords goldenRecords;
    private final StoreHealth health;
    private final SyncOutbox outbox;

    /** A store that matches with {@link MatchSettings#defaults()} and keeps the most recent values. */
    public CustomerStore(DataSource dataSource) {
        this(dataSource, MatchSettings.defaults(), SurvivorshipSettings.defaults());
    }

    public CustomerStore(DataSource dataSource, MatchSettings matchSettings, SurvivorshipSettings survivorshipSettings) {
        this(dataSource, matchSettings, survivorshipSettings, Set::of, SyncOutbox.Settings.DEFAULTS);
    }

    /**
     * @param syncTargets the target systems that receive every golden change through the outbox
     *                    (asked at each change)
     */
    public CustomerStore(DataSource dataSource, MatchSettings matchSettings, SurvivorshipSettings survivorshipSettings,
                         Supplier<Set<String>> syncTargets, SyncOutbox.Settings syncSettings) {
        this(dataSource, matchSettings, survivorshipSettings, syncTargets, syncSettings, Clock.systemUTC());
    }

    /** A store whose time (stored timestamps, outbox back-off and claims) is {@code clock}'s, for tests. */
    CustomerStore(DataSource dataSource, MatchSettings matchSettings, SurvivorshipSettings survivorshipSettings,
                  Supplier<Set<String>> syncTargets, SyncOutbox.Settings syncSettings, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = clock;
        this.matchSettings = Objects.requireNonNull(matchSettings, "matchSettings");
        this.candidateIndex = new CandidateIndex(matchSettings.maxBlockSize());
        this.statistics = new PlannerStatistics(dataSource);
        this.matcher = new RecordMatcher(matchSettings, candidateIndex.index());
        this.survivorship = new Survivorship(survivorshipSettings);
        this.outbox = new SyncOutbox(dataSource, syncTargets, syncSettings, clock, statistics);
        this.goldenRecords = new GoldenRecords(survivorship, outbox);
        this.health = new StoreHealth(dataSource);
    }

    /** Whether the store takes writes, as its transactions find it. */
    public StoreHealth health() {
        return health;
    }

    /** The outbox the golden changes of this store go to, for the sync routes. */
    public SyncOutbox syncOutbox() {
        return outbox;
    }

    /**
     * The idempotent consumer: drops records of the batch whose {@link SourceRecord#messageId()} is
     * the delivery stored last for their key ({@code customer_source.message_id}) or was quarantined
     * ({@code quarantine.message_id}), and repeats inside the batch; returns the batch with
     * {@code duplicates} increased by the number dropped. One keyed query per 100 records, reads only:
     * a delivery's identity is kept in the row it produced, not in a table of its own. A delivery
     * that undoes the stored status of its key (a record deleted and then delivered as it was before)
     * differs from the deletion stored last, so it goes through.
     */
    public CheckedBatch dropDuplicates(CheckedBatch batch) {
        if (batch.accepted().isEmpty() && batch.rejected().isEmpty()) {
            return batch;
        }
        List<MessageKey> bound = new ArrayList<>();
        batch.rejected().forEach(r -> bound.add(MessageKey.of(r.record())));
        // records whose key the store refuses are quarantined there: look for them in the quarantine too
        batch.accepted().stream().filter(r -> keyProblem(r) != null).forEach(r -> bound.add(MessageKey.of(r.delivery())));
        Map.Entry<Map<SourceKey, UUID>, Set<MessageKey>> found = read("look up processed messages of source " + batch.source(),
                connection -> Map.entry(lastDeliveries(connection, batch.accepted()), quarantined(connection, bound)));
        Map<SourceKey, UUID> lastDelivered = found.getKey();
        Set<MessageKey> quarantined = found.getValue();
        Set<MessageKey> seen = new HashSet<>();
        List<CheckedRecord> accepted = new ArrayList<>();
        for (CheckedRecord record : batch.accepted()) {
            MessageKey key = MessageKey.of(record.delivery());
            UUID last = lastDelivered.get(new SourceKey(record.customer().source(), record.customer().sourceKey()));
            if (seen.add(key) && !key.messageId().equals(last) && !quarantined.contains(key)) {
                accepted.add(record);
            }
        }
        List<Rejection> rejected = new ArrayList<>();
        for (Rejection rejection : batch.rejected()) {
            MessageKey key = MessageKey.of(rejection.record());
            if (seen.add(key) && !quarantined.contains(key)) {
                rejected.add(rejection);
            }
        }
        int dropped = batch.accepted().size() + batch.rejected().size() - accepted.size() - rejected.size();
        return new CheckedBatch(batch.source(), accepted, rejected, batch.duplicates() + dropped);
    }

    /**
     * Stores one batch in one transaction: rejections into {@code quarantine} (with their message
     * ids), accepted records into {@code customer_source} (with theirs) and {@code customer} (new ones inserted, changed ones updated with a
     * {@code customer_history} row, unchanged and stale ones left alone). Records are applied in
     * order, so a key seen twice in one batch is an insert followed by an update. An accepted
     * record whose key cannot be stored (missing, or longer than {@value #MAX_SOURCE_KEY_LENGTH}) is
     * quarantined rather than failing the batch.
     *
     * <p>Matching must see every record committed before it, or two sources delivering the same
     * person at once would each create a golden record: the transaction holds the store's write lock
     * ({@code store_lock}), which the database enforces across threads and processes. The blocking
     * keys are computed before it is taken, so the lock covers only look-ups, comparisons and writes.
     *
     * @throws StoreException when the database refuses the batch; nothing of it is then stored
     */
    public StoreResult store(CheckedBatch batch) {
        List<CheckedRecord> storable = new ArrayList<>(batch.accepted().size());
        List<Rejection> rejected = new ArrayList<>(batch.rejected());
        for (CheckedRecord record : batch.accepted()) {
            Rejection problem = keyProblem(record);
            if (problem == null) {
                storable.add(record);
            } else {
                rejected.add(problem);
            }
        }
        List<long[]> keys = blockingKeys(storable);
        buildIndex();
        Written written = inTransaction("store a batch of source " + batch.source(),
                connection -> write(connection, now(), storable, keys, rejected));
        candidateIndex.added(written.postings(), written.seq());
        statistics.written(batch.accepted().size() + batch.rejected().size());
        return written.result().plus(new StoreResult(0, 0, 0, 0, batch.duplicates()));
    }

    /** The blocking keys of each record, null for a deletion (it is not matched). */
    private static List<long[]> blockingKeys(List<CheckedRecord> records) {
        return records.stream().map(r -> r.deleted() ? null : RecordMatcher.keys(r.customer())).toList();
    }

    /** What a write did, and what the blocking index gains once it is committed. */
    private record Written(StoreResult result, List<CandidateIndex.Posting> postings, long seq) {
    }

    /**
     * The merge stage: recomputes each of {@code customerIds} from the snapshots of all its source
     * records by the survivorship rules, with lineage, and clears its pending entries, all in one
     * transaction (one commit for a whole group, not one per golden record). Called by the aggregator
     * with the golden records whose changes it collected; calling it again, or for a golden record
     * with nothing pending, changes nothing.
     */
    public void mergePending(Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return;
        }
        inLockedTransaction("merge " + customerIds.size() + " golden record(s)", connection -> {
            goldenRecords.recomputePending(connection, customerIds, now());
            return null;
        });
    }

    /**
     * Sends every active golden record to {@code target} again, whatever the hub believes the target holds: changes
     * logged for it alone, delivered by the target's sync route as any other, in groups of 1,000 golden records per transaction. Returns how
     * many golden records were enqueued.
     */
    public long reexport(String target) {
        long enqueued = 0;
        String after = "";
        while (true) {
            String from = after;
            List<String> ids = read("read golden records to re-export", connection -> GoldenRecords.activeIds(connection, from, 1000));
            if (ids.isEmpty()) {
                return enqueued;
            }
            enqueued += inLockedTransaction("re-export " + ids.size() + " golden record(s) to " + target,
                    connection -> goldenRecords.reexport(connection, target, ids, now()));
            after = ids.get(ids.size() - 1);
        }
    }

    /** The golden records whose changes still wait for the merge stage (after a crash, or a failed merge). */
    public List<String> pendingMerges() {
        return read("read the pending merges", GoldenRecords::pending);
    }

    /**
     * {@link #pendingMerges()} in groups of at most {@code size}, for the merge sweep: a crash's backlog is merged one
     * committed group after another. (Camel's {@code collate} wraps a single pending golden record in a list of its
     * own, which the merge stage could not take.)
     */
    public List<List<String>> pendingMergeGroups(int size) {
        List<String> pending = pendingMerges();
        List<List<String>> groups = new ArrayList<>();
        for (int from = 0; from < pending.size(); from += size) {
            groups.add(List.copyOf(pending.subList(from, Math.min(pending.size(), from + size))));
        }
        return groups;
    }

    /**
     * Merges two golden records found to be one customer (a data steward's decision): the older survives
     * with its id, the other is marked MERGED into it; returns the survivor's id.
     */
    public String mergeGoldens(String first, String second) {
        return inLockedTransaction("merge golden records " + first + " and " + second,
                connection -> goldenRecords.merge(connection, first, second, now()));
    }

    /**
     * Accepts (merges the two golden records) or rejects match review {@code reviewId}; returns the golden
     * id of the review's new record afterwards.
     */
    public String resolveReview(long reviewId, boolean accept) {
        return inLockedTransaction((accept ? "accept" : "reject") + " match review " + reviewId,
                connection -> goldenRecords.resolveReview(connection, reviewId, accept, now()));
    }

    /**
     * Settles held conflict {@code conflictId} (a data steward's decision): its golden record takes the other
     * record's value ({@code toOther}) or keeps the owner's; returns the golden id.
     */
    public String settleConflict(long conflictId, boolean toOther) {
        return inLockedTransaction("settle sync conflict " + conflictId,
                connection -> goldenRecords.settle(connection, conflictId, toOther, now()));
    }

    /** Takes one source record out of its golden record into one of its own; returns that golden id. */
    public String unmerge(String source, String sourceKey) {
        return inLockedTransaction("unmerge source record " + source + "/" + sourceKey,
                connection -> goldenRecords.unmerge(connection, source, sourceKey, now()));
    }

    /** Splits a golden record into one per source record; returns the ids split off. */
    public List<String> unmerge(String customerId) {
        return inLockedTransaction("unmerge golden record " + customerId,
                connection -> goldenRecords.unmergeAll(connection, customerId, now()));
    }

    /** Why a golden record looks as it does, as JSON: values and lineage, source records and match reasons, history. */
    public String explain(String customerId) {
        try (Connection connection = dataSource.getConnection()) {
            return goldenRecords.explain(connection, customerId, matchSettings);
        } catch (SQLException e) {
            throw StoreHealth.failure("could not explain golden record " + customerId + ": " + e.getMessage(), e);
        }
    }

    /**
     * Match weights learned from the stored records without labels ({@link WeightEstimate}), from the first
     * {@value #ESTIMATE_RECORDS} active source records at most, stored as the next version ({@link MatchWeights}).
     */
    public MatchWeights estimateWeights() {
        WeightEstimate estimate = WeightEstimate.of(read("read records to estimate weights from",
                connection -> CandidateIndex.activeValues(connection, ESTIMATE_RECORDS)), matchSettings, 1);
        return Transactions.inTransaction(dataSource, "store the match weights", connection -> MatchWeights.save(connection,
                estimate, now()));
    }

    /** The match settings in force: the weights' origin ({@code configured} or a learned version) with them. */
    public MatchSettings matchSettings() {
        return matchSettings;
    }

    /** The golden record of every stored source record, by source and key joined with a NUL character. */
    public Map<String, String> goldenIds() {
        return read("read the golden id of each source record", connection -> {
            Map<String, String> golden = new HashMap<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT source, source_key, customer_id FROM customer_source");
                 ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    golden.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getString(3));
                }
            }
            return golden;
        });
    }

    /** The blocking keys of every stored source record, by source and key joined with a NUL character. */
    public Map<String, long[]> blockingKeys() {
        return read("read the blocking keys", CandidateIndex::keysOfAll);
    }

    /** How many record pairs matching has compared since this store was created. */
    public long comparisons() {
        return matcher.comparisons();
    }

    /** Open quarantine entries, optionally of one source and/or one id (nulls = all), oldest first. */
    public List<QuarantineEntry> openQuarantine(String source, Long id) {
        StringBuilder sql = new StringBuilder("SELECT id, source, source_key, origin, position, rule, reason, payload,"
                + " mapped_values, received_at FROM quarantine WHERE status = 'OPEN'");
        if (source != null) {
            sql.append(" AND source = ?");
        }
        if (id != null) {
            sql.append(" AND id = ?");
        }
        sql.append(" ORDER BY id");
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            if (source != null) {
                statement.setString(index++, source);
            }
            if (id != null) {
                statement.setLong(index, id);
            }
            List<QuarantineEntry> entries = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    long entryId = rs.getLong(1);
                    entries.add(new QuarantineEntry(entryId, rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getString(8),
                            mappedValues(entryId, rs.getString(9)), rs.getObject(10, OffsetDateTime.class).toInstant()));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw StoreHealth.failure("could not read the quarantine: " + e.getMessage(), e);
        }
    }

    /**
     * Stores the outcome of a replay in one transaction: {@code fixed} records are stored as
     * {@link #store} does and their quarantine rows marked REPLAYED; {@code stillFailing} rows get the
     * new rule and reason and stay OPEN. Both maps are keyed by quarantine id.
     *
     * @throws StoreException when an id is not an open quarantine entry (e.g. replayed meanwhile);
     *                        nothing of the replay is then stored
     */
    public StoreResult storeReplay(Map<Long, CheckedRecord> fixed, Map<Long, Rejection> stillFailing) {
        if (fixed.isEmpty() && stillFailing.isEmpty()) {
            return StoreResult.NONE;
        }
        for (Long id : fixed.keySet()) {
            if (stillFailing.containsKey(id)) {
                throw new IllegalArgumentException("quarantine entry " + id + " is both fixed and still failing");
            }
        }
        buildIndex();
        Written written = inTransaction("store a quarantine replay", connection -> {
            Instant now = now();
            Map<Long, Rejection> failing = new TreeMap<>(stillFailing);
            List<CheckedRecord> storable = new ArrayList<>();
            List<Long> replayed = new ArrayList<>();
            // oldest entry first, so that two fixes of one key apply in arrival order
            for (Map.Entry<Long, CheckedRecord> entry : new TreeMap<>(fixed).entrySet()) {
                Rejection problem = keyProblem(entry.getValue());
                if (problem == null) {
                    storable.add(entry.getValue());
                    replayed.add(entry.getKey());
                } else {
                    failing.put(entry.getKey(), problem);
                }
            }
            Written stored = write(connection, now, storable, blockingKeys(storable), List.of());
            try (PreparedStatement statement = connection.prepareStatement(MARK_REPLAYED)) {
                for (Long id : replayed) {
                    statement.setObject(1, SqlValues.timestamp(now));
                    statement.setLong(2, id);
                    statement.addBatch();
                }
                requireOpen(statement.executeBatch(), replayed);
            }
            try (PreparedStatement statement = connection.prepareStatement(UPDATE_FAILING)) {
                for (Map.Entry<Long, Rejection> entry : failing.entrySet()) {
                    statement.setString(1, entry.getValue().rule());
                    statement.setString(2, entry.getValue().reason());
                    statement.setLong(3, entry.getKey());
                    statement.addBatch();
                }
                requireOpen(statement.executeBatch(), List.copyOf(failing.keySet()));
            }
            return new Written(stored.result().plus(new StoreResult(0, 0, 0, failing.size(), 0)), stored.postings(),
                    stored.seq());
        });
        candidateIndex.added(written.postings(), written.seq());
        return written.result();
    }

    /**
     * Stores {@code accepted} (with {@code keys}, the blocking keys of each, null for a deletion) and
     * {@code rejected} under the store's write lock, taken here: the blocking index is caught up first.
     */
    private Written write(Connection connection, Instant now, List<CheckedRecord> accepted, List<long[]> keys,
                          List<Rejection> rejected) throws SQLException {
        long seq = candidateIndex.lockAndCatchUp(connection);
        insertQuarantine(connection, now, rejected);
        Map<SourceKey, HubWrite> hubWrites = writtenByHub(connection, accepted);
        Map<SourceKey, GroupEdits.Written> written = new HashMap<>();
        hubWrites.forEach((key, write) -> {
            if (write.written() != null) {
                written.put(key, write.written());
            }
        });
        BatchWriter changes = new BatchWriter(loadSources(connection, accepted), written, now, survivorship);
        Map<SourceKey, RecordMatcher.Match> matches = match(connection, accepted, keys, changes.rows, hubWrites);
        for (int i = 0; i < accepted.size(); i++) {
            CustomerRecord customer = accepted.get(i).customer();
            changes.apply(accepted.get(i), RecordHashes.compact(accepted.get(i).delivery().messageId()),
                    matches.get(new SourceKey(customer.source(), customer.sourceKey())), keys.get(i));
        }
        List<CandidateIndex.Posting> postings = changes.number(seq);
        long last = seq + postings.size();
        changes.write(connection, now);
        if (last > seq) {
            Transactions.advance(connection, "store", last);
        }
        outbox.enqueue(connection, changes.goldenChanges(), now);
        Set<String> toMerge = new LinkedHashSet<>(changes.toMergeIds());
        for (Map.Entry<SourceKey, RecordMatcher.Match> match : matches.entrySet()) {
            for (String other : match.getValue().linked()) {
                toMerge.add(goldenRecords.mergeLinked(connection, match.getValue().customerId(), other,
                        match.getKey().source(), match.getKey().sourceKey(), now));
            }
        }
        return new Written(new StoreResult(changes.created, changes.updated, changes.unchanged, rejected.size(), 0, toMerge,
                changes.findings), postings, last);
    }

    /**
     * Decides the golden record of every record new to {@code customer_source} (its first occurrence
     * in the batch; a stored key keeps its golden record) with the {@link RecordMatcher}, over the
     * stored records the blocking index finds; a record the hub itself created in its source by
     * syncing a golden record there belongs to that golden record.
     */
    private Map<SourceKey, RecordMatcher.Match> match(Connection connection, List<CheckedRecord> accepted, List<long[]> keys,
                                                      Map<SourceKey, Row> stored, Map<SourceKey, HubWrite> hubWrites)
            throws SQLException {
        Map<SourceKey, Integer> fresh = new LinkedHashMap<>();
        for (int i = 0; i < accepted.size(); i++) {
            CheckedRecord record = accepted.get(i);
            SourceKey key = new SourceKey(record.customer().source(), record.customer().sourceKey());
            // a deletion of a key never stored is not stored either: nothing to match
            if (!record.deleted() && !stored.containsKey(key)) {
                fresh.putIfAbsent(key, i);
            }
        }
        Map<SourceKey, RecordMatcher.Match> matches = new HashMap<>();
        List<SourceKey> matched = new ArrayList<>();
        List<CustomerRecord> records = new ArrayList<>();
        List<long[]> recordKeys = new ArrayList<>();
        for (Map.Entry<SourceKey, Integer> entry : fresh.entrySet()) {
            HubWrite write = hubWrites.get(entry.getKey());
            if (write != null && write.customerId() != null) {
                matches.put(entry.getKey(), new RecordMatcher.Match(write.customerId(), MatchDecision.MERGE,
                        new MatchScore(matchSettings.upper(), "sync:written-by-hub", List.of()), null, Set.of()));
            } else {
                matched.add(entry.getKey());
                records.add(accepted.get(entry.getValue()).customer());
                recordKeys.add(keys.get(entry.getValue()));
            }
        }
        List<RecordMatcher.Match> decided = matcher.match(records, recordKeys, candidateIndex.source(connection),
                r -> GoldenRows.GOLDEN_IDS.next().toString());
        for (int i = 0; i < matched.size(); i++) {
            matches.put(matched.get(i), decided.get(i));
        }
        return matches;
    }

    /**
     * What the hub wrote to a source record (as a sync target): the golden record it wrote (the active one,
     * after merges; null for a write not yet recorded that did not create the record), and the values it
     * wrote (null for a write recorded before the store kept them).
     */
    private record HubWrite(String customerId, GroupEdits.Written written) {
    }

    /**
     * What the hub last wrote to the records of {@code records}, from {@code sync_state}, for those it wrote to;
     * a write handed to a writer and not yet recorded comes first.
     */
    private Map<SourceKey, HubWrite> writtenByHub(Connection connection, List<CheckedRecord> records) throws SQLException {
        Map<SourceKey, HubWrite> written = new HashMap<>();
        Map<String, Set<String>> keysBySource = new HashMap<>();
        records.forEach(record -> keysBySource.computeIfAbsent(record.customer().source(), s -> new LinkedHashSet<>())
                .add(record.customer().sourceKey()));
        for (Map.Entry<String, Set<String>> source : keysBySource.entrySet()) {
            // the writes in flight first: one recorded after this (a sync delivery does not wait for the store's lock on
            // PostgreSQL) is in sync_state when it is read below
            Map<String, SyncOutbox.InFlight> flying = new HashMap<>();
            for (String key : source.getValue()) {
                SyncOutbox.InFlight write = outbox.inFlight(source.getKey(), key);
                if (write != null) {
                    flying.put(key, write);
                }
            }
            Transactions.forEachChunk(connection, "SELECT s.target_key, s.customer_id, c.status, s.written_values,"
                    + " s.written_at FROM sync_state s JOIN customer c ON c.id = s.customer_id"
                    + " WHERE (s.target, s.target_key) IN (", source.getKey(), List.copyOf(source.getValue()), rs -> {
                        // merged away since: follow merged_into (rare, so one query each)
                        String customer = "MERGED".equals(rs.getString(3))
                                ? GoldenRecords.active(connection, rs.getString(2)) : rs.getString(2);
                        GroupEdits.Written values = GroupEdits.written(rs.getString(4),
                                rs.getObject(5, OffsetDateTime.class).toInstant());
                        written.put(new SourceKey(source.getKey(), rs.getString(1)), new HubWrite(customer, values));
                    });
            flying.forEach((key, write) -> {
                // only a create makes a record the hub has never written to that golden record's
                written.merge(new SourceKey(source.getKey(), key), new HubWrite(write.created() ? write.customerId() : null,
                        write.written()), (recorded, next) -> new HubWrite(recorded.customerId(),
                        GroupEdits.before(next.written(), recorded.written())));
            });
        }
        return written;
    }

    /** A stored row read by a SELECT of source, source_key, customer_id, content_hash, source_updated_at, phone_raw, updated_at, values. */
    private static Row storedRow(ResultSet rs, SourceKey key) throws SQLException {
        OffsetDateTime sourceUpdatedAt = rs.getObject(5, OffsetDateTime.class);
        CustomerRecord values = ValueColumn.read(rs, 8, key.source(), key.sourceKey(),
                sourceUpdatedAt == null ? null : sourceUpdatedAt.toInstant(), rs.getString(6));
        return new Row(rs.getString(3), false, values, rs.getObject(4, UUID.class), null, null,
                rs.getObject(7, OffsetDateTime.class).toInstant());
    }

    /** The message id of the delivery stored last, for the keys of {@code records} that are stored. */
    private static Map<SourceKey, UUID> lastDeliveries(Connection connection, List<CheckedRecord> records)
            throws SQLException {
        Map<String, Set<String>> keysBySource = new LinkedHashMap<>();
        for (CheckedRecord record : records) {
            if (record.customer().sourceKey() != null) {
                keysBySource.computeIfAbsent(record.customer().source(), s -> new LinkedHashSet<>())
                        .add(record.customer().sourceKey());
            }
        }
        Map<SourceKey, UUID> delivered = new HashMap<>();
        for (Map.Entry<String, Set<String>> entry : keysBySource.entrySet()) {
            String source = entry.getKey();
            Transactions.forEachChunk(connection, "SELECT source_key, message_id FROM customer_source WHERE (source, source_key) IN (",
                    source, List.copyOf(entry.getValue()),
                    rs -> delivered.put(new SourceKey(source, rs.getString(1)), rs.getObject(2, UUID.class)));
        }
        return delivered;
    }

    /** The keys among {@code keys} that the quarantine holds. */
    private static Set<MessageKey> quarantined(Connection connection, Collection<MessageKey> keys) throws SQLException {
        Map<String, Set<UUID>> idsBySource = new LinkedHashMap<>();
        keys.forEach(k -> idsBySource.computeIfAbsent(k.source(), s -> new LinkedHashSet<>()).add(k.messageId()));
        Set<MessageKey> found = new HashSet<>();
        for (Map.Entry<String, Set<UUID>> entry : idsBySource.entrySet()) {
            String source = entry.getKey();
            Transactions.forEachChunk(connection, "SELECT message_id FROM quarantine WHERE (source, message_id) IN (",
                    source, List.copyOf(entry.getValue()), rs -> found.add(new MessageKey(source, rs.getObject(1, UUID.class))));
        }
        return found;
    }

    private static void insertQuarantine(Connection connection, Instant now, List<Rejection> rejected) throws SQLException {
        if (rejected.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_QUARANTINE)) {
            for (Rejection rejection : rejected) {
                SourceRecord record = rejection.record();
                statement.setString(1, record.source());
                statement.setString(2, record.sourceKey());
                statement.setString(3, record.origin());
                statement.setLong(4, record.position());
                statement.setString(5, rejection.rule());
                statement.setString(6, rejection.reason());
                statement.setString(7, record.payload());
                statement.setString(8, mappedJson(record.values()));
                statement.setObject(9, RecordHashes.compact(record.messageId()));
                statement.setObject(10, SqlValues.timestamp(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /**
     * The stored {@code customer_source} rows of the accepted records' keys, each with the number of
     * source records its golden record has, so that only shared golden records are loaded whole.
     */
    private static Map<SourceKey, Row> loadSources(Connection connection, List<CheckedRecord> accepted) throws SQLException {
        Map<String, Set<String>> keysBySource = new LinkedHashMap<>();
        for (CheckedRecord record : accepted) {
            keysBySource.computeIfAbsent(record.customer().source(), s -> new LinkedHashSet<>())
                    .add(record.customer().sourceKey());
        }
        Map<SourceKey, Row> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> entry : keysBySource.entrySet()) {
            Transactions.forEachChunk(connection, "SELECT s.source, s.source_key, s.customer_id, s.content_hash, s.source_updated_at,"
                            + " s.phone_raw, s.updated_at, " + ValueColumn.NAMES + ", (SELECT COUNT(*) FROM customer_source o"
                            + " WHERE o.customer_id = s.customer_id), s.status, s.id, s.seq, s.first_seen_at, s.edits"
                            + " FROM customer_source s WHERE (s.source, s.source_key) IN (",
                    entry.getKey(), List.copyOf(entry.getValue()), rs -> {
                        SourceKey key = new SourceKey(rs.getString(1), rs.getString(2));
                        Row row = storedRow(rs, key);
                        row.siblings = rs.getInt(8 + ValueColumn.values().length);
                        row.deleted = "DELETED".equals(rs.getString(9 + ValueColumn.values().length));
                        row.id = rs.getLong(10 + ValueColumn.values().length);
                        row.seq = rs.getLong(11 + ValueColumn.values().length);
                        row.firstSeenAt = rs.getObject(12 + ValueColumn.values().length, OffsetDateTime.class).toInstant();
                        row.edits = GroupEdits.parse(rs.getString(13 + ValueColumn.values().length));
                        rows.put(key, row);
                    });
        }
        return rows;
    }

    private static Rejection keyProblem(CheckedRecord record) {
        String key = record.customer().sourceKey();
        if (key == null || key.isBlank()) {
            return new Rejection(record.delivery(), "required:sourceKey",
                    "The record has no source key, so it cannot be stored; map a key field of the source to sourceKey.");
        }
        if (key.length() > MAX_SOURCE_KEY_LENGTH) {
            return new Rejection(record.delivery(), "length:sourceKey", "The source key has " + key.length()
                    + " characters; the store keeps keys of at most " + MAX_SOURCE_KEY_LENGTH + ".");
        }
        return null;
    }

    private static void requireOpen(int[] counts, List<Long> ids) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
                throw new StoreException("quarantine entry " + ids.get(i) + " is not open (unknown, or replayed meanwhile)");
            }
        }
    }

    /** Builds the blocking index once, before a transaction needs it: the threads waiting for it hold no connection. */
    private void buildIndex() {
        if (candidateIndex.built()) {
            return;
        }
        synchronized (candidateIndex) {
            if (!candidateIndex.built()) {
                read("build the blocking index", connection -> {
                    candidateIndex.build(connection);
                    return null;
                });
            }
        }
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return health.watch(() -> Transactions.inTransaction(dataSource, what, work));
    }

    /** Runs reads on one connection, as {@link #inTransaction} runs writes. */
    private <T> T read(String what, Transactions.Work<T> work) {
        return health.read(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            } catch (SQLException e) {
                throw StoreHealth.failure("could not " + what + ": " + e.getMessage(), e);
            }
        });
    }

    private <T> T inLockedTransaction(String what, Transactions.Work<T> work) {
        return health.watch(() -> Transactions.inLockedTransaction(dataSource, what, work));
    }

    private Instant now() {
        return SqlValues.now(clock);
    }


    private static String mappedJson(Map<CanonicalField, String> values) {
        Map<String, String> byKey = new LinkedHashMap<>();
        values.forEach((field, value) -> byKey.put(field.key(), value));
        return SqlValues.json(byKey);
    }

    private static Map<CanonicalField, String> mappedValues(long id, String json) {
        try {
            Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
            if (json != null) {
                JSON.readValue(json, STRING_MAP).forEach((key, value) -> {
                    if (value != null) {
                        values.put(CanonicalField.of(key), value);
                    }
                });
            }
            return values;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException("quarantine entry " + id + " has unreadable mapped_values: " + e.getMessage(), e);
        }
    }

    private record MessageKey(String source, UUID messageId) {
        static MessageKey of(SourceRecord record) {
            return new MessageKey(record.source(), RecordHashes.compact(record.messageId()));
        }
    }

}
