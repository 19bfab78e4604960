package io.customerhub.store;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Enrichment;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.SourceRecord;
import io.customerhub.testing.HubHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** What the lookups added travels into customer_source on insert and on update, on H2 and PostgreSQL alike. */
class CustomerStoreEnrichmentTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void enrichmentOfTheDeliveryStoredLastIsOnTheSourceRow(String database) throws Exception {
        try (StoreTestDatabases.TestDatabase db = database.equals("H2") ? StoreTestDatabases.h2(dir) : StoreTestDatabases.postgres()) {
            CustomerStore store = new CustomerStore(db.dataSource());
            store.store(batch(record("A1", "a1@example.cn", Enrichment.enriched(Map.of("segment", "gold", "creditLimit", "5000"))),
                    record("A2", "a2@example.cn", Enrichment.NONE)));

            assertThat(row(db, "A1")).containsEntry("enrichment_status", "ENRICHED").containsEntry("enrichment_reason", null);
            assertThat(new ObjectMapper().readValue((String) row(db, "A1").get("enrichment_values"), Map.class))
                    .isEqualTo(Map.of("segment", "gold", "creditLimit", "5000"));
            assertThat(row(db, "A2")).containsEntry("enrichment_status", null).containsEntry("enrichment_values", null);

            store.store(batch(record("A1", "a1.new@example.cn", Enrichment.notEnriched("segment: HTTP 500"))));

            assertThat(row(db, "A1")).containsEntry("email", "a1.new@example.cn")
                    .containsEntry("enrichment_status", "NOT_ENRICHED").containsEntry("enrichment_reason", "segment: HTTP 500")
                    .containsEntry("enrichment_values", null);
        }
    }

    private static Map<String, Object> row(StoreTestDatabases.TestDatabase db, String key) throws Exception {
        try (Connection connection = db.dataSource().getConnection()) {
            List<Map<String, Object>> rows = HubHome.rows(connection, "SELECT email, enrichment_status, enrichment_reason,"
                    + " enrichment_values FROM customer_source WHERE source = ? AND source_key = ?", "crm", key);
            assertThat(rows).hasSize(1);
            return rows.get(0);
        }
    }

    private static CheckedBatch batch(CheckedRecord... records) {
        return new CheckedBatch("crm", List.of(records), List.of(), 0);
    }

    private static CheckedRecord record(String key, String email, Enrichment enrichment) {
        Map<CanonicalField, String> raw = Map.of(CanonicalField.SOURCE_KEY, key, CanonicalField.EMAIL, email);
        SourceRecord delivery = new SourceRecord("crm", "crm.csv", 2, raw, "{}", null);
        return new CheckedRecord(delivery, new CustomerRecord("crm", key, null, "客户" + key, null, null, null, null,
                email, null, null, PostalAddress.EMPTY, null, null), enrichment, List.of());
    }
}
