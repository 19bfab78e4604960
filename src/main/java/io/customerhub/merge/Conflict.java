package io.customerhub.merge;

import java.util.List;

/**
 * A field group on which a source that does not own it disagrees with its owner, found while a
 * golden record was recomputed, and how {@code rule} settled it.
 *
 * @param ownerSource  the owning source, {@code ownerKey} its record, {@code ownerValues} its values of the group
 * @param otherSource  the source that brought a different value, {@code otherKey} its record
 * @param outcome      {@code OWNER_KEPT}, {@code NEWEST_TAKEN} (the other value was newer and won),
 *                     {@code OWNER_NEWER} (newest wins, and the owner's was newer) or {@code HELD}
 */
public record Conflict(FieldGroup group, String ownerSource, String ownerKey, List<Object> ownerValues,
                       String otherSource, String otherKey, List<Object> otherValues, ConflictRule rule, String outcome) {

    public Conflict {
        ownerValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ownerValues));
        otherValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(otherValues));
    }
}
