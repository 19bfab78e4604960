package io.customerhub.store;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.CustomerType;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.function.Function;

/**
 * The normalized values that {@code customer} and {@code customer_source} share, in column order:
 * one place that knows how a {@link CustomerRecord} maps to columns, hashes and history JSON.
 */
enum ValueColumn {
    FULL_NAME(CanonicalField.FULL_NAME, "full_name", CustomerRecord::fullName),
    GIVEN_NAME(CanonicalField.GIVEN_NAME, "given_name", CustomerRecord::givenName),
    FAMILY_NAME(CanonicalField.FAMILY_NAME, "family_name", CustomerRecord::familyName),
    GENDER(CanonicalField.GENDER, "gender", r -> r.gender().name()),
    BIRTH_DATE(CanonicalField.BIRTH_DATE, "birth_date", CustomerRecord::birthDate),
    EMAIL(CanonicalField.EMAIL, "email", CustomerRecord::email),
    PHONE(CanonicalField.PHONE, "phone", CustomerRecord::phone),
    COUNTRY(CanonicalField.COUNTRY, "country", r -> r.address().country()),
    PROVINCE(CanonicalField.PROVINCE, "province", r -> r.address().province()),
    CITY(CanonicalField.CITY, "city", r -> r.address().city()),
    DISTRICT(CanonicalField.DISTRICT, "district", r -> r.address().district()),
    STREET(CanonicalField.STREET, "street", r -> r.address().street()),
    POSTAL_CODE(CanonicalField.POSTAL_CODE, "postal_code", r -> r.address().postalCode()),
    COMPANY(CanonicalField.COMPANY, "company", CustomerRecord::company),
    NATIONAL_ID(CanonicalField.NATIONAL_ID, "national_id", CustomerRecord::nationalId),
    /** ORGANIZATION, or null for a person: a person's content hash is what it was before the column came. */
    CUSTOMER_TYPE(CanonicalField.CUSTOMER_TYPE, "customer_type", r -> r.isOrganization() ? r.type().name() : null);

    /** The value columns joined by commas, for statements that list them. */
    static final String NAMES = String.join(", ", Arrays.stream(values()).map(c -> c.column).toList());

    /** {@code col = ?} for every value column, for UPDATE statements. */
    static final String ASSIGNMENTS = String.join(", ", Arrays.stream(values()).map(c -> c.column + " = ?").toList());

    final CanonicalField field;
    final String column;
    private final Function<CustomerRecord, Object> getter;

    ValueColumn(CanonicalField field, String column, Function<CustomerRecord, Object> getter) {
        this.field = field;
        this.column = column;
        this.getter = getter;
    }

    /** The value as text (dates ISO), or null: what the content hash and the history JSON use. */
    String text(CustomerRecord record) {
        Object value = getter.apply(record);
        return value == null ? null : value.toString();
    }

    /** Binds every value column of {@code record} from parameter {@code first} on; returns the next index. */
    static int bindAll(PreparedStatement statement, int first, CustomerRecord record) throws SQLException {
        int index = first;
        for (ValueColumn column : values()) {
            Object value = column.getter.apply(record);
            if (value instanceof LocalDate date) {
                statement.setObject(index++, date);
            } else if (column == BIRTH_DATE) {
                statement.setNull(index++, Types.DATE);
            } else {
                statement.setString(index++, (String) value);
            }
        }
        return index;
    }

    /** Reads the value columns (selected by {@link #NAMES}, from column {@code first} on) back into a record. */
    static CustomerRecord read(ResultSet rs, int first, String source, String sourceKey, Instant sourceUpdatedAt,
                               String phoneRaw) throws SQLException {
        String gender = rs.getString(first + GENDER.ordinal());
        return new CustomerRecord(source, sourceKey, sourceUpdatedAt,
                rs.getString(first + FULL_NAME.ordinal()),
                rs.getString(first + GIVEN_NAME.ordinal()),
                rs.getString(first + FAMILY_NAME.ordinal()),
                gender == null ? Gender.U : Gender.valueOf(gender.trim()),
                rs.getObject(first + BIRTH_DATE.ordinal(), LocalDate.class),
                rs.getString(first + EMAIL.ordinal()),
                rs.getString(first + PHONE.ordinal()),
                phoneRaw,
                new PostalAddress(
                        rs.getString(first + COUNTRY.ordinal()),
                        rs.getString(first + PROVINCE.ordinal()),
                        rs.getString(first + CITY.ordinal()),
                        rs.getString(first + DISTRICT.ordinal()),
                        rs.getString(first + STREET.ordinal()),
                        rs.getString(first + POSTAL_CODE.ordinal())),
                rs.getString(first + COMPANY.ordinal()),
                rs.getString(first + NATIONAL_ID.ordinal()),
                rs.getString(first + CUSTOMER_TYPE.ordinal()) == null ? CustomerType.PERSON : CustomerType.ORGANIZATION);
    }
}
