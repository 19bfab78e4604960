package io.customerhub.store;

/**
 * What a store call did with the records it was given; the counts add up to the records of the
 * batch, so that "nothing is lost" can be checked from a summary.
 *
 * @param created     new source records, whether they started a golden record or joined one
 * @param updated     records that changed a stored one
 * @param unchanged   records equal to the stored one, or older than it (stale)
 * @param quarantined records put into (or left in) the quarantine
 * @param duplicates  re-deliveries dropped by the idempotent consumer
 */
public record StoreResult(int created, int updated, int unchanged, int quarantined, int duplicates) {

    public static final StoreResult NONE = new StoreResult(0, 0, 0, 0, 0);

    public StoreResult plus(StoreResult other) {
        return new StoreResult(created + other.created, updated + other.updated, unchanged + other.unchanged,
                quarantined + other.quarantined, duplicates + other.duplicates);
    }

    public int total() {
        return created + updated + unchanged + quarantined + duplicates;
    }
}
