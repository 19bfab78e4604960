package io.customerhub.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * What the store holds, for operators: golden records, open quarantine entries per source and per rule, open match
 * reviews, watermarks. Each figure is one query over an index or a table count, read on request (the status
 * operation, the gauges), never on the ingest path.
 *
 * @param goldenRecords      active golden records
 * @param openQuarantine     open quarantine entries by source
 * @param quarantineByRule   open quarantine entries by rule, most frequent first
 * @param openReviews        match reviews waiting for a data steward
 * @param watermarks         the stored watermark of each polled source
 */
public record StoreFigures(long goldenRecords, Map<String, Long> openQuarantine, Map<String, Long> quarantineByRule,
                           long openReviews, Map<String, String> watermarks) {

    /** Reads the figures in one read-only transaction. */
    public static StoreFigures read(DataSource dataSource) {
        return Transactions.inTransaction(dataSource, "read the store's figures", connection -> new StoreFigures(
                count(connection, "SELECT COUNT(*) FROM customer WHERE status = 'ACTIVE'"),
                counts(connection, "SELECT source, COUNT(*) FROM quarantine WHERE status = 'OPEN' GROUP BY source ORDER BY source"),
                counts(connection, "SELECT rule, COUNT(*) n FROM quarantine WHERE status = 'OPEN' GROUP BY rule ORDER BY n DESC, rule"),
                count(connection, "SELECT COUNT(*) FROM match_review WHERE status = 'OPEN'"),
                texts(connection, "SELECT source, watermark FROM source_watermark")));
    }

    /** All open quarantine entries. */
    public long totalOpenQuarantine() {
        return openQuarantine.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, Long> counts(Connection connection, String sql) throws SQLException {
        return rows(connection, sql, new LinkedHashMap<>(), rs -> rs.getLong(2));
    }

    private static Map<String, String> texts(Connection connection, String sql) throws SQLException {
        return rows(connection, sql, new TreeMap<>(), rs -> rs.getString(2));
    }

    /** The rows of {@code sql} as a map of the first column to the second, read by {@code value}. */
    private static <V> Map<String, V> rows(Connection connection, String sql, Map<String, V> rows, Column<V> value)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), value.read(rs));
            }
        }
        return rows;
    }

    private interface Column<V> {
        V read(ResultSet rs) throws SQLException;
    }
}
