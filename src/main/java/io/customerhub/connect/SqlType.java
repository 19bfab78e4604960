package io.customerhub.connect;

import io.customerhub.record.DeletionFlag;

import java.math.BigDecimal;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/**
 * The SQL type of a column, the one mapping of JDBC types both sides use: what a {@code jdbc-source} reads a watermark
 * column as, and how a {@code jdbc-sync} writer binds canonical text (dates ISO, numbers as written) as the Java value
 * the driver sends as that type, so that the database compares and stores it as its own (a {@code DATE} a date, a
 * numeric key a number) and the source reading the row back gives the same text. Values are bound as
 * {@code java.time} types, never {@code java.sql.Timestamp}, so no driver time zone shifts them; times without a zone
 * are local times in the database's zone, as the reader reads them.
 */
public enum SqlType {
    BOOLEAN, INTEGER, DECIMAL, FLOAT, DATE, TIMESTAMP, TIMESTAMP_TZ, UUID, TEXT,
    /** A type of its own (PostgreSQL json, an enum): sent as text for the database to cast. */
    OTHER;

    /** The type of column {@code column} (1-based) of a result set. */
    public static SqlType of(ResultSetMetaData meta, int column) throws SQLException {
        String name = String.valueOf(meta.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
        if (name.equals("uuid")) {
            return UUID;
        }
        // PostgreSQL reports timestamptz as TIMESTAMP, by its type name only
        if (name.equals("timestamptz") || name.contains("with time zone")) {
            return TIMESTAMP_TZ;
        }
        return switch (meta.getColumnType(column)) {
            case Types.BOOLEAN -> BOOLEAN;
            // a BIT(n) of several bits is a bit string, not a flag
            case Types.BIT -> meta.getPrecision(column) > 1 ? OTHER : BOOLEAN;
            case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
            case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> FLOAT;
            case Types.DATE -> DATE;
            case Types.TIMESTAMP -> TIMESTAMP;
            case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB -> TEXT;
            default -> OTHER;
        };
    }

    /** The name a stored watermark keeps the type by: {@code timestamp-tz}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The type of {@link #label()} {@code label}. */
    public static SqlType ofLabel(String label) {
        for (SqlType type : values()) {
            if (type.label().equals(label)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown column type '" + label + "'");
    }

    public boolean isTime() {
        return this == DATE || this == TIMESTAMP || this == TIMESTAMP_TZ;
    }

    /**
     * The value to bind for canonical text {@code text}.
     *
     * @throws IllegalArgumentException saying why the text is no value of this type
     */
    public Object value(String text, ZoneId zone) {
        String value = text.strip();
        try {
            return switch (this) {
                case BOOLEAN -> {
                    if (DeletionFlag.isYes(value)) {
                        yield Boolean.TRUE;
                    }
                    if (DeletionFlag.isNo(value)) {
                        yield Boolean.FALSE;
                    }
                    throw new IllegalArgumentException("not a yes or no");
                }
                case INTEGER -> new BigDecimal(value).longValueExact();
                case DECIMAL -> new BigDecimal(value);
                case FLOAT -> Double.valueOf(value);
                case DATE -> LocalDate.parse(value.length() > 10 && value.charAt(10) == 'T' ? value.substring(0, 10) : value);
                case TIMESTAMP -> {
                    OffsetDateTime zoned = zoned(value);
                    yield zoned != null ? zoned.atZoneSameInstant(zone).toLocalDateTime() : local(value);
                }
                case TIMESTAMP_TZ -> {
                    OffsetDateTime zoned = zoned(value);
                    yield zoned != null ? zoned : local(value).atZone(zone).toOffsetDateTime();
                }
                case UUID -> java.util.UUID.fromString(value);
                case TEXT, OTHER -> text;
            };
        } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not " + described(), e);
        }
    }

    /** The value to bind for the point in time {@code at}, for an updated column. */
    public Object value(Instant at, ZoneId zone) {
        return switch (this) {
            case DATE -> LocalDate.ofInstant(at, zone);
            case TIMESTAMP -> LocalDateTime.ofInstant(at, zone);
            case TIMESTAMP_TZ -> OffsetDateTime.ofInstant(at, zone);
            default -> throw new IllegalStateException(this + " is not a point in time");
        };
    }

    private static OffsetDateTime zoned(String value) {
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static LocalDateTime local(String value) {
        return value.length() == 10 ? LocalDate.parse(value).atStartOfDay() : LocalDateTime.parse(value);
    }

    private String described() {
        return switch (this) {
            case BOOLEAN -> "a boolean (true or false)";
            case INTEGER -> "a whole number";
            case DECIMAL, FLOAT -> "a number";
            case DATE -> "a date (yyyy-MM-dd)";
            case TIMESTAMP, TIMESTAMP_TZ -> "a timestamp (ISO-8601)";
            case UUID -> "a uuid";
            case TEXT, OTHER -> "a text";
        };
    }
}
