package io.customerhub.record;

/** A record that passed cleansing and validation, with the delivery it came from. */
public record CheckedRecord(SourceRecord delivery, CustomerRecord customer) {
}
