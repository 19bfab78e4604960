package io.customerhub.merge;

import io.customerhub.record.CustomerRecord;
import java.time.Instant;
import java.util.Map;

/**
 * One source record of a golden record as survivorship sees it: its cleansed values, when the hub
 * first stored it ({@code at}), and, per field group changed since, the {@link Edit} that changed it.
 * These times are the hub's own arrival order, one clock for every source: the systems' own
 * timestamps are compared only within one source (to drop stale deliveries), never across them.
 */
public record SourceSnapshot(CustomerRecord values, Instant at, Map<FieldGroup, Edit> edits) {

    public SourceSnapshot {
        edits = Map.copyOf(edits);
    }

    /** A record none of whose groups changed since it was first stored. */
    public SourceSnapshot(CustomerRecord values, Instant at) {
        this(values, at, Map.of());
    }

    /** When {@code group} got the value this record holds: its last edit, else when the record was first stored. */
    public Instant at(FieldGroup group) {
        Edit edit = edits.get(group);
        return edit == null ? at : edit.at();
    }

    /**
     * The change of one field group of a source record after the hub first stored it.
     *
     * @param at   when the hub read the change (for an echo of the hub's own write: when the hub decided
     *             the value it wrote, so an echo is never newer than what the golden record learnt since)
     * @param base {@link FieldGroup#hash} of the group's values the record held before, as far as the hub
     *             knew (what it last read or wrote there); null for an echo, which is no edit
     * @param landed when the hub decided the newest of its writes this group was read back holding, or null:
     *             those writes and older ones have landed, and a value they wrote that comes back later is
     *             an edit (a user setting the value back), not their echo
     */
    public record Edit(Instant at, String base, Instant landed) {

        /** An edit of a group none of the hub's writes was read back in. */
        public Edit(Instant at, String base) {
            this(at, base, null);
        }

        public boolean isEcho() {
            return base == null;
        }
    }
}
