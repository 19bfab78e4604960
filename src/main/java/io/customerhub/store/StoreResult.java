package io.customerhub.store;

import java.util.LinkedHashSet;
import java.util.Set;

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
 */
public record StoreResult(int created, int updated, int unchanged, int quarantined, int duplicates, Set<String> toMerge) {

    public static final StoreResult NONE = new StoreResult(0, 0, 0, 0, 0);

    public StoreResult {
        toMerge = Set.copyOf(toMerge);
    }

    public StoreResult(int created, int updated, int unchanged, int quarantined, int duplicates) {
        this(created, updated, unchanged, quarantined, duplicates, Set.of());
    }

    public StoreResult plus(StoreResult other) {
        Set<String> ids = new LinkedHashSet<>(toMerge);
        ids.addAll(other.toMerge);
        return new StoreResult(created + other.created, updated + other.updated, unchanged + other.unchanged,
                quarantined + other.quarantined, duplicates + other.duplicates, ids);
    }

    /** The counts since {@code earlier}, a total this one grew from. */
    public StoreResult minus(StoreResult earlier) {
        return new StoreResult(created - earlier.created, updated - earlier.updated, unchanged - earlier.unchanged,
                quarantined - earlier.quarantined, duplicates - earlier.duplicates);
    }

    /** The counts alone, without {@code toMerge}: what statistics keep. */
    public StoreResult counts() {
        return toMerge.isEmpty() ? this : new StoreResult(created, updated, unchanged, quarantined, duplicates);
    }

    public int total() {
        return created + updated + unchanged + quarantined + duplicates;
    }
}
