package io.customerhub.ingest;

import io.customerhub.connect.SqlIdentifier;

import java.util.Locale;

/**
 * The three statements a {@code jdbc-source} polls with, built only from checked identifiers and
 * a query the integrator wrote; every value is a bind parameter. They page by keyset on
 * (updated column, key column), so rows sharing one timestamp across a batch boundary are each
 * read once, and use no dialect's LIMIT: the reader caps rows with {@code Statement.setMaxRows}.
 * Rows whose updated or key column is null are never read (they have no place in the order).
 *
 * @param relation what is read: a table name, or the integrator's SELECT as a derived table
 */
record KeysetQuery(String relation, SqlIdentifier updated, SqlIdentifier key) {

    /** Reads {@code table}. */
    static KeysetQuery ofTable(SqlIdentifier table, SqlIdentifier updated, SqlIdentifier key) {
        return new KeysetQuery(table.text(), updated, key);
    }

    /**
     * Reads the rows of {@code select}, wrapped as a derived table. It must be one SELECT (or WITH)
     * statement without {@code ;} or {@code ?}: the hub adds the paging condition and the
     * parameters after it.
     */
    static KeysetQuery ofSelect(String select, SqlIdentifier updated, SqlIdentifier key) {
        String text = select == null ? "" : select.strip();
        String head = text.toLowerCase(Locale.ROOT);
        if (!(head.startsWith("select") || head.startsWith("with")) || text.length() < 7
                || !Character.isWhitespace(text.charAt(head.startsWith("with") ? 4 : 6))) {
            throw new IllegalArgumentException("query: expected one SELECT statement (the hub pages through its rows)");
        }
        if (text.indexOf(';') >= 0) {
            throw new IllegalArgumentException("query: must be a single statement, without ';'");
        }
        if (text.indexOf('?') >= 0) {
            throw new IllegalArgumentException("query: must not contain '?': the hub binds its own parameters after the query");
        }
        // the line breaks end a trailing -- comment before the hub's part of the statement
        return new KeysetQuery("(\n" + text + "\n)", updated, key);
    }

    /** The first poll of a source: every row. */
    String everything() {
        return select("t." + updated + " IS NOT NULL AND t." + key + " IS NOT NULL");
    }

    /** Rows updated at or after the bound timestamp: a poll's start, the overlap window before its watermark. */
    String since() {
        return select("t." + updated + " >= ? AND t." + key + " IS NOT NULL");
    }

    /** Rows after the bound (timestamp, key) position, three parameters: timestamp, timestamp, key. */
    String after() {
        return select("(t." + updated + " > ? OR (t." + updated + " = ? AND t." + key + " > ?)) AND t." + key + " IS NOT NULL");
    }

    /** No row, only the columns of what is read: what {@code check} and {@code discover} look at. */
    String nothing() {
        return "SELECT * FROM " + relation + " t WHERE 1 = 0";
    }

    private String select(String condition) {
        return "SELECT * FROM " + relation + " t WHERE " + condition + " ORDER BY t." + updated + ", t." + key;
    }
}
