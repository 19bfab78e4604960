package io.customerhub.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.merge.FieldGroup;
import io.customerhub.merge.Lineage;
import io.customerhub.record.CustomerRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The rows of golden records as the store writes them, for the batch writer and the merge stage
 * alike: the statements of {@code customer} and {@code customer_history}, the golden ids, and the
 * JSON of {@code customer.lineage} and of the changed values a history row keeps.
 */
final class GoldenRows {

    private static final ObjectMapper JSON = new ObjectMapper();

    static final TimeOrderedIds GOLDEN_IDS = new TimeOrderedIds();
    static final String INSERT_CUSTOMER = "INSERT INTO customer (id, " + ValueColumn.NAMES
            + ", lineage, created_at, updated_at, version) VALUES (?, " + Transactions.placeholders(ValueColumn.values().length)
            + ", ?, ?, ?, ?)";
    static final String UPDATE_CUSTOMER = "UPDATE customer SET " + ValueColumn.ASSIGNMENTS
            + ", lineage = ?, updated_at = ?, version = version + ? WHERE id = ?";
    static final String INSERT_HISTORY = "INSERT INTO customer_history (customer_id, source, source_key,"
            + " change_type, changed_at, before_values, after_values, origin, position, match_score, other_customer_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private GoldenRows() {
    }

    /** Fills {@code before} and {@code after} with the fields whose value differs between the two records. */
    static void diff(CustomerRecord old, CustomerRecord now, Map<String, String> before, Map<String, String> after) {
        for (ValueColumn column : ValueColumn.values()) {
            String was = column.text(old);
            String is = column.text(now);
            if (!Objects.equals(was, is)) {
                before.put(column.field.key(), was);
                after.put(column.field.key(), is);
            }
        }
    }


    /** {@code customer.lineage}: per field group, the record that supplied the value, when, and by which rule. */
    static String lineageJson(Map<FieldGroup, Lineage> lineage) {
        Map<String, Map<String, String>> byGroup = new LinkedHashMap<>();
        for (FieldGroup group : FieldGroup.values()) {
            Lineage origin = lineage.get(group);
            if (origin != null) {
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("source", origin.source());
                entry.put("sourceKey", origin.sourceKey());
                entry.put("at", origin.at().toString());
                entry.put("rule", origin.rule().key());
                byGroup.put(group.key(), entry);
            }
        }
        try {
            return JSON.writeValueAsString(byGroup);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
    }


}
