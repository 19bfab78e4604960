package io.customerhub.record;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The names integrators use in field mappings and validation rules, one per value of
 * {@link CustomerRecord} (address parts flattened), plus {@link #DELETED}: the source's mark that the
 * customer was deleted there, a property of the delivery ({@link SourceRecord#deleted()}) rather than a
 * value of the customer. The name is the camelCase key in YAML.
 */
public enum CanonicalField {
    SOURCE_KEY("sourceKey"),
    SOURCE_UPDATED_AT("sourceUpdatedAt"),
    FULL_NAME("fullName"),
    GIVEN_NAME("givenName"),
    FAMILY_NAME("familyName"),
    GENDER("gender"),
    BIRTH_DATE("birthDate"),
    EMAIL("email"),
    PHONE("phone"),
    COUNTRY("country"),
    PROVINCE("province"),
    CITY("city"),
    DISTRICT("district"),
    STREET("street"),
    POSTAL_CODE("postalCode"),
    COMPANY("company"),
    NATIONAL_ID("nationalId"),
    /** {@code person} or {@code organization} ({@link CustomerType}); a person has none (null). */
    CUSTOMER_TYPE("customerType"),
    /** {@code true} when the source marks the record deleted; set by the mapping's top-level {@code deleted} entry. */
    DELETED("deleted");

    private static final Map<String, CanonicalField> BY_KEY = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(CanonicalField::key, Function.identity()));

    private final String key;

    CanonicalField(String key) {
        this.key = key;
    }

    /** The name used in YAML mappings and configuration, e.g. {@code postalCode}. */
    public String key() {
        return key;
    }

    /**
     * This field's value in {@code record} as canonical text (dates ISO), or null when it has none (gender U is
     * none; {@link #DELETED} is never a value of the customer).
     */
    public String textOf(CustomerRecord record) {
        Object value = switch (this) {
            case SOURCE_KEY -> record.sourceKey();
            case SOURCE_UPDATED_AT -> record.sourceUpdatedAt();
            case FULL_NAME -> record.fullName();
            case GIVEN_NAME -> record.givenName();
            case FAMILY_NAME -> record.familyName();
            case GENDER -> record.gender() == Gender.U ? null : record.gender();
            case BIRTH_DATE -> record.birthDate();
            case EMAIL -> record.email();
            case PHONE -> record.phone();
            case COUNTRY -> record.address().country();
            case PROVINCE -> record.address().province();
            case CITY -> record.address().city();
            case DISTRICT -> record.address().district();
            case STREET -> record.address().street();
            case POSTAL_CODE -> record.address().postalCode();
            case COMPANY -> record.company();
            case NATIONAL_ID -> record.nationalId();
            case CUSTOMER_TYPE -> record.isOrganization() ? record.type() : null;
            case DELETED -> null;
        };
        return value == null ? null : value.toString();
    }

    /** The field named {@code key}, or an exception listing the valid names. */
    public static CanonicalField of(String key) {
        CanonicalField field = BY_KEY.get(key);
        if (field == null) {
            throw new IllegalArgumentException("unknown canonical field '" + key + "'; expected one of "
                    + Arrays.stream(values()).map(CanonicalField::key).collect(Collectors.joining(", ")));
        }
        return field;
    }
}
