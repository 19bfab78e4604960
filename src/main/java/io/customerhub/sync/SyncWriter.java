package io.customerhub.sync;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;

import java.util.List;
import java.util.Set;

/**
 * Writes golden-record changes to one target system in that system's own shape (the
 * {@code file-sync}, {@code http-sync} and {@code jdbc-sync} templates). Writes must be idempotent
 * (an upsert by the target's key, a PUT, a file named by the changes it holds): delivery is at
 * least once, so a change may be written again after a crash.
 */
public interface SyncWriter {

    /**
     * Writes {@code changes}, oldest first (at most one per target record).
     *
     * @return one outcome per change, in order: written (with the key the target assigned to a record it
     *         created, under {@link CreatePolicy#TARGET_ASSIGNED}); failed (retried later, and later changes
     *         of that customer wait for it); or refused for good (not retried)
     * @throws Exception when the target cannot be reached at all: nothing counts as written
     */
    List<WriteOutcome> write(List<OutboundChange> changes) throws Exception;

    /** How this target gets customers it does not hold yet. */
    default CreatePolicy create() {
        return CreatePolicy.GOLDEN_ID;
    }

    /**
     * Whether a write is applied when {@link #write} returns (a database row, an API call), or only later, when
     * the system imports what was handed to it (a file): until it is read back, the hub does not take such a
     * target for holding what it wrote, so an edit made there in the meantime counts as made without it.
     */
    default boolean appliesWrites() {
        return true;
    }

    /** The canonical fields this target holds (what its mapping writes back), the key included. */
    Set<CanonicalField> fields();

    /**
     * This writer, for a template route to hand to the {@code sync-target} stage as the body: a
     * template's local bean can be referred to only while its route is created, not looked up later.
     */
    default SyncWriter writer() {
        return this;
    }
}
