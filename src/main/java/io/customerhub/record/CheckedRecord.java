package io.customerhub.record;

import java.util.List;

/**
 * A record that passed cleansing and validation, with the delivery it came from, what the external lookups added to
 * it ({@link Enrichment#NONE} until a lookup ran) and the values left out of it because they could not be read.
 */
public record CheckedRecord(SourceRecord delivery, CustomerRecord customer, Enrichment enrichment, List<ValueFinding> findings) {

    public CheckedRecord {
        if (enrichment == null) {
            enrichment = Enrichment.NONE;
        }
        findings = List.copyOf(findings);
    }

    public CheckedRecord(SourceRecord delivery, CustomerRecord customer) {
        this(delivery, customer, Enrichment.NONE, List.of());
    }

    /** Whether the source marks the record deleted: a deletion needs only its key, its values are not used. */
    public boolean deleted() {
        return delivery.deleted();
    }

    public CheckedRecord withCustomer(CustomerRecord changed) {
        return new CheckedRecord(delivery, changed, enrichment, findings);
    }

    /** This record with {@code next} added to what earlier lookups found. */
    public CheckedRecord enrichedWith(Enrichment next) {
        return new CheckedRecord(delivery, customer, enrichment.and(next), findings);
    }
}
