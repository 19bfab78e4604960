package io.customerhub.record;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The names integrators use in field mappings and validation rules, one per value of
 * {@link CustomerRecord} (address parts flattened). The name is the camelCase key in YAML.
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
    NATIONAL_ID("nationalId");

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
