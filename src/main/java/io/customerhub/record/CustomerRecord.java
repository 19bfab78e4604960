package io.customerhub.record;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One customer as one source system describes it, after cleansing: the canonical shape every
 * source is mapped to and every later stage (matching, merging, storing, sync) works on.
 *
 * <p>Values are normalized: names trimmed, e-mail lower-case, phone in E.164 (with the value as
 * delivered kept in {@code phoneRaw}), dates ISO, Chinese province and city names canonical.
 * Fields a source does not deliver are null. An organization ({@link CustomerType}) has its name in
 * {@code fullName} only, and its registry id (a unified social credit code) in {@code nationalId}.
 */
public record CustomerRecord(
        String source,
        String sourceKey,
        Instant sourceUpdatedAt,
        String fullName,
        String givenName,
        String familyName,
        Gender gender,
        LocalDate birthDate,
        String email,
        String phone,
        String phoneRaw,
        PostalAddress address,
        String company,
        String nationalId,
        CustomerType type) {

    public CustomerRecord {
        if (gender == null) {
            gender = Gender.U;
        }
        if (address == null) {
            address = PostalAddress.EMPTY;
        }
        if (type == null) {
            type = CustomerType.PERSON;
        }
    }

    /** A person. */
    public CustomerRecord(String source, String sourceKey, Instant sourceUpdatedAt, String fullName, String givenName,
                          String familyName, Gender gender, LocalDate birthDate, String email, String phone, String phoneRaw,
                          PostalAddress address, String company, String nationalId) {
        this(source, sourceKey, sourceUpdatedAt, fullName, givenName, familyName, gender, birthDate, email, phone, phoneRaw,
                address, company, nationalId, CustomerType.PERSON);
    }

    public boolean isOrganization() {
        return type == CustomerType.ORGANIZATION;
    }
}
