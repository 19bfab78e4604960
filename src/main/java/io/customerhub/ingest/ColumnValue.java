package io.customerhub.ingest;

import io.customerhub.connect.SqlType;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A value of a source's updated or key column as a watermark keeps it: its kind and its exact text,
 * so that it binds back as the same SQL type and compares equal to the row it came from on
 * PostgreSQL, MariaDB and H2. Timestamps keep their full precision (PostgreSQL microseconds, H2
 * nanoseconds, MariaDB whatever the column declares); they are read and bound as
 * {@code java.time} values, never as {@code java.sql.Timestamp}, so no time zone shifts them.
 */
record ColumnValue(SqlType kind, String text) {

    /** The SQL types a watermark column can have: a point in time, or a key that orders. */
    private static final Set<SqlType> TYPES = EnumSet.of(SqlType.TIMESTAMP, SqlType.TIMESTAMP_TZ, SqlType.DATE, SqlType.INTEGER,
            SqlType.DECIMAL, SqlType.TEXT, SqlType.UUID);

    /** Whether a column of {@code type} can be a watermark's. */
    static boolean watermarks(SqlType type) {
        return TYPES.contains(type);
    }

    ColumnValue {
        if (kind == null || text == null || !watermarks(kind)) {
            throw new IllegalArgumentException("a column value needs a kind a watermark can have and a text");
        }
        try {
            bindable(kind, text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + kind.label() + " value", e);
        }
    }

    /** The value of column {@code column} of the current row, or null when it is SQL NULL. */
    static ColumnValue read(ResultSet rs, int column, SqlType kind) throws SQLException {
        Object value = switch (kind) {
            case TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
            case TIMESTAMP_TZ -> rs.getObject(column, OffsetDateTime.class);
            case DATE -> rs.getObject(column, LocalDate.class);
            case INTEGER, TEXT, UUID -> rs.getString(column);
            case DECIMAL -> {
                BigDecimal decimal = rs.getBigDecimal(column);
                yield decimal == null ? null : decimal.toPlainString();
            }
            default -> throw new IllegalArgumentException(kind.label() + " is no watermark type");
        };
        return value == null ? null : new ColumnValue(kind, value.toString());
    }

    /** The value to hand to {@code PreparedStatement.setObject}. */
    Object bindable() {
        return bindable(kind, text);
    }

    private static Object bindable(SqlType kind, String text) {
        return switch (kind) {
            case TIMESTAMP -> LocalDateTime.parse(text);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
            case DATE -> LocalDate.parse(text);
            case INTEGER -> Long.valueOf(text.strip());
            case DECIMAL -> new BigDecimal(text.strip());
            case TEXT -> text;
            case UUID -> java.util.UUID.fromString(text.strip());
            default -> throw new IllegalArgumentException(kind.label() + " is no watermark type");
        };
    }

    /** This timestamp or date moved {@code overlap} back (a date by whole days, rounded up). */
    ColumnValue minus(Duration overlap) {
        return switch (kind) {
            case TIMESTAMP -> new ColumnValue(kind, LocalDateTime.parse(text).minus(overlap).toString());
            case TIMESTAMP_TZ -> new ColumnValue(kind, OffsetDateTime.parse(text).minus(overlap).toString());
            case DATE -> {
                long days = overlap.toDays() + (overlap.equals(Duration.ofDays(overlap.toDays())) ? 0 : 1);
                yield new ColumnValue(kind, LocalDate.parse(text).minusDays(days).toString());
            }
            default -> throw new IllegalStateException(kind.label() + " is not a point in time");
        };
    }

    /** Whether this value sorts before {@code other} (both of one kind); text as Java orders it. */
    boolean isBefore(ColumnValue other) {
        return switch (kind) {
            case TIMESTAMP -> LocalDateTime.parse(text).isBefore(LocalDateTime.parse(other.text));
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text).isBefore(OffsetDateTime.parse(other.text));
            case DATE -> LocalDate.parse(text).isBefore(LocalDate.parse(other.text));
            case INTEGER, DECIMAL -> new BigDecimal(text).compareTo(new BigDecimal(other.text)) < 0;
            default -> text.compareTo(other.text) < 0;
        };
    }
}
