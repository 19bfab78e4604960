package io.customerhub.merge;

import java.time.Instant;
import java.util.List;

/**
 * A disagreement on a field group found while a golden record was recomputed, and how {@code rule}
 * settled it: a source that does not own the group against its owner, or (no owner) a source's
 * concurrent edit against the golden record's value.
 *
 * @param ownerSource  the owning source, {@code ownerKey} its record, {@code ownerValues} its values of the group;
 *                     without an owner: the record that supplied the golden record's value ({@code hub} and an
 *                     empty key when none did), and that value
 * @param otherSource  the source that brought a different value, {@code otherKey} its record, {@code otherAt} when
 *                     the hub read that value as an edit (its record's first read when it never changed)
 * @param rule         the group's conflict rule ({@link ConflictRule#key()}) or, without an owner, its
 *                     survivorship rule ({@link SurvivorshipRule#key()})
 * @param outcome      {@code OWNER_KEPT}, {@code NEWEST_TAKEN} (the other value was newer and won),
 *                     {@code OWNER_NEWER} (newest wins, and the owner's was newer) or {@code HELD}; without an
 *                     owner {@code TAKEN} (the edit's value is now the golden one) or {@code KEPT}
 */
public record Conflict(FieldGroup group, String ownerSource, String ownerKey, List<Object> ownerValues,
                       String otherSource, String otherKey, List<Object> otherValues, Instant otherAt, String rule,
                       String outcome) {

    public Conflict {
        ownerValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(ownerValues));
        otherValues = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(otherValues));
    }
}
