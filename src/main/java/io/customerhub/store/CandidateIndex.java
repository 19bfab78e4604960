package io.customerhub.store;

import io.customerhub.match.BlockingIndex;
import io.customerhub.match.RecordMatcher;
import io.customerhub.record.CustomerRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's side of matching: the in-memory {@link BlockingIndex} kept equal to
 * {@code customer_source}, and the {@link RecordMatcher.CandidateSource} that reads the values of
 * the records it finds. The index is derived data, written nowhere: it is built from the stored
 * records before the first transaction that needs it, and caught up, under the store's write lock, with
 * the records whose {@code seq} is above the last one it has seen, which are those written since by
 * another hub on the same store (or during the build). Records this hub writes are added once their transaction
 * commits.
 */
final class CandidateIndex {

    private static final Logger LOG = LoggerFactory.getLogger(CandidateIndex.class);
    private static final int FETCH = 1000;
    private static final String SELECT_VALUES = "SELECT id, source, source_key, customer_id, source_updated_at,"
            + " phone_raw, seq, " + ValueColumn.NAMES + " FROM customer_source WHERE ";

    /** A record's blocking keys to add to the index under its id. */
    record Posting(long[] keys, long id) {
    }

    private final BlockingIndex index;
    /** The store sequence up to which the index holds every record; -1 until first built. */
    private final AtomicLong indexedSeq = new AtomicLong(-1);

    CandidateIndex(int maxBlockSize) {
        this.index = new BlockingIndex(maxBlockSize);
    }

    BlockingIndex index() {
        return index;
    }

    boolean built() {
        return indexedSeq.get() >= 0;
    }

    /**
     * Builds the index from the records committed up to the store sequence it starts at, outside the store's write
     * lock: other hubs on the store, and this hub's merge and sync stages, go on during a long build (a restart over
     * 50,000 records takes most of a minute). Records written meanwhile are caught up under the lock. The whole
     * table is read in its stored order: through the seq index, each row would be a random page read.
     */
    void build(Connection connection) throws SQLException {
        long started = System.nanoTime();
        long seq;
        try (PreparedStatement select = connection.prepareStatement("SELECT seq FROM store_lock WHERE name = 'store'");
             ResultSet rs = select.executeQuery()) {
            seq = rs.next() ? rs.getLong(1) : 0;
        }
        long read = 0;
        try (PreparedStatement select = connection.prepareStatement(SELECT_VALUES + "TRUE")) {
            select.setFetchSize(FETCH);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (rs.getLong(7) <= seq) {
                        index.add(RecordMatcher.keys(values(rs)), toIndexId(rs.getLong(1)));
                        read++;
                    }
                }
            }
        }
        indexedSeq.set(seq);
        LOG.info("Blocking index built from {} stored source records in {} ms ({} postings, {} MB of direct memory)",
                read, (System.nanoTime() - started) / 1_000_000, index.size(), index.bytes() >> 20);
    }

    /**
     * Takes the store's write lock for the transaction of {@code connection} and brings the {@linkplain #build built}
     * index up to the store sequence; returns that sequence.
     */
    long lockAndCatchUp(Connection connection) throws SQLException {
        long seq = Transactions.lock(connection);
        long from = indexedSeq.get();
        if (from < 0) {
            throw new IllegalStateException("the blocking index is built before a transaction takes the store lock");
        }
        if (from < seq) {
            try (PreparedStatement select = connection.prepareStatement(SELECT_VALUES + "seq > ?")) {
                select.setFetchSize(FETCH);
                select.setLong(1, from);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        index.add(RecordMatcher.keys(values(rs)), toIndexId(rs.getLong(1)));
                    }
                }
            }
            indexedSeq.accumulateAndGet(seq, Math::max);
        }
        return seq;
    }

    /** Adds the records a committed transaction wrote, which took the store sequence to {@code seq}. */
    void added(List<Posting> postings, long seq) {
        for (Posting posting : postings) {
            index.add(posting.keys(), toIndexId(posting.id()));
        }
        indexedSeq.accumulateAndGet(seq, Math::max);
    }

    /** The values of the first {@code limit} active source records, in their stored order. */
    static List<CustomerRecord> activeValues(Connection connection, int limit) throws SQLException {
        List<CustomerRecord> records = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_VALUES + "status = 'ACTIVE'")) {
            select.setFetchSize(FETCH);
            select.setMaxRows(limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    records.add(values(rs));
                }
            }
        }
        return records;
    }

    /**
     * The blocking keys of every stored source record, by source and key joined with a NUL character: what
     * {@code evaluate} measures the recall of blocking with. Reads the whole table; not for the daemon's paths.
     */
    static Map<String, long[]> keysOfAll(Connection connection) throws SQLException {
        Map<String, long[]> keys = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT_VALUES + "TRUE")) {
            select.setFetchSize(FETCH);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(2) + "\u0000" + rs.getString(3), RecordMatcher.keys(values(rs)));
                }
            }
        }
        return keys;
    }

    /** The candidate source over {@code connection}: the active records among the ids, one query per 100. */
    RecordMatcher.CandidateSource source(Connection connection) {
        return ids -> {
            List<RecordMatcher.Candidate> candidates = new ArrayList<>(ids.length);
            try {
                Transactions.forEachChunk(connection, SELECT_VALUES + "status = 'ACTIVE' AND id IN (", null,
                        Arrays.stream(ids).boxed().toList(),
                        rs -> candidates.add(new RecordMatcher.Candidate(rs.getLong(1), rs.getString(4), values(rs))));
            } catch (SQLException e) {
                throw StoreHealth.failure("could not read match candidates: " + e.getMessage(), e);
            }
            return candidates;
        };
    }

    /** The values of a row of {@link #SELECT_VALUES}. */
    private static CustomerRecord values(ResultSet rs) throws SQLException {
        OffsetDateTime updatedAt = rs.getObject(5, OffsetDateTime.class);
        return ValueColumn.read(rs, 8, rs.getString(2), rs.getString(3), updatedAt == null ? null : updatedAt.toInstant(),
                rs.getString(6));
    }

    private static int toIndexId(long id) {
        if (id > Integer.MAX_VALUE) {
            throw new StoreException("source record id " + id + " is beyond what the blocking index holds (2^31 - 1)");
        }
        return (int) id;
    }
}
