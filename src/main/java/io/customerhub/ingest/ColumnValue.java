package io.customerhub.ingest;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Locale;

/**
 * A value of a source's updated or key column as a watermark keeps it: its kind and its exact text,
 * so that it binds back as the same SQL type and compares equal to the row it came from on
 * PostgreSQL, MariaDB and H2. Timestamps keep their full precision (PostgreSQL microseconds, H2
 * nanoseconds, MariaDB whatever the column declares); they are read and bound as
 * {@code java.time} values, never as {@code java.sql.Timestamp}, so no time zone shifts them.
 */
record ColumnValue(Kind kind, String text) {

    /** The SQL types a watermark column can have. */
    enum Kind {
        TIMESTAMP, TIMESTAMP_TZ, DATE, INTEGER, DECIMAL, TEXT, UUID;

        boolean isTime() {
            return this == TIMESTAMP || this == TIMESTAMP_TZ || this == DATE;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Kind ofLabel(String label) {
            for (Kind kind : values()) {
                if (kind.label().equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown column kind '" + label + "'");
        }

        /** The kind of column {@code column} (1-based) of a result set, or null when it is none of these. */
        static Kind of(ResultSetMetaData meta, int column) throws SQLException {
            String name = String.valueOf(meta.getColumnTypeName(column)).toLowerCase(Locale.ROOT);
            if (name.equals("uuid")) {
                return UUID;
            }
            // PostgreSQL reports timestamptz as TIMESTAMP, by its type name only
            if (name.equals("timestamptz") || name.contains("with time zone")) {
                return TIMESTAMP_TZ;
            }
            return switch (meta.getColumnType(column)) {
                case Types.TIMESTAMP -> TIMESTAMP;
                case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
                case Types.DATE -> DATE;
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
                case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
                case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR -> TEXT;
                default -> null;
            };
        }
    }

    ColumnValue {
        if (kind == null || text == null) {
            throw new IllegalArgumentException("a column value needs a kind and a text");
        }
        try {
            bindable(kind, text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + kind.label() + " value", e);
        }
    }

    /** The value of column {@code column} of the current row, or null when it is SQL NULL. */
    static ColumnValue read(ResultSet rs, int column, Kind kind) throws SQLException {
        Object value = switch (kind) {
            case TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
            case TIMESTAMP_TZ -> rs.getObject(column, OffsetDateTime.class);
            case DATE -> rs.getObject(column, LocalDate.class);
            case INTEGER, TEXT, UUID -> rs.getString(column);
            case DECIMAL -> {
                BigDecimal decimal = rs.getBigDecimal(column);
                yield decimal == null ? null : decimal.toPlainString();
            }
        };
        return value == null ? null : new ColumnValue(kind, value.toString());
    }

    /** The value to hand to {@code PreparedStatement.setObject}. */
    Object bindable() {
        return bindable(kind, text);
    }

    private static Object bindable(Kind kind, String text) {
        return switch (kind) {
            case TIMESTAMP -> LocalDateTime.parse(text);
            case TIMESTAMP_TZ -> OffsetDateTime.parse(text);
            case DATE -> LocalDate.parse(text);
            case INTEGER -> Long.valueOf(text.strip());
            case DECIMAL -> new BigDecimal(text.strip());
            case TEXT -> text;
            case UUID -> java.util.UUID.fromString(text.strip());
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
            case TEXT, UUID -> text.compareTo(other.text) < 0;
        };
    }
}
