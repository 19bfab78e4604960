package io.customerhub.store;

import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.util.List;
import java.util.function.Function;

/**
 * Survivorship "most recent": the golden values of a customer are, field by field, the first
 * known value among its source records ordered newest first. An unknown gender ({@code U}) counts
 * as missing, so it never hides a known one. Per-field rules and lineage come later; this is the
 * one place that decides which source value a golden field shows.
 */
final class GoldenValues {

    private GoldenValues() {
    }

    /** The golden values of source records given newest first; source, key and timestamps are left null. */
    static CustomerRecord mostRecent(List<CustomerRecord> newestFirst) {
        Gender gender = Gender.U;
        for (CustomerRecord record : newestFirst) {
            if (record.gender() != Gender.U) {
                gender = record.gender();
                break;
            }
        }
        return new CustomerRecord(null, null, null,
                first(newestFirst, CustomerRecord::fullName),
                first(newestFirst, CustomerRecord::givenName),
                first(newestFirst, CustomerRecord::familyName),
                gender,
                first(newestFirst, CustomerRecord::birthDate),
                first(newestFirst, CustomerRecord::email),
                first(newestFirst, CustomerRecord::phone),
                null,
                new PostalAddress(
                        first(newestFirst, r -> r.address().country()),
                        first(newestFirst, r -> r.address().province()),
                        first(newestFirst, r -> r.address().city()),
                        first(newestFirst, r -> r.address().district()),
                        first(newestFirst, r -> r.address().street()),
                        first(newestFirst, r -> r.address().postalCode())),
                first(newestFirst, CustomerRecord::company),
                first(newestFirst, CustomerRecord::nationalId));
    }

    private static <T> T first(List<CustomerRecord> records, Function<CustomerRecord, T> field) {
        for (CustomerRecord record : records) {
            T value = field.apply(record);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
