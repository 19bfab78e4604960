package io.customerhub.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Data-quality figures of each source, from what the store holds of it: per field the share of its stored records
 * that have a value (completeness) and its invalid values: those left out of stored records ({@code value_finding})
 * and the open quarantine entries that broke a format or range rule of the field; the share of its records that are another record of the same source's customer (duplicates); and
 * when it last changed a record (freshness). One pass over {@code customer_source}: read on request, not per record.
 */
public record DataQuality(Map<String, Source> sources) {

    /** The fields measured, with their {@code customer_source} columns. */
    private static final Map<String, String> FIELDS = fields();

    /**
     * @param records       stored records
     * @param completeness  per field, the share of records with a value (0..1)
     * @param invalid       per field, values left out of stored records as unreadable and open quarantine entries for a
     *                      format or range rule of the field
     * @param duplicateRate the share of records whose golden record holds an earlier record of the same source
     * @param lastChange    when a record of the source last changed in the store, or null
     */
    public record Source(long records, Map<String, Double> completeness, Map<String, Long> invalid, double duplicateRate,
                         Instant lastChange) {
    }

    public static DataQuality read(DataSource dataSource) {
        StringBuilder sql = new StringBuilder("SELECT source, COUNT(*), COUNT(DISTINCT customer_id), MAX(updated_at)");
        FIELDS.values().forEach(column -> sql.append(", ").append(column.equals("gender")
                ? "SUM(CASE WHEN gender <> 'U' THEN 1 ELSE 0 END)" : "COUNT(" + column + ")"));
        sql.append(" FROM customer_source GROUP BY source ORDER BY source");
        return Transactions.inTransaction(dataSource, "measure data quality", connection -> {
            Map<String, Map<String, Long>> invalid = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT source, rule, COUNT(*) FROM quarantine"
                    + " WHERE status = 'OPEN' AND (rule LIKE 'format:%' OR rule LIKE 'range:%') GROUP BY source, rule"
                    + " UNION ALL SELECT source, rule, COUNT(*) FROM value_finding GROUP BY source, rule");
                 ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String field = rs.getString(2).substring(rs.getString(2).indexOf(':') + 1);
                    invalid.computeIfAbsent(rs.getString(1), s -> new TreeMap<>()).merge(field, rs.getLong(3), Long::sum);
                }
            }
            Map<String, Source> sources = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement(sql.toString()); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    long records = rs.getLong(2);
                    Map<String, Double> completeness = new LinkedHashMap<>();
                    int column = 5;
                    for (String field : FIELDS.keySet()) {
                        completeness.put(field, records == 0 ? 0 : rs.getLong(column++) / (double) records);
                    }
                    OffsetDateTime last = rs.getObject(4, OffsetDateTime.class);
                    sources.put(rs.getString(1), new Source(records, completeness, invalid.getOrDefault(rs.getString(1), Map.of()),
                            records == 0 ? 0 : 1 - rs.getLong(3) / (double) records, last == null ? null : last.toInstant()));
                }
            }
            return new DataQuality(sources);
        });
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("fullName", "full_name");
        fields.put("gender", "gender");
        fields.put("birthDate", "birth_date");
        fields.put("email", "email");
        fields.put("phone", "phone");
        fields.put("city", "city");
        fields.put("street", "street");
        fields.put("postalCode", "postal_code");
        fields.put("company", "company");
        fields.put("nationalId", "national_id");
        return fields;
    }
}
