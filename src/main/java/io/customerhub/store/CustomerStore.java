package io.customerhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Rejection;
import io.customerhub.record.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The central store: the idempotent consumer, the batched writes of golden records, cross-references,
 * history and quarantine, and the quarantine's replay. The only class that writes these tables.
 *
 * <p>Every call costs a fixed number of round trips per batch (one keyed SELECT per 100 keys, one
 * JDBC batch per statement), never one per record, and every write call is one transaction: a
 * batch is stored completely or not at all, so a crash and a re-delivery neither lose nor double
 * anything. Until matching exists each source record is its own golden record. Golden ids are
 * time-ordered ({@link TimeOrderedIds}), not derived from the key: new records then append to the
 * indexes instead of rewriting random pages, and a replay after a crash creates ids only for records
 * whose batch was never committed.
 */
public final class CustomerStore {

    /** Longest source key {@code customer_source.source_key} holds; longer keys are quarantined. */
    public static final int MAX_SOURCE_KEY_LENGTH = 255;

    /**
     * Keys per {@code IN (...)} list. H2 finds each key by index but then re-checks every found row
     * against the whole list, so the cost of a chunk grows with its square: 100 keys per query found
     * 1000 stored keys about six times faster than one list of 1000.
     */
    private static final int IN_LIST_CHUNK = 100;
    private static final TimeOrderedIds GOLDEN_IDS = new TimeOrderedIds();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private static final String INSERT_PROCESSED =
            "INSERT INTO processed_message (source, message_id, processed_at) VALUES (?, ?, ?)";
    private static final String INSERT_QUARANTINE = "INSERT INTO quarantine (source, source_key, origin, position, rule,"
            + " reason, payload, mapped_values, message_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CUSTOMER = "INSERT INTO customer (id, " + ValueColumn.NAMES
            + ", created_at, updated_at, version) VALUES (?, " + placeholders(ValueColumn.values().length) + ", ?, ?, ?)";
    private static final String UPDATE_CUSTOMER = "UPDATE customer SET " + ValueColumn.ASSIGNMENTS
            + ", updated_at = ?, version = version + ? WHERE id = ?";
    private static final String INSERT_SOURCE = "INSERT INTO customer_source (source, source_key, customer_id, "
            + ValueColumn.NAMES + ", phone_raw, source_updated_at, content_hash, message_id, origin, position,"
            + " first_seen_at, updated_at) VALUES (?, ?, ?, " + placeholders(ValueColumn.values().length)
            + ", ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_SOURCE = "UPDATE customer_source SET " + ValueColumn.ASSIGNMENTS
            + ", phone_raw = ?, source_updated_at = ?, content_hash = ?, message_id = ?, origin = ?, position = ?,"
            + " updated_at = ? WHERE source = ? AND source_key = ?";
    private static final String INSERT_HISTORY = "INSERT INTO customer_history (customer_id, source, source_key,"
            + " change_type, changed_at, before_values, after_values, origin, position) VALUES (?, ?, ?, 'UPDATE', ?, ?, ?, ?, ?)";
    private static final String MARK_REPLAYED =
            "UPDATE quarantine SET status = 'REPLAYED', resolved_at = ? WHERE id = ? AND status = 'OPEN'";
    private static final String UPDATE_FAILING =
            "UPDATE quarantine SET rule = ?, reason = ? WHERE id = ? AND status = 'OPEN'";

    private final DataSource dataSource;

    public CustomerStore(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * The idempotent consumer: drops records of the batch whose {@link SourceRecord#messageId()} was
     * processed before (one query per batch, not per record) and repeats inside the batch; returns the
     * batch with {@code duplicates} increased by the number dropped. Applies to accepted and rejected
     * records alike, so a bad record delivered twice is quarantined once.
     */
    public CheckedBatch dropDuplicates(CheckedBatch batch) {
        if (batch.accepted().isEmpty() && batch.rejected().isEmpty()) {
            return batch;
        }
        List<MessageKey> acceptedKeys = batch.accepted().stream().map(r -> MessageKey.of(r.delivery())).toList();
        List<MessageKey> rejectedKeys = batch.rejected().stream().map(r -> MessageKey.of(r.record())).toList();
        Set<MessageKey> seen = new HashSet<>();
        try (Connection connection = dataSource.getConnection()) {
            List<MessageKey> all = new ArrayList<>(acceptedKeys);
            all.addAll(rejectedKeys);
            seen.addAll(processed(connection, all));
        } catch (SQLException e) {
            throw new StoreException("could not look up processed messages of source " + batch.source() + ": "
                    + e.getMessage(), e);
        }
        List<CheckedRecord> accepted = new ArrayList<>();
        for (int i = 0; i < acceptedKeys.size(); i++) {
            if (seen.add(acceptedKeys.get(i))) {
                accepted.add(batch.accepted().get(i));
            }
        }
        List<Rejection> rejected = new ArrayList<>();
        for (int i = 0; i < rejectedKeys.size(); i++) {
            if (seen.add(rejectedKeys.get(i))) {
                rejected.add(batch.rejected().get(i));
            }
        }
        int dropped = acceptedKeys.size() + rejectedKeys.size() - accepted.size() - rejected.size();
        return new CheckedBatch(batch.source(), accepted, rejected, batch.duplicates() + dropped);
    }

    /**
     * Stores one batch in one transaction: the message id of every record into
     * {@code processed_message}, rejections into {@code quarantine}, accepted records into
     * {@code customer_source} and {@code customer} (new ones inserted, changed ones updated with a
     * {@code customer_history} row, unchanged and stale ones left alone). Records are applied in
     * order, so a key seen twice in one batch is an insert followed by an update. An accepted
     * record whose key cannot be stored (missing, or longer than {@value #MAX_SOURCE_KEY_LENGTH}) is
     * quarantined rather than failing the batch.
     *
     * @throws StoreException when the database refuses the batch; nothing of it is then stored
     */
    public StoreResult store(CheckedBatch batch) {
        StoreResult result = inTransaction("store a batch of source " + batch.source(), connection -> {
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
            return write(connection, now(), storable, rejected);
        });
        return result.plus(new StoreResult(0, 0, 0, 0, batch.duplicates()));
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
            throw new StoreException("could not read the quarantine: " + e.getMessage(), e);
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
        return inTransaction("store a quarantine replay", connection -> {
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
            StoreResult result = write(connection, now, storable, List.of());
            try (PreparedStatement statement = connection.prepareStatement(MARK_REPLAYED)) {
                for (Long id : replayed) {
                    statement.setObject(1, timestamp(now));
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
            return result.plus(new StoreResult(0, 0, 0, failing.size(), 0));
        });
    }

    /**
     * SHA-256 (hex) over the normalized values of a record, in {@link CanonicalField} order: equal
     * hashes mean equal content. Excludes the key, {@code sourceUpdatedAt} (a new timestamp alone is
     * no change) and {@code phoneRaw} (a differently formatted but equal number is no change).
     */
    public static String contentHash(CustomerRecord record) {
        MessageDigest digest = sha256();
        for (ValueColumn column : ValueColumn.values()) {
            String text = column.text(record);
            // a marker byte keeps null and "" apart
            if (text == null) {
                digest.update((byte) 0);
            } else {
                digest.update((byte) 1);
                digest.update(text.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The first 16 bytes of a SHA-256 (hex) as a UUID: what the store keeps of message ids and content
     * hashes. 128 bits tell records apart as well, and a UUID column is stored and compared as two
     * longs, where 64 characters of hex made every index page four times fuller and slower to write.
     */
    static UUID compact(String sha256Hex) {
        return new UUID(Long.parseUnsignedLong(sha256Hex, 0, 16, 16), Long.parseUnsignedLong(sha256Hex, 16, 32, 16));
    }

    private StoreResult write(Connection connection, Instant now, List<CheckedRecord> accepted, List<Rejection> rejected)
            throws SQLException {
        List<MessageKey> acceptedKeys = accepted.stream().map(r -> MessageKey.of(r.delivery())).toList();
        Set<MessageKey> keys = new LinkedHashSet<>(acceptedKeys);
        rejected.forEach(r -> keys.add(MessageKey.of(r.record())));
        recordProcessed(connection, now, keys);
        insertQuarantine(connection, now, rejected);
        Changes changes = new Changes(loadSources(connection, accepted));
        for (int i = 0; i < accepted.size(); i++) {
            changes.apply(accepted.get(i), acceptedKeys.get(i).messageId());
        }
        changes.write(connection, now);
        return new StoreResult(changes.created, changes.updated, changes.unchanged, rejected.size(), 0);
    }

    /**
     * Inserts the message ids into {@code processed_message}. Batches normally come from
     * {@link #dropDuplicates}, so their ids are new and are inserted without looking them up again;
     * a replay (or a caller that skipped dropDuplicates) may meet ids stored before, which the primary
     * key refuses: then the insert is rolled back to a savepoint and only the ids not yet stored are inserted.
     */
    private static void recordProcessed(Connection connection, Instant now, Set<MessageKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        Savepoint beforeInsert = connection.setSavepoint();
        try {
            insertProcessed(connection, now, keys);
        } catch (SQLException e) {
            if (!isUniqueViolation(e)) {
                throw e;
            }
            connection.rollback(beforeInsert);
            Set<MessageKey> unseen = new LinkedHashSet<>(keys);
            unseen.removeAll(processed(connection, keys));
            insertProcessed(connection, now, unseen);
        }
        connection.releaseSavepoint(beforeInsert);
    }

    /** SQLSTATE 23505 (unique violation) on H2 and PostgreSQL; batch failures may carry it one link down. */
    private static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t instanceof SQLException s && s.getNextException() != null
                ? s.getNextException() : t.getCause()) {
            if (t instanceof SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static void insertProcessed(Connection connection, Instant now, Set<MessageKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(INSERT_PROCESSED)) {
            for (MessageKey key : keys) {
                statement.setString(1, key.source());
                statement.setObject(2, key.messageId());
                statement.setObject(3, timestamp(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The keys among {@code keys} that {@code processed_message} holds. */
    private static Set<MessageKey> processed(Connection connection, Collection<MessageKey> keys) throws SQLException {
        Map<String, List<UUID>> idsBySource = new LinkedHashMap<>();
        keys.forEach(k -> idsBySource.computeIfAbsent(k.source(), s -> new ArrayList<>()).add(k.messageId()));
        Set<MessageKey> found = new HashSet<>();
        for (Map.Entry<String, List<UUID>> entry : idsBySource.entrySet()) {
            String source = entry.getKey();
            forEachChunk(connection, "SELECT message_id FROM processed_message WHERE source = ? AND message_id IN (",
                    source, List.copyOf(new LinkedHashSet<>(entry.getValue())),
                    rs -> found.add(new MessageKey(source, rs.getObject(1, UUID.class))));
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
                statement.setObject(9, compact(record.messageId()));
                statement.setObject(10, timestamp(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** The stored {@code customer_source} rows of the accepted records' keys. */
    private static Map<SourceKey, Row> loadSources(Connection connection, List<CheckedRecord> accepted) throws SQLException {
        Map<String, Set<String>> keysBySource = new LinkedHashMap<>();
        for (CheckedRecord record : accepted) {
            keysBySource.computeIfAbsent(record.customer().source(), s -> new LinkedHashSet<>())
                    .add(record.customer().sourceKey());
        }
        Map<SourceKey, Row> rows = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> entry : keysBySource.entrySet()) {
            String source = entry.getKey();
            forEachChunk(connection, "SELECT source_key, customer_id, content_hash, source_updated_at, phone_raw, "
                            + ValueColumn.NAMES + " FROM customer_source WHERE source = ? AND source_key IN (",
                    source, List.copyOf(entry.getValue()), rs -> {
                        String sourceKey = rs.getString(1);
                        OffsetDateTime updatedAt = rs.getObject(4, OffsetDateTime.class);
                        CustomerRecord values = ValueColumn.read(rs, 6, source, sourceKey,
                                updatedAt == null ? null : updatedAt.toInstant(), rs.getString(5));
                        rows.put(new SourceKey(source, sourceKey),
                                new Row(rs.getString(2), false, values, rs.getObject(3, UUID.class), null, null));
                    });
        }
        return rows;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code selectPrefix ?, ?, ...)} for {@code values} in chunks, binding the source first. */
    private static void forEachChunk(Connection connection, String selectPrefix, String source, List<?> values,
                                     RowReader reader) throws SQLException {
        for (int from = 0; from < values.size(); from += IN_LIST_CHUNK) {
            List<?> chunk = values.subList(from, Math.min(values.size(), from + IN_LIST_CHUNK));
            try (PreparedStatement statement = connection.prepareStatement(selectPrefix + placeholders(chunk.size()) + ")")) {
                statement.setString(1, source);
                for (int i = 0; i < chunk.size(); i++) {
                    statement.setObject(i + 2, chunk.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
        }
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

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(String what, Work<T> work) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                connection.setAutoCommit(autoCommit);
                return result;
            } catch (Throwable failure) {
                try {
                    connection.rollback();
                    connection.setAutoCommit(autoCommit);
                } catch (SQLException rollbackFailure) {
                    failure.addSuppressed(rollbackFailure);
                }
                throw failure;
            }
        } catch (SQLException e) {
            throw new StoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    /** Database timestamps keep microseconds; truncating keeps what is written equal to what is read. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, timestamp(instant));
        }
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static String mappedJson(Map<CanonicalField, String> values) {
        Map<String, String> byKey = new LinkedHashMap<>();
        values.forEach((field, value) -> byKey.put(field.key(), value));
        return json(byKey);
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

    private static String json(Map<String, String> values) {
        try {
            return JSON.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private record MessageKey(String source, UUID messageId) {
        static MessageKey of(SourceRecord record) {
            return new MessageKey(record.source(), compact(record.messageId()));
        }
    }

    private record SourceKey(String source, String sourceKey) {
    }

    /** A {@code customer_source} row as this batch leaves it. */
    private static final class Row {
        final String customerId;
        final boolean isNew;
        CustomerRecord values;
        UUID hash;
        SourceRecord delivery;
        UUID messageId;
        int changes;
        boolean dirty;

        Row(String customerId, boolean isNew, CustomerRecord values, UUID hash, SourceRecord delivery, UUID messageId) {
            this.customerId = customerId;
            this.isNew = isNew;
            this.values = values;
            this.hash = hash;
            this.delivery = delivery;
            this.messageId = messageId;
        }

        void replace(CustomerRecord values, UUID hash, SourceRecord delivery, UUID messageId) {
            this.values = values;
            this.hash = hash;
            this.delivery = delivery;
            this.messageId = messageId;
            this.dirty = true;
        }
    }

    private record HistoryEntry(String customerId, String source, String sourceKey, String before, String after,
                                String origin, long position) {
    }

    /** The batch applied in memory, record by record, then written with one JDBC batch per statement. */
    private static final class Changes {
        final Map<SourceKey, Row> rows;
        final List<HistoryEntry> history = new ArrayList<>();
        int created;
        int updated;
        int unchanged;

        Changes(Map<SourceKey, Row> stored) {
            this.rows = stored;
        }

        void apply(CheckedRecord record, UUID messageId) {
            CustomerRecord incoming = record.customer();
            SourceKey key = new SourceKey(incoming.source(), incoming.sourceKey());
            UUID hash = compact(contentHash(incoming));
            Row row = rows.get(key);
            if (row == null) {
                rows.put(key, new Row(GOLDEN_IDS.next().toString(), true, incoming, hash, record.delivery(), messageId));
                created++;
            } else if (isOlder(incoming.sourceUpdatedAt(), row.values.sourceUpdatedAt())) {
                unchanged++;
            } else if (hash.equals(row.hash)) {
                unchanged++;
                // same content, newer timestamp: remember it, so that later stale deliveries are recognised
                if (isOlder(row.values.sourceUpdatedAt(), incoming.sourceUpdatedAt())) {
                    row.replace(incoming, hash, record.delivery(), messageId);
                }
            } else {
                history.add(historyEntry(row, incoming, record.delivery()));
                row.replace(incoming, hash, record.delivery(), messageId);
                row.changes++;
                updated++;
            }
        }

        private static boolean isOlder(Instant candidate, Instant than) {
            return candidate != null && than != null && candidate.isBefore(than);
        }

        private static HistoryEntry historyEntry(Row row, CustomerRecord incoming, SourceRecord delivery) {
            Map<String, String> before = new LinkedHashMap<>();
            Map<String, String> after = new LinkedHashMap<>();
            for (ValueColumn column : ValueColumn.values()) {
                String old = column.text(row.values);
                String now = column.text(incoming);
                if (!Objects.equals(old, now)) {
                    before.put(column.field.key(), old);
                    after.put(column.field.key(), now);
                }
            }
            return new HistoryEntry(row.customerId, incoming.source(), incoming.sourceKey(), json(before), json(after),
                    delivery.origin(), delivery.position());
        }

        void write(Connection connection, Instant now) throws SQLException {
            List<Row> inserts = new ArrayList<>();
            List<Row> updates = new ArrayList<>();
            for (Row row : rows.values()) {
                if (row.isNew) {
                    inserts.add(row);
                } else if (row.dirty) {
                    updates.add(row);
                }
            }
            if (!inserts.isEmpty()) {
                // customers first: customer_source refers to them
                try (PreparedStatement statement = connection.prepareStatement(INSERT_CUSTOMER)) {
                    for (Row row : inserts) {
                        statement.setString(1, row.customerId);
                        int index = ValueColumn.bindAll(statement, 2, row.values);
                        statement.setObject(index++, timestamp(now));
                        statement.setObject(index++, timestamp(now));
                        statement.setLong(index, 1L + row.changes);
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
                try (PreparedStatement statement = connection.prepareStatement(INSERT_SOURCE)) {
                    for (Row row : inserts) {
                        statement.setString(1, row.values.source());
                        statement.setString(2, row.values.sourceKey());
                        statement.setString(3, row.customerId);
                        int index = bindSourceColumns(statement, 4, row, now);
                        statement.setObject(index, timestamp(now));
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }
            if (updates.stream().anyMatch(row -> row.changes > 0)) {
                try (PreparedStatement statement = connection.prepareStatement(UPDATE_CUSTOMER)) {
                    for (Row row : updates) {
                        if (row.changes > 0) {
                            int index = ValueColumn.bindAll(statement, 1, row.values);
                            statement.setObject(index++, timestamp(now));
                            statement.setLong(index++, row.changes);
                            statement.setString(index, row.customerId);
                            statement.addBatch();
                        }
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
            if (!history.isEmpty()) {
                try (PreparedStatement statement = connection.prepareStatement(INSERT_HISTORY)) {
                    for (HistoryEntry entry : history) {
                        statement.setString(1, entry.customerId());
                        statement.setString(2, entry.source());
                        statement.setString(3, entry.sourceKey());
                        statement.setObject(4, timestamp(now));
                        statement.setString(5, entry.before());
                        statement.setString(6, entry.after());
                        statement.setString(7, entry.origin());
                        statement.setLong(8, entry.position());
                        statement.addBatch();
                    }
                    statement.executeBatch();
                }
            }
        }

        /** Binds the value columns through {@code updated_at}, in the order INSERT_SOURCE and UPDATE_SOURCE share. */
        private static int bindSourceColumns(PreparedStatement statement, int first, Row row, Instant now)
                throws SQLException {
            int index = ValueColumn.bindAll(statement, first, row.values);
            statement.setString(index++, row.values.phoneRaw());
            setTimestamp(statement, index++, row.values.sourceUpdatedAt());
            statement.setObject(index++, row.hash);
            statement.setObject(index++, row.messageId);
            statement.setString(index++, row.delivery.origin());
            statement.setLong(index++, row.delivery.position());
            statement.setObject(index++, timestamp(now));
            return index;
        }
    }
}
