package io.customerhub.sync;

import io.customerhub.record.CanonicalField;
import org.apache.camel.ExchangeProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the lead's {@code sync-target} stage in route tests: each delivery writes one
 * fixed change with the writer the template's route hands over, and remembers what it got.
 */
public final class SyncTargetProbe {

    /** What one delivery received and what the writer answered. */
    public record Delivery(String target, SyncWriter writer, List<String> errors) {
    }

    static final OutboundChange CHANGE = new OutboundChange(1, "erp", "c-1", "1042", false, false, Map.of(
            CanonicalField.FULL_NAME, "Wang Fang", CanonicalField.EMAIL, "wang.fang@example.com",
            CanonicalField.BIRTH_DATE, "1990-01-31", CanonicalField.PHONE, "+8613800138000"),
            Instant.parse("2026-12-01T02:30:00.123456Z"));

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    public void deliver(SyncWriter writer, @ExchangeProperty("hubTarget") String target) throws Exception {
        deliveries.add(new Delivery(target, writer, writer.write(List.of(CHANGE))));
    }

    public List<Delivery> deliveries() {
        return deliveries;
    }
}
