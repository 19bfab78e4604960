package io.customerhub.match;

import io.customerhub.record.CustomerRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves records into clusters (one per person) as they arrive, in memory, with the store's
 * blocking and comparison: a new record is compared only with the records sharing one of its
 * {@link BlockingKeys}, joins every cluster it matches at or above the upper threshold (so a
 * record that links two clusters merges them, which the store does not: there a record joins its
 * best candidate's golden record only), or starts a cluster of its own.
 * Pairs scoring between the thresholds are kept for review. A key shared by more than
 * {@link MatchSettings#maxBlockSize()} records is no longer searched, so the comparisons per
 * record stay bounded however large the data grows. Not thread-safe.
 */
public final class IncrementalResolver {

    /**
     * What happened to one record.
     *
     * @param record   its position in arrival order, from 0
     * @param cluster  the cluster it is in now: the position of the cluster's first record
     * @param decision MERGE when it joined a cluster, REVIEW when its best candidate asks for a
     *                 steward, NEW otherwise
     * @param best     its best-scoring comparison, or null when it had no candidate
     */
    public record Resolution(int record, int cluster, MatchDecision decision, MatchScore best) {
    }

    /** A candidate pair between the thresholds, by arrival positions, for a data steward. */
    public record Review(int left, int right, MatchScore score) {
    }

    private final RecordComparator comparator;
    private final MatchSettings settings;
    private final List<CustomerRecord> records = new ArrayList<>();
    private final List<Integer> parent = new ArrayList<>();
    private final Map<String, List<Integer>> blocks = new HashMap<>();
    private final List<Review> reviews = new ArrayList<>();
    private long comparisons;

    public IncrementalResolver(MatchSettings settings) {
        this.settings = settings;
        this.comparator = new RecordComparator(settings);
    }

    public Resolution add(CustomerRecord record) {
        int position = records.size();
        Set<String> keys = BlockingKeys.of(record);
        Set<Integer> candidates = new LinkedHashSet<>();
        for (String key : keys) {
            List<Integer> block = blocks.get(key);
            if (block != null && block.size() <= settings.maxBlockSize()) {
                candidates.addAll(block);
            }
        }
        records.add(record);
        parent.add(position);
        MatchScore best = null;
        Map<Integer, MatchScore> matched = new LinkedHashMap<>();
        List<Review> maybe = new ArrayList<>();
        for (int candidate : candidates) {
            MatchScore score = comparator.compare(records.get(candidate), record);
            comparisons++;
            if (best == null || score.score() > best.score()) {
                best = score;
            }
            switch (settings.decide(score)) {
                case MERGE -> matched.merge(root(candidate), score, (x, y) -> x.score() >= y.score() ? x : y);
                case REVIEW -> maybe.add(new Review(candidate, position, score));
                case NEW -> { }
            }
        }
        for (int cluster : matched.keySet()) {
            union(cluster, position);
        }
        int cluster = root(position);
        for (Review review : maybe) {
            if (root(review.left()) != cluster) {
                reviews.add(review);
            }
        }
        for (String key : keys) {
            List<Integer> block = blocks.computeIfAbsent(key, k -> new ArrayList<>(2));
            // one past the limit marks the key as too common; more entries would only cost memory
            if (block.size() <= settings.maxBlockSize()) {
                block.add(position);
            }
        }
        MatchDecision decision = !matched.isEmpty() ? MatchDecision.MERGE
                : best != null && settings.decide(best) == MatchDecision.REVIEW ? MatchDecision.REVIEW : MatchDecision.NEW;
        return new Resolution(position, cluster, decision, best);
    }

    /** Adds records in order; a record may join a cluster started earlier in the same batch. */
    public List<Resolution> addAll(List<CustomerRecord> batch) {
        List<Resolution> resolutions = new ArrayList<>(batch.size());
        for (CustomerRecord record : batch) {
            resolutions.add(add(record));
        }
        return resolutions;
    }

    /** The cluster of the record at {@code position}: the position of the cluster's first record. */
    public int clusterOf(int position) {
        return root(position);
    }

    /** The clusters, each a list of its records in arrival order, ordered by their first record. */
    public List<List<CustomerRecord>> clusters() {
        Map<Integer, List<CustomerRecord>> clusters = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            clusters.computeIfAbsent(root(i), k -> new ArrayList<>()).add(records.get(i));
        }
        return List.copyOf(clusters.values());
    }

    /** Pairs that scored between the thresholds and ended in different clusters. */
    public List<Review> reviews() {
        return List.copyOf(reviews);
    }

    /** How many record pairs were compared so far. */
    public long comparisons() {
        return comparisons;
    }

    public int size() {
        return records.size();
    }

    private int root(int position) {
        int root = position;
        while (parent.get(root) != root) {
            root = parent.get(root);
        }
        // path compression keeps later look-ups near constant
        while (parent.get(position) != root) {
            int next = parent.get(position);
            parent.set(position, root);
            position = next;
        }
        return root;
    }

    /** The earlier root wins, so a cluster is named by its first record. */
    private void union(int a, int b) {
        int x = root(a);
        int y = root(b);
        if (x != y) {
            parent.set(Math.max(x, y), Math.min(x, y));
        }
    }
}
