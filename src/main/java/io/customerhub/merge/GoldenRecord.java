package io.customerhub.merge;

import io.customerhub.record.CustomerRecord;
import java.util.Map;

/**
 * The values of a golden record and, per field group with a value, the lineage of that value.
 * {@code values} has no source, key or timestamp of its own.
 */
public record GoldenRecord(CustomerRecord values, Map<FieldGroup, Lineage> lineage) {

    public GoldenRecord {
        lineage = Map.copyOf(lineage);
    }
}
