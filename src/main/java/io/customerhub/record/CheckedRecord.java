package io.customerhub.record;

/**
 * A record that passed cleansing and validation, with the delivery it came from and what the
 * external lookups added to it ({@link Enrichment#NONE} until a lookup ran).
 */
public record CheckedRecord(SourceRecord delivery, CustomerRecord customer, Enrichment enrichment) {

    public CheckedRecord {
        if (enrichment == null) {
            enrichment = Enrichment.NONE;
        }
    }

    public CheckedRecord(SourceRecord delivery, CustomerRecord customer) {
        this(delivery, customer, Enrichment.NONE);
    }

    /** Whether the source marks the record deleted: a deletion needs only its key, its values are not used. */
    public boolean deleted() {
        return delivery.deleted();
    }

    public CheckedRecord withCustomer(CustomerRecord changed) {
        return new CheckedRecord(delivery, changed, enrichment);
    }

    /** This record with {@code next} added to what earlier lookups found. */
    public CheckedRecord enrichedWith(Enrichment next) {
        return new CheckedRecord(delivery, customer, enrichment.and(next));
    }
}
