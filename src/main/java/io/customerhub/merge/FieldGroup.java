package io.customerhub.merge;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The units survivorship picks whole from one source record: a name or an address mixed from two
 * records ("Wei" from one, "Zhang Li" from another; a street from one city and a postal code from
 * another) would describe nobody, so their parts always come from the same record.
 */
public enum FieldGroup {
    NAME("name", CustomerRecord::fullName, CustomerRecord::givenName, CustomerRecord::familyName),
    GENDER("gender", r -> r.gender() == Gender.U ? null : r.gender()),
    BIRTH_DATE("birthDate", CustomerRecord::birthDate),
    EMAIL("email", CustomerRecord::email),
    PHONE("phone", CustomerRecord::phone),
    ADDRESS("address", r -> r.address().country(), r -> r.address().province(), r -> r.address().city(),
            r -> r.address().district(), r -> r.address().street(), r -> r.address().postalCode()),
    COMPANY("company", CustomerRecord::company),
    NATIONAL_ID("nationalId", CustomerRecord::nationalId);

    private final String key;
    private final List<Function<CustomerRecord, Object>> parts;

    @SafeVarargs
    FieldGroup(String key, Function<CustomerRecord, Object>... parts) {
        this.key = key;
        this.parts = List.of(parts);
    }

    /** The name in settings ({@code hub.merge.survivorship.<key>}) and in lineage JSON. */
    public String key() {
        return key;
    }

    /** The canonical fields the group covers, in record order. */
    public List<CanonicalField> fields() {
        return switch (this) {
            case NAME -> List.of(CanonicalField.FULL_NAME, CanonicalField.GIVEN_NAME, CanonicalField.FAMILY_NAME);
            case GENDER -> List.of(CanonicalField.GENDER);
            case BIRTH_DATE -> List.of(CanonicalField.BIRTH_DATE);
            case EMAIL -> List.of(CanonicalField.EMAIL);
            case PHONE -> List.of(CanonicalField.PHONE);
            case ADDRESS -> List.of(CanonicalField.COUNTRY, CanonicalField.PROVINCE, CanonicalField.CITY,
                    CanonicalField.DISTRICT, CanonicalField.STREET, CanonicalField.POSTAL_CODE);
            case COMPANY -> List.of(CanonicalField.COMPANY);
            case NATIONAL_ID -> List.of(CanonicalField.NATIONAL_ID);
        };
    }

    /** The group's values in {@code record}; an unknown gender counts as missing. */
    public List<Object> values(CustomerRecord record) {
        return parts.stream().map(part -> part.apply(record)).toList();
    }

    /** The group's values in {@code record} as canonical texts, one per field of {@link #fields()} (null for none). */
    public List<String> texts(CustomerRecord record) {
        return fields().stream().map(field -> field.textOf(record)).toList();
    }

    /** The group's values among canonical texts by field (an outbox payload), one per field of {@link #fields()}. */
    public List<String> texts(Map<CanonicalField, String> values) {
        return fields().stream().map(values::get).toList();
    }

    /** A short fingerprint of the group's values in {@code record}: equal values, equal hashes (for {@link SourceSnapshot.Edit#base}). */
    public String hash(CustomerRecord record) {
        return hash(texts(record));
    }

    /** The fingerprint of {@code texts} as {@link #texts} gives them. */
    public static String hash(List<String> texts) {
        StringBuilder text = new StringBuilder();
        for (String value : texts) {
            text.append(value == null ? "" : value).append('\u0000');
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** How many parts {@code record} has a value for: zero means the record says nothing here. */
    int known(CustomerRecord record) {
        return (int) parts.stream().map(part -> part.apply(record)).filter(Objects::nonNull).count();
    }

    /** The group named {@code key}, or an exception listing the valid names. */
    public static FieldGroup of(String key) {
        return Arrays.stream(values()).filter(group -> group.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown survivorship field '" + key + "'; expected one of "
                        + String.join(", ", Arrays.stream(values()).map(FieldGroup::key).toList())));
    }
}
