package io.customerhub.store;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a store call did with the records it was given; the counts add up to the records of the
 * batch, so that "nothing is lost" can be checked from a summary.
 *
 * @param created     new source records, whether they started a golden record or joined one
 * @param updated     records that changed a stored one
 * @param unchanged   records equal to the stored one, or older than it (stale)
 * @param quarantined records put into (or left in) the quarantine
 * @param duplicates  re-deliveries dropped by the idempotent consumer
 * @param toMerge     golden records of several source records that the call joined or changed: the
 *                    merge stage recomputes their values ({@link CustomerStore#mergePending})
 * @param leftOut     values left out of the stored records because they could not be read, by field
 *                    ({@code value_finding}); not a count of records
 */
public record StoreResult(int created, int updated, int unchanged, int quarantined, int duplicates, Set<String> toMerge,
                          Map<String, Integer> leftOut) {

    public static final StoreResult NONE = new StoreResult(0, 0, 0, 0, 0);

    public StoreResult {
        toMerge = Set.copyOf(toMerge);
        leftOut = Collections.unmodifiableMap(new TreeMap<>(leftOut));
    }

    public StoreResult(int created, int updated, int unchanged, int quarantined, int duplicates, Set<String> toMerge) {
        this(created, updated, unchanged, quarantined, duplicates, toMerge, Map.of());
    }

    public StoreResult(int created, int updated, int unchanged, int quarantined, int duplicates) {
        this(created, updated, unchanged, quarantined, duplicates, Set.of());
    }

    public StoreResult plus(StoreResult other) {
        Set<String> ids = new LinkedHashSet<>(toMerge);
        ids.addAll(other.toMerge);
        Map<String, Integer> values = new TreeMap<>(leftOut);
        other.leftOut.forEach((field, count) -> values.merge(field, count, Integer::sum));
        return new StoreResult(created + other.created, updated + other.updated, unchanged + other.unchanged,
                quarantined + other.quarantined, duplicates + other.duplicates, ids, values);
    }

    /** The counts since {@code earlier}, a total this one grew from. */
    public StoreResult minus(StoreResult earlier) {
        return new StoreResult(created - earlier.created, updated - earlier.updated, unchanged - earlier.unchanged,
                quarantined - earlier.quarantined, duplicates - earlier.duplicates);
    }

    /** The counts alone, without {@code toMerge}: what statistics keep. */
    public StoreResult counts() {
        return toMerge.isEmpty() ? this : new StoreResult(created, updated, unchanged, quarantined, duplicates, Set.of(), leftOut);
    }

    public int total() {
        return created + updated + unchanged + quarantined + duplicates;
    }
}
