package io.customerhub.store;

import io.customerhub.record.CanonicalField;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An open row of the {@code quarantine} table, as a replay reads it.
 *
 * @param id       the row's id: the handle a replay reports its outcome by
 * @param values   the mapped raw values, as a data steward may have edited them
 * @param position line number or 1-based index in {@code origin}; 0 when unknown
 */
public record QuarantineEntry(long id, String source, String sourceKey, String origin, long position, String rule,
                              String reason, String payload, Map<CanonicalField, String> values, Instant receivedAt) {

    public QuarantineEntry {
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }
}
