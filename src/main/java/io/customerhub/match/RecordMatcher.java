package io.customerhub.match;

import io.customerhub.record.CustomerRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The matching algorithm, the only one: decides for each new record of a batch which customer it
 * is. A record is compared ({@link RecordComparator}) with the known records sharing one of its
 * {@link BlockingKeys} (found in the {@link BlockingIndex}, their values read through a
 * {@link CandidateSource} in one call per batch) and with the records before it in the batch. It
 * joins its best candidate's customer when that scores MERGE; every other customer it also scores
 * MERGE with is named in {@link Match#linked()}: the record shows they are one customer. Otherwise
 * it starts a customer of its own; a best candidate in the REVIEW band is kept for a data steward.
 *
 * <p>Free of Camel and SQL: the store implements the candidate source over its tables, the quality
 * tests and {@code evaluate} over memory ({@link IncrementalResolver}), and both run this class.
 */
public final class RecordMatcher {

    /**
     * A known record a new one is compared with.
     *
     * @param id         its id in the {@link BlockingIndex}; negative for a record earlier in the batch
     * @param customerId the customer (golden record) it belongs to now
     */
    public record Candidate(long id, String customerId, CustomerRecord values) {
    }

    /** Where the values of the records found in the index are read: the store, or memory. */
    public interface CandidateSource {
        /** The records of {@code ids} that may be matched (deleted ones are left out), in any order. */
        List<Candidate> candidates(int[] ids);
    }

    /**
     * The customer a new record belongs to, and why.
     *
     * @param customerId its customer: the best candidate's, or a new id
     * @param score      the best comparison, null without candidates
     * @param candidate  the candidate of that comparison, null without candidates
     * @param linked     the other customers the record scores MERGE with, which it shows to be the same
     */
    public record Match(String customerId, MatchDecision decision, MatchScore score, Candidate candidate,
                        Set<String> linked) {
    }

    private final MatchSettings settings;
    private final RecordComparator comparator;
    private final BlockingIndex index;
    private final LongAdder comparisons = new LongAdder();

    public RecordMatcher(MatchSettings settings, BlockingIndex index) {
        this.settings = settings;
        this.comparator = new RecordComparator(settings);
        this.index = index;
    }

    /** The hashes of a record's blocking keys, as {@link #match} and {@link BlockingIndex#add} take them. */
    public static long[] keys(CustomerRecord record) {
        return BlockingIndex.hashes(BlockingKeys.of(record));
    }

    /**
     * Matches {@code records} in order, {@code keys} holding each one's {@link #keys}: a record may join
     * a customer that one before it in the batch started. The index is not changed: the caller adds
     * the records once they are stored, under the ids it gives them.
     *
     * @param newCustomerId gives the id of the customer a record starts, by the record's position in the batch
     */
    public List<Match> match(List<CustomerRecord> records, List<long[]> keys, CandidateSource source,
                             IntFunction<String> newCustomerId) {
        Map<Integer, Candidate> stored = storedCandidates(keys, source);
        Map<Long, List<Candidate>> batchBlocks = new HashMap<>();
        List<Match> matches = new ArrayList<>(records.size());
        for (int r = 0; r < records.size(); r++) {
            CustomerRecord record = records.get(r);
            Map<Long, Candidate> candidates = new LinkedHashMap<>();
            for (long key : keys.get(r)) {
                for (int id : index.lookup(key)) {
                    Candidate candidate = stored.get(id);
                    if (candidate != null) {
                        candidates.putIfAbsent(candidate.id(), candidate);
                    }
                }
                List<Candidate> block = batchBlocks.get(key);
                if (block != null && block.size() <= settings.maxBlockSize()) {
                    block.forEach(candidate -> candidates.putIfAbsent(candidate.id(), candidate));
                }
            }
            Candidate bestCandidate = null;
            MatchScore best = null;
            Set<String> linked = new LinkedHashSet<>();
            for (Candidate candidate : candidates.values()) {
                MatchScore score = comparator.compare(candidate.values(), record);
                comparisons.increment();
                if (settings.decide(score) == MatchDecision.MERGE) {
                    linked.add(candidate.customerId());
                }
                if (best == null || score.score() > best.score()) {
                    best = score;
                    bestCandidate = candidate;
                }
            }
            MatchDecision decision = best == null ? MatchDecision.NEW : settings.decide(best);
            String customerId = decision == MatchDecision.MERGE ? bestCandidate.customerId() : newCustomerId.apply(r);
            linked.remove(customerId);
            matches.add(new Match(customerId, decision, best, bestCandidate, linked));
            Candidate self = new Candidate(-1L - r, customerId, record);
            for (long key : keys.get(r)) {
                List<Candidate> block = batchBlocks.computeIfAbsent(key, k -> new ArrayList<>(2));
                // one past the limit marks the key as too common, as in the index
                if (block.size() <= settings.maxBlockSize()) {
                    block.add(self);
                }
            }
        }
        return matches;
    }

    /** How many record pairs were compared so far. */
    public long comparisons() {
        return comparisons.sum();
    }

    /** The indexed records sharing a key with any record of the batch, read in one call, by id. */
    private Map<Integer, Candidate> storedCandidates(List<long[]> keys, CandidateSource source) {
        int[] ids = new int[64];
        int count = 0;
        for (long[] recordKeys : keys) {
            for (long key : recordKeys) {
                for (int id : index.lookup(key)) {
                    if (count == ids.length) {
                        ids = Arrays.copyOf(ids, count * 2);
                    }
                    ids[count++] = id;
                }
            }
        }
        Map<Integer, Candidate> byId = new HashMap<>();
        if (count > 0) {
            int[] distinct = Arrays.stream(ids, 0, count).sorted().distinct().toArray();
            for (Candidate candidate : source.candidates(distinct)) {
                byId.put((int) candidate.id(), candidate);
            }
        }
        return byId;
    }
}
