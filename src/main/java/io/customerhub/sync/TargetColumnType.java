package io.customerhub.sync;

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
 * The type of a target table's column as a {@code jdbc-sync} writer binds it: canonical text (dates
 * ISO, numbers as written) becomes the Java value the driver sends as that SQL type, so that the
 * database compares and stores it as its own (a {@code DATE} a date, a numeric key a number) and
 * the {@code jdbc-source} reading the row back gives the same text. Values are bound as
 * {@code java.time} types, never {@code java.sql.Timestamp}, so no driver time zone shifts them;
 * times without a zone are local times in the database's zone, as the reader reads them.
 */
enum TargetColumnType {
    BOOLEAN, INTEGER, DECIMAL, FLOAT, DATE, TIMESTAMP, TIMESTAMP_TZ, UUID, TEXT,
    /** A type of its own (PostgreSQL json, an enum): sent as text for the database to cast. */
    OTHER;

    /** The type of column {@code column} (1-based) of a result set. */
    static TargetColumnType of(ResultSetMetaData meta, int column) throws SQLException {
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

    boolean isTime() {
        return this == DATE || this == TIMESTAMP || this == TIMESTAMP_TZ;
    }

    /**
     * The value to bind for canonical text {@code text}.
     *
     * @throws IllegalArgumentException saying why the text is no value of this type
     */
    Object value(String text, ZoneId zone) {
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
            throw new IllegalArgumentException("'" + text + "' is not " + label(), e);
        }
    }

    /** The value to bind for the point in time {@code at}, for an updated column. */
    Object value(Instant at, ZoneId zone) {
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

    private String label() {
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
