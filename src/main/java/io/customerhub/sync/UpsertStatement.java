package io.customerhub.sync;

import io.customerhub.connect.SqlIdentifier;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one statement a {@code jdbc-sync} writer writes with: an upsert of one row by its key
 * column, in the dialect of the target database, built only from checked identifiers; every
 * value is a bind parameter, one per column in the order given (the key first). Writing the same
 * values twice leaves the same row.
 *
 * @param columns the key column first, then the columns it sets
 */
record UpsertStatement(Dialect dialect, SqlIdentifier table, List<SqlIdentifier> columns) {

    /** The databases a {@code jdbc-sync} writes to, each with its own upsert. */
    enum Dialect {
        POSTGRESQL, MARIADB, H2;

        /** The dialect of a JDBC URL, or null when it is none of these. */
        static Dialect ofUrl(String url) {
            String lower = url.toLowerCase(Locale.ROOT);
            if (lower.startsWith("jdbc:postgresql:")) {
                return POSTGRESQL;
            }
            if (lower.startsWith("jdbc:mariadb:") || lower.startsWith("jdbc:mysql:")) {
                return MARIADB;
            }
            return lower.startsWith("jdbc:h2:") ? H2 : null;
        }

        /** The dialect of {@code DatabaseMetaData.getDatabaseProductName()}, or null when it is none of these. */
        static Dialect ofProduct(String product) {
            String lower = String.valueOf(product).toLowerCase(Locale.ROOT);
            if (lower.contains("postgresql")) {
                return POSTGRESQL;
            }
            if (lower.contains("mariadb") || lower.contains("mysql")) {
                return MARIADB;
            }
            return lower.equals("h2") ? H2 : null;
        }
    }

    UpsertStatement {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("an upsert needs at least the key column");
        }
    }

    SqlIdentifier key() {
        return columns.get(0);
    }

    /** An insert of the columns after the key, for a database that generates the key. */
    String insertWithoutKey() {
        List<SqlIdentifier> set = columns.subList(1, columns.size());
        return "INSERT INTO " + table + " (" + set.stream().map(SqlIdentifier::text).collect(Collectors.joining(", "))
                + ") VALUES (" + set.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /**
     * An update of the columns after the key, of the row with the key, only while its {@code updated} column is null
     * or not later than a given time: the parameters are the columns after the key, the key, then that time.
     */
    String conditionalUpdate(SqlIdentifier updated) {
        return "UPDATE " + table + " SET " + columns.subList(1, columns.size()).stream().map(c -> c + " = ?")
                .collect(Collectors.joining(", ")) + " WHERE " + key() + " = ? AND (" + updated + " IS NULL OR " + updated
                + " <= ?)";
    }

    String sql() {
        String names = columns.stream().map(SqlIdentifier::text).collect(Collectors.joining(", "));
        String values = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        List<SqlIdentifier> set = columns.subList(1, columns.size());
        return switch (dialect) {
            case POSTGRESQL -> "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") ON CONFLICT (" + key() + ") "
                    + (set.isEmpty() ? "DO NOTHING"
                    : "DO UPDATE SET " + set.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", ")));
            // VALUES(c) rather than the MySQL 8 row alias: MariaDB knows only this form
            case MARIADB -> "INSERT INTO " + table + " (" + names + ") VALUES (" + values + ") ON DUPLICATE KEY UPDATE "
                    + (set.isEmpty() ? key() + " = " + key()
                    : set.stream().map(c -> c + " = VALUES(" + c + ")").collect(Collectors.joining(", ")));
            case H2 -> "MERGE INTO " + table + " (" + names + ") KEY (" + key() + ") VALUES (" + values + ")";
        };
    }
}
