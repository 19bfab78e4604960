package io.customerhub.match;

import io.customerhub.record.CustomerRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The production {@link RecordMatcher} over records held in memory: what the matching quality tests
 * measure, with the store's blocking, index and comparison. Records resolve into clusters (one per
 * customer) as they arrive: a record joins its best candidate's cluster, and a record that also
 * scores MERGE with other clusters joins them into one, as the store merges their golden records. A
 * cluster is named by the position of its first record. Not thread-safe.
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

    /** A best candidate between the thresholds, by arrival positions, for a data steward. */
    public record Review(int left, int right, MatchScore score) {
    }

    private final RecordMatcher matcher;
    private final BlockingIndex index;
    private final List<CustomerRecord> records = new ArrayList<>();
    private final List<Integer> parent = new ArrayList<>();
    private final List<Review> reviews = new ArrayList<>();

    public IncrementalResolver(MatchSettings settings) {
        this.index = new BlockingIndex(settings.maxBlockSize());
        this.matcher = new RecordMatcher(settings, index);
    }

    public Resolution add(CustomerRecord record) {
        return addAll(List.of(record)).get(0);
    }

    /** Adds a batch in order, as the store does: a record may join a cluster started earlier in the batch. */
    public List<Resolution> addAll(List<CustomerRecord> batch) {
        int first = records.size();
        List<long[]> keys = batch.stream().map(RecordMatcher::keys).toList();
        List<RecordMatcher.Match> matches = matcher.match(batch, keys, this::candidates, r -> Integer.toString(first + r));
        List<Resolution> resolutions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            int position = first + i;
            RecordMatcher.Match match = matches.get(i);
            records.add(batch.get(i));
            parent.add(position);
            union(Integer.parseInt(match.customerId()), position);
            match.linked().forEach(cluster -> union(Integer.parseInt(cluster), position));
            // the id of the record's candidates in the batch is their position, negated, less one
            if (match.decision() == MatchDecision.REVIEW) {
                long candidate = match.candidate().id();
                reviews.add(new Review(candidate > 0 ? (int) candidate - 1 : first + (int) (-1 - candidate), position,
                        match.score()));
            }
            index.add(keys.get(i), position + 1);
            resolutions.add(new Resolution(position, root(position), match.decision(), match.score()));
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

    /** Records whose best candidate scored between the thresholds, and that candidate. */
    public List<Review> reviews() {
        return List.copyOf(reviews);
    }

    /** How many record pairs were compared so far. */
    public long comparisons() {
        return matcher.comparisons();
    }

    public int size() {
        return records.size();
    }

    /** The candidate source: index ids are positions plus one, the customer a record's cluster. */
    private List<RecordMatcher.Candidate> candidates(int[] ids) {
        List<RecordMatcher.Candidate> candidates = new ArrayList<>(ids.length);
        for (int id : ids) {
            candidates.add(new RecordMatcher.Candidate(id, Integer.toString(root(id - 1)), records.get(id - 1)));
        }
        return candidates;
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
