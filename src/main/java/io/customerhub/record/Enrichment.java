package io.customerhub.record;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the external lookups (content enricher) added to one record: the attributes a service
 * answered and whether the record was enriched. It travels beside the record on
 * {@link CheckedRecord} and is stored on the source row; it never changes the record's values,
 * its content hash or its matching.
 *
 * @param status     ENRICHED, NOT_ENRICHED or SKIPPED; null when no lookup is declared
 * @param reason     why not enriched or skipped, per lookup ({@code segment: timeout}); null when enriched
 * @param attributes the looked-up values by attribute name, in declaration order
 */
public record Enrichment(Status status, String reason, Map<String, String> attributes) {

    /** No lookup ran: nothing to store. */
    public static final Enrichment NONE = new Enrichment(null, null, Map.of());

    public enum Status {
        /** Every lookup with a key answered. */
        ENRICHED,
        /** A lookup failed or found nothing: the record is stored all the same. */
        NOT_ENRICHED,
        /** The record lacks the field every lookup is keyed by. */
        SKIPPED
    }

    public Enrichment {
        attributes = attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    public static Enrichment enriched(Map<String, String> attributes) {
        return new Enrichment(Status.ENRICHED, null, attributes);
    }

    public static Enrichment notEnriched(String reason) {
        return new Enrichment(Status.NOT_ENRICHED, reason, Map.of());
    }

    public static Enrichment skipped(String reason) {
        return new Enrichment(Status.SKIPPED, reason, Map.of());
    }

    /**
     * This outcome followed by another lookup's: attributes are merged (a later lookup's name wins),
     * the status is NOT_ENRICHED when either failed, else ENRICHED when either answered, else SKIPPED,
     * and reasons are joined with {@code "; "}.
     */
    public Enrichment and(Enrichment next) {
        if (status == null) {
            return next;
        }
        if (next.status == null) {
            return this;
        }
        Status combined = status == Status.NOT_ENRICHED || next.status == Status.NOT_ENRICHED ? Status.NOT_ENRICHED
                : status == Status.ENRICHED || next.status == Status.ENRICHED ? Status.ENRICHED
                : Status.SKIPPED;
        Map<String, String> merged = new LinkedHashMap<>(attributes);
        merged.putAll(next.attributes);
        String reasons = reason == null ? next.reason : next.reason == null ? reason : reason + "; " + next.reason;
        return new Enrichment(combined, reasons, merged);
    }
}
