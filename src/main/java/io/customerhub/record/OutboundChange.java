package io.customerhub.record;


import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * One change of a golden record bound for one record of one target system: what a sync writer
 * writes. The values are the golden record's at the time of the change, in canonical fields
 * (dates ISO, phones E.164); the writer maps them to the target's own fields.
 *
 * @param changeSeq  the change it carries ({@code sync_change.seq}, its place in the change log); also part of the
 *                   idempotency key of the write
 * @param target     the target system, e.g. {@code erp}
 * @param customerId the golden record's id
 * @param targetKey  the key of the record in the target: its own key when the hub has read the
 *                   customer from it, otherwise the golden id (the target then creates it)
 * @param created    true when the target has no record of this customer yet
 * @param deleted    true when the golden record is {@code DELETED}
 * @param values     the golden values; absent fields are unknown
 * @param changedAt  when the golden record changed
 * @param basedOn    the target record's own change time as the hub last read it (the target's clock, never the
 *                   hub's); null when unknown (never read, or a create). A writer that can write conditionally writes
 *                   only while the record has not changed since, so that an edit the hub has not read yet is never
 *                   overwritten; after the hub's own write that holds until its echo is read
 */
public record OutboundChange(
        long changeSeq,
        String target,
        String customerId,
        String targetKey,
        boolean created,
        boolean deleted,
        Map<CanonicalField, String> values,
        Instant changedAt,
        Instant basedOn) {

    public OutboundChange {
        values = values.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /** A change not based on a known state of the target record. */
    public OutboundChange(long changeSeq, String target, String customerId, String targetKey, boolean created, boolean deleted,
                          Map<CanonicalField, String> values, Instant changedAt) {
        this(changeSeq, target, customerId, targetKey, created, deleted, values, changedAt, null);
    }

    public String value(CanonicalField field) {
        return field == CanonicalField.SOURCE_KEY ? targetKey : values.get(field);
    }

    /**
     * A stable idempotency key of this write, for targets that take one (an HTTP header): of its change, target
     * record and values. A retry repeats it; a newer change of the customer has its own.
     */
    public String idempotencyKey() {
        CRC32 content = new CRC32();
        values.forEach((field, value) -> content.update((field.name() + "=" + value + "\n").getBytes(StandardCharsets.UTF_8)));
        content.update(deleted ? 1 : 0);
        return "customer-hub-" + target + "-" + changeSeq + "-" + targetKey + "-" + Long.toHexString(content.getValue());
    }
}
