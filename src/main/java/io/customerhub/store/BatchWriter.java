package io.customerhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.match.FieldComparison;
import io.customerhub.match.MatchDecision;
import io.customerhub.match.MatchScore;
import io.customerhub.match.RecordMatcher;
import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.GoldenRecord;
import io.customerhub.merge.SourceSnapshot;
import io.customerhub.merge.SourceSnapshot.Edit;
import io.customerhub.merge.Survivorship;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Enrichment;
import io.customerhub.record.SourceRecord;
import io.customerhub.record.ValueFinding;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One batch of source records applied to the store in memory, record by record (new rows, changed
 * rows, deletions, the golden records of one source record, history, reviews, what the merge stage
 * must recompute), then written with one JDBC batch per statement: the write path of
 * {@link CustomerStore#store}. A golden record of several source records is left to the merge stage.
 */
final class BatchWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSERT_SOURCE = "INSERT INTO customer_source (source, source_key, customer_id, "
            + ValueColumn.NAMES + ", phone_raw, source_updated_at, content_hash, message_id, origin, position,"
            + " enrichment_status, enrichment_reason, enrichment_values, status,"
            + " updated_at, seq, edits, first_seen_at, own_customer_id, match_rule, match_score, match_details, id) VALUES (?, ?, ?, "
            + Transactions.placeholders(ValueColumn.values().length) + ", ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_SOURCE = "UPDATE customer_source SET " + ValueColumn.ASSIGNMENTS
            + ", phone_raw = ?, source_updated_at = ?, content_hash = ?, message_id = ?, origin = ?, position = ?,"
            + " enrichment_status = ?, enrichment_reason = ?, enrichment_values = ?, status = ?,"
            + " updated_at = ?, seq = ?, edits = ? WHERE source = ? AND source_key = ?";
    /** A deletion: the row keeps its values (and enrichment) and takes the delivery's status, time and origin. */
    private static final String UPDATE_SOURCE_STATUS = "UPDATE customer_source SET status = ?, source_updated_at = ?,"
            + " message_id = ?, origin = ?, position = ?, updated_at = ? WHERE source = ? AND source_key = ?";
    private static final String INSERT_PENDING = "INSERT INTO golden_pending (customer_id, source, source_key, origin,"
            + " position, queued_at) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_REVIEW = "INSERT INTO match_review (source, source_key, candidate_source,"
            + " candidate_source_key, candidate_customer_id, score, rule, comparisons, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String DELETE_FINDINGS = "DELETE FROM value_finding WHERE source = ? AND source_key = ?";
    private static final String INSERT_FINDING = "INSERT INTO value_finding (source, source_key, field, rule, reason, origin,"
            + " position, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    record SourceKey(String source, String sourceKey) {
    }

    private record Review(SourceKey key, RecordMatcher.Candidate candidate, MatchScore score) {
    }

    /** A {@code customer_source} row as this batch leaves it. */
    static final class Row {
        final String customerId;
        final boolean isNew;
        /** The content hash as stored before the batch (null for a new row). */
        final UUID storedHash;
        CustomerRecord values;
        UUID hash;
        /** Its number ({@code customer_source.id}) and the store sequence of its last change of values. */
        long id;
        long seq;
        /** The blocking keys of {@code values} when known (computed before the store's lock was taken). */
        long[] keys;
        SourceRecord delivery;
        /** What the lookups added to that delivery. */
        Enrichment enrichment = Enrichment.NONE;
        /** The values left out of that delivery because they could not be read. */
        List<ValueFinding> findings = List.of();
        UUID messageId;
        Instant storedAt;
        /** When the hub first stored it, and the edits of its field groups since: its place in survivorship's order. */
        Instant firstSeenAt;
        Map<FieldGroup, Edit> edits = Map.of();
        /** Source records of its golden record when loaded (0 when not counted). */
        int siblings;
        /** Why a new row joined an existing golden record; null when it started one. */
        MatchScore match;
        /** The golden record a new row started (null when it joined one): unmerge gives it back. */
        String ownCustomerId;
        /** Status DELETED: the source marked it deleted; it keeps its last values. */
        boolean deleted;
        /** Values changed: the whole row is written. */
        boolean dirty;
        /** Only marked deleted: status, time and delivery are written, the values stay. */
        boolean markedDeleted;

        Row(String customerId, boolean isNew, CustomerRecord values, UUID hash, SourceRecord delivery, UUID messageId,
            Instant storedAt) {
            this.customerId = customerId;
            this.isNew = isNew;
            this.storedHash = isNew ? null : hash;
            this.values = values;
            this.hash = hash;
            this.delivery = delivery;
            this.messageId = messageId;
            this.storedAt = storedAt;
        }

        SourceSnapshot snapshot() {
            return new SourceSnapshot(values, firstSeenAt, edits);
        }

        /**
         * Takes the values, delivery and enrichment of {@code record}, delivered now; {@code written} is what
         * the hub last wrote to this record (or null), which tells its echo from an edit.
         */
        void replace(CheckedRecord record, UUID hash, UUID messageId, Instant now, GroupEdits.Written written) {
            this.edits = GroupEdits.after(edits, values, storedAt, record.customer(), written, now);
            this.values = record.customer();
            this.hash = hash;
            this.keys = null;
            this.delivery = record.delivery();
            this.enrichment = record.enrichment();
            this.findings = record.findings();
            this.messageId = messageId;
            this.storedAt = now;
            this.deleted = false;
            this.dirty = true;
        }

        /** Takes the status, time and delivery of deletion {@code record}, keeping the values it had. */
        void markDeleted(CheckedRecord record, UUID messageId, Instant now) {
            Instant at = record.customer().sourceUpdatedAt();
            if (at != null) {
                CustomerRecord v = values;
                values = new CustomerRecord(v.source(), v.sourceKey(), at, v.fullName(), v.givenName(), v.familyName(),
                        v.gender(), v.birthDate(), v.email(), v.phone(), v.phoneRaw(), v.address(), v.company(), v.nationalId(),
                        v.type());
            }
            this.delivery = record.delivery();
            this.messageId = messageId;
            this.storedAt = now;
            this.deleted = true;
            this.markedDeleted = true;
        }
    }

    /** A golden record of one source record that the batch creates or changes. */
    private static final class Golden {
        final String id;
        final boolean isNew;
        /** The source of its one record, which holds its values already. */
        final String source;
        GoldenRecord record;
        int changes;

        Golden(String id, boolean isNew, Row only, Survivorship survivorship) {
            this.id = id;
            this.isNew = isNew;
            this.source = only.values.source();
            this.record = survivorship.survive(List.of(only.snapshot()));
        }
    }

    private record HistoryEntry(String customerId, String source, String sourceKey, String changeType, String before,
                                String after, String origin, long position, Double matchScore) {
    }

    final Map<SourceKey, Row> rows;
    final Survivorship survivorship;
    /** Golden records of one source record: their values are that record's, computed here. */
    final Map<String, Golden> goldens = new LinkedHashMap<>();
    /**
     * Golden records the merge stage recomputes after this batch: a new source record joined them (they
     * now have several), or one of theirs was deleted or came back. Later changes of theirs wait for it too.
     */
    final Set<String> queued = new HashSet<>();
    /** Source records that joined or changed a golden record of several: the merge stage recomputes it. */
    final List<Row> toMerge = new ArrayList<>();
    final List<HistoryEntry> history = new ArrayList<>();
    final List<Review> reviews = new ArrayList<>();
    final Instant now;
    int created;
    int updated;
    int unchanged;
    /** Values left out of the records written, by field. */
    final Map<String, Integer> findings = new TreeMap<>();

    /** What the hub last wrote to the batch's records, by key (those it wrote to). */
    final Map<SourceKey, GroupEdits.Written> written;

    BatchWriter(Map<SourceKey, Row> stored, Map<SourceKey, GroupEdits.Written> written, Instant now, Survivorship survivorship) {
        this.rows = stored;
        this.written = written;
        this.now = now;
        this.survivorship = survivorship;
    }

    void apply(CheckedRecord record, UUID messageId, RecordMatcher.Match match, long[] keys) {
        CustomerRecord incoming = record.customer();
        SourceKey key = new SourceKey(incoming.source(), incoming.sourceKey());
        UUID hash = RecordHashes.compact(RecordHashes.contentHash(incoming));
        Row row = rows.get(key);
        if (row == null && record.deleted()) {
            // nothing to delete; should the record come back, it is matched as a new one
            unchanged++;
        } else if (row == null) {
            row = new Row(match.customerId(), true, incoming, hash, record.delivery(), messageId, now);
            row.firstSeenAt = now;
            row.edits = GroupEdits.first(incoming, written.get(key), now);
            row.enrichment = record.enrichment();
            row.findings = record.findings();
            row.keys = keys;
            rows.put(key, row);
            created++;
            if (match.decision() == MatchDecision.MERGE) {
                row.match = match.score();
                queue(row);
                history.add(new HistoryEntry(row.customerId, key.source(), key.sourceKey(), "MERGE", null, null,
                        record.delivery().origin(), record.delivery().position(), match.score().score()));
            } else {
                row.ownCustomerId = row.customerId;
                goldens.put(row.customerId, new Golden(row.customerId, true, row, survivorship));
                if (match.decision() == MatchDecision.REVIEW) {
                    reviews.add(new Review(key, match.candidate(), match.score()));
                }
            }
        } else if (isOlder(incoming.sourceUpdatedAt(), row.values.sourceUpdatedAt())) {
            unchanged++;
        } else if (record.deleted()) {
            if (row.deleted) {
                unchanged++;
                // deleted again, later: remember the time, so that older deliveries stay stale
                if (isOlder(row.values.sourceUpdatedAt(), incoming.sourceUpdatedAt())) {
                    row.markDeleted(record, messageId, now);
                }
            } else {
                updated++;
                row.markDeleted(record, messageId, now);
                history(row, "DELETE");
                queue(row);
            }
        } else if (row.deleted) {
            updated++;
            row.replace(record, hash, messageId, now, written.get(key));
            history(row, "RESTORE");
            queue(row);
        } else if (hash.equals(row.hash)) {
            unchanged++;
            // same content, newer timestamp: remember it, so that later stale deliveries are recognised
            if (isOlder(row.values.sourceUpdatedAt(), incoming.sourceUpdatedAt())) {
                // (survivorship orders by the hub's arrival, not by this timestamp: no golden record changes)
                row.replace(record, hash, messageId, now, written.get(key));
            }
        } else {
            updated++;
            if (isShared(row)) {
                row.replace(record, hash, messageId, now, written.get(key));
                toMerge.add(row);
            } else {
                Row single = row;
                Golden golden = goldens.computeIfAbsent(row.customerId,
                        id -> new Golden(id, false, single, survivorship));
                row.replace(record, hash, messageId, now, written.get(key));
                recompute(golden, row);
            }
        }
    }

    /**
     * Whether the golden record of {@code row} is left to the merge stage: it has several source records
     * (deleted ones included: survivorship over the active ones needs them all read), or is queued already.
     */
    private boolean isShared(Row row) {
        return row.siblings > 1 || queued.contains(row.customerId);
    }

    /**
     * Leaves the golden record of {@code row} to the merge stage, which recomputes its values over its
     * active source records and its status: DELETED when none is active, ACTIVE again when one is.
     */
    private void queue(Row row) {
        queued.add(row.customerId);
        toMerge.add(row);
    }

    /** A status change of a source record, logged on its golden record. */
    private void history(Row row, String changeType) {
        history.add(new HistoryEntry(row.customerId, row.values.source(), row.values.sourceKey(), changeType, null, null,
                row.delivery.origin(), row.delivery.position(), null));
    }

    private static boolean isOlder(Instant candidate, Instant than) {
        return candidate != null && than != null && candidate.isBefore(than);
    }

    /** The golden record of one source record after that record changed; a change is logged and counted. */
    private void recompute(Golden golden, Row cause) {
        GoldenRecord after = survivorship.survive(List.of(cause.snapshot()));
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> changed = new LinkedHashMap<>();
        GoldenRows.diff(golden.record.values(), after.values(), before, changed);
        golden.record = after;
        if (changed.isEmpty()) {
            return;
        }
        history.add(new HistoryEntry(golden.id, cause.values.source(), cause.values.sourceKey(), "UPDATE",
                SqlValues.json(before), SqlValues.json(changed), cause.delivery.origin(), cause.delivery.position(), null));
        golden.changes++;
    }

    /** The findings of each record whose values this batch wrote, in place of those of its earlier version. */
    private void writeFindings(Connection connection, List<Row> inserts, List<Row> updates, Instant now) throws SQLException {
        Transactions.executeBatch(connection, DELETE_FINDINGS,
                updates.stream().map(row -> new Object[] {row.values.source(), row.values.sourceKey()}).toList());
        List<Object[]> found = new ArrayList<>();
        for (List<Row> written : List.of(inserts, updates)) {
            for (Row row : written) {
                for (ValueFinding finding : row.findings) {
                    found.add(new Object[] {row.values.source(), row.values.sourceKey(), finding.field(), finding.rule(),
                            finding.reason(), row.delivery.origin(), row.delivery.position(), SqlValues.timestamp(now)});
                    findings.merge(finding.field(), 1, Integer::sum);
                }
            }
        }
        Transactions.executeBatch(connection, INSERT_FINDING, found);
    }

    /**
     * The golden records this batch created or changed, for the outbox (deletions change them in the merge
     * stage). Each is its one source record's values, which that source holds already: no row goes there.
     */
    List<SyncOutbox.GoldenChange> goldenChanges() {
        return goldens.values().stream().filter(g -> g.isNew || g.changes > 0)
                .map(g -> new SyncOutbox.GoldenChange(g.id, g.record.values(), "ACTIVE", g.source, null,
                        GoldenRows.lineageJson(g.record.lineage()))).toList();
    }

    void write(Connection connection, Instant now) throws SQLException {
        List<Row> inserts = new ArrayList<>();
        List<Row> updates = new ArrayList<>();
        List<Row> deletions = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.isNew) {
                inserts.add(row);
            } else if (row.dirty) {
                updates.add(row);
            } else if (row.markedDeleted) {
                deletions.add(row);
            }
        }
        List<Golden> newGoldens = goldens.values().stream().filter(g -> g.isNew).toList();
        List<Golden> changedGoldens = goldens.values().stream().filter(g -> !g.isNew && g.changes > 0).toList();
        if (!newGoldens.isEmpty()) {
            // customers first: customer_source refers to them
            try (PreparedStatement statement = connection.prepareStatement(GoldenRows.INSERT_CUSTOMER)) {
                for (Golden golden : newGoldens) {
                    statement.setString(1, golden.id);
                    int index = ValueColumn.bindAll(statement, 2, golden.record.values());
                    statement.setString(index++, GoldenRows.lineageJson(golden.record.lineage()));
                    statement.setObject(index++, SqlValues.timestamp(now));
                    statement.setObject(index++, SqlValues.timestamp(now));
                    statement.setLong(index, 1L + golden.changes);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_SOURCE)) {
                for (Row row : inserts) {
                    statement.setString(1, row.values.source());
                    statement.setString(2, row.values.sourceKey());
                    statement.setString(3, row.customerId);
                    int index = bindSourceColumns(statement, 4, row, now);
                    statement.setObject(index++, SqlValues.timestamp(now));
                    statement.setString(index++, row.ownCustomerId);
                    if (row.match == null) {
                        statement.setNull(index++, Types.VARCHAR);
                        statement.setNull(index++, Types.DOUBLE);
                        statement.setNull(index++, Types.VARCHAR);
                    } else {
                        statement.setString(index++, row.match.rule());
                        statement.setDouble(index++, row.match.score());
                        statement.setString(index++, comparisonsJson(row.match));
                    }
                    statement.setLong(index, row.id);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!changedGoldens.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(GoldenRows.UPDATE_CUSTOMER)) {
                for (Golden golden : changedGoldens) {
                    int index = ValueColumn.bindAll(statement, 1, golden.record.values());
                    statement.setString(index++, GoldenRows.lineageJson(golden.record.lineage()));
                    statement.setObject(index++, SqlValues.timestamp(now));
                    statement.setLong(index++, golden.changes);
                    statement.setString(index, golden.id);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE_SOURCE)) {
                for (Row row : updates) {
                    int index = bindSourceColumns(statement, 1, row, now);
                    statement.setString(index++, row.values.source());
                    statement.setString(index, row.values.sourceKey());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        if (!deletions.isEmpty()) {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE_SOURCE_STATUS)) {
                for (Row row : deletions) {
                    statement.setString(1, "DELETED");
                    SqlValues.setTimestamp(statement, 2, row.values.sourceUpdatedAt());
                    statement.setObject(3, row.messageId);
                    statement.setString(4, row.delivery.origin());
                    statement.setLong(5, row.delivery.position());
                    statement.setObject(6, SqlValues.timestamp(now));
                    statement.setString(7, row.values.source());
                    statement.setString(8, row.values.sourceKey());
                    statement.addBatch();
                }
                statement.executeBatch();
            }
        }
        writeFindings(connection, inserts, updates, now);
        writeHistory(connection, now);
        writeReviews(connection, now);
        List<Object[]> pending = new ArrayList<>();
        for (Row row : toMerge) {
            pending.add(new Object[] {row.customerId, row.values.source(), row.values.sourceKey(), row.delivery.origin(),
                    row.delivery.position(), SqlValues.timestamp(now)});
        }
        Transactions.executeBatch(connection, INSERT_PENDING, pending);
    }

    /**
     * Numbers the rows whose values the batch sets after the store sequence {@code seq}: a new row takes
     * its id and seq, a row with new values a new seq. Returns their blocking keys for the index, one
     * posting per number given.
     */
    List<CandidateIndex.Posting> number(long seq) {
        List<CandidateIndex.Posting> postings = new ArrayList<>();
        for (Row row : rows.values()) {
            if (row.isNew || row.dirty && !row.hash.equals(row.storedHash)) {
                row.seq = ++seq;
                if (row.isNew) {
                    row.id = row.seq;
                }
                postings.add(new CandidateIndex.Posting(row.keys != null ? row.keys : RecordMatcher.keys(row.values), row.id));
            }
        }
        return postings;
    }

    /** The golden records the merge stage has to recompute after this batch. */
    Set<String> toMergeIds() {
        Set<String> ids = new LinkedHashSet<>();
        toMerge.forEach(row -> ids.add(row.customerId));
        return ids;
    }

    private void writeHistory(Connection connection, Instant now) throws SQLException {
        if (history.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(GoldenRows.INSERT_HISTORY)) {
            for (HistoryEntry entry : history) {
                statement.setString(1, entry.customerId());
                statement.setString(2, entry.source());
                statement.setString(3, entry.sourceKey());
                statement.setString(4, entry.changeType());
                statement.setObject(5, SqlValues.timestamp(now));
                statement.setString(6, entry.before());
                statement.setString(7, entry.after());
                statement.setString(8, entry.origin());
                statement.setLong(9, entry.position());
                if (entry.matchScore() == null) {
                    statement.setNull(10, Types.DOUBLE);
                } else {
                    statement.setDouble(10, entry.matchScore());
                }
                statement.setNull(11, Types.VARCHAR);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private void writeReviews(Connection connection, Instant now) throws SQLException {
        List<Object[]> parameters = new ArrayList<>();
        for (Review review : reviews) {
            parameters.add(new Object[] {review.key().source(), review.key().sourceKey(),
                    review.candidate().values().source(), review.candidate().values().sourceKey(),
                    review.candidate().customerId(), review.score().score(), review.score().rule(),
                    comparisonsJson(review.score()), SqlValues.timestamp(now)});
        }
        Transactions.executeBatch(connection, INSERT_REVIEW, parameters);
    }

    /** Binds the value columns through {@code seq}, in the order INSERT_SOURCE and UPDATE_SOURCE share. */
    private static int bindSourceColumns(PreparedStatement statement, int first, Row row, Instant now)
            throws SQLException {
        int index = ValueColumn.bindAll(statement, first, row.values);
        statement.setString(index++, row.values.phoneRaw());
        SqlValues.setTimestamp(statement, index++, row.values.sourceUpdatedAt());
        statement.setObject(index++, row.hash);
        statement.setObject(index++, row.messageId);
        statement.setString(index++, row.delivery.origin());
        statement.setLong(index++, row.delivery.position());
        statement.setString(index++, row.enrichment.status() == null ? null : row.enrichment.status().name());
        statement.setString(index++, row.enrichment.reason());
        statement.setString(index++, row.enrichment.attributes().isEmpty() ? null : SqlValues.json(row.enrichment.attributes()));
        statement.setString(index++, row.deleted ? "DELETED" : "ACTIVE");
        statement.setObject(index++, SqlValues.timestamp(now));
        statement.setLong(index++, row.seq);
        statement.setString(index++, GroupEdits.json(row.edits));
        return index;
    }

    /**
     * The field comparisons with a value on both sides, as a JSON array of objects with field, left
     * (the candidate), right (the new record), similarity and weight: what a steward needs to judge.
     */
    static String comparisonsJson(MatchScore score) {
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldComparison field : score.fields()) {
            if (field.left() != null && field.right() != null) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("field", field.field().key());
                entry.put("left", field.left());
                entry.put("right", field.right());
                entry.put("similarity", Math.round(field.similarity() * 1000) / 1000.0);
                entry.put("weight", Math.round(field.weight() * 100) / 100.0);
                fields.add(entry);
            }
        }
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings and numbers are always JSON", e);
        }
    }
}
