package io.customerhub.record;

import java.util.List;

/**
 * A batch of one source's records after cleansing and validation: the unit the idempotent
 * consumer and the store work on, so each costs one round trip per batch, not per record.
 *
 * @param duplicates how many records of the batch were dropped as re-deliveries
 */
public record CheckedBatch(String source, List<CheckedRecord> accepted, List<Rejection> rejected, int duplicates) {

    public CheckedBatch {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }

    public int size() {
        return accepted.size() + rejected.size() + duplicates;
    }
}
