package io.customerhub.merge;

import io.customerhub.record.CustomerRecord;
import java.util.List;
import java.util.Map;

/**
 * The values of a golden record and, per field group with a value, the lineage of that value.
 * {@code values} has no source, key or timestamp of its own; {@code conflicts} are the field groups
 * on which a source disagreed with the group's owner.
 */
public record GoldenRecord(CustomerRecord values, Map<FieldGroup, Lineage> lineage, List<Conflict> conflicts) {

    public GoldenRecord(CustomerRecord values, Map<FieldGroup, Lineage> lineage) {
        this(values, lineage, List.of());
    }

    public GoldenRecord {
        lineage = Map.copyOf(lineage);
        conflicts = List.copyOf(conflicts);
    }
}
