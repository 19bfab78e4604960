package io.customerhub.ops;

import io.customerhub.cleanse.RecordChecker;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.Rejection;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.QuarantineEntry;
import io.customerhub.store.StoreResult;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends open quarantine entries through cleansing and validation again, after a data steward
 * fixed their {@code mapped_values} or an integrator fixed a rule. What passes is stored and
 * marked replayed; what still fails stays open with the new reason. Bypasses the idempotent
 * consumer on purpose: a replay is an explicit request to process the record again.
 */
public final class QuarantineReplayer {

    private static final int CHUNK = 1000;

    private final CustomerStore store;
    private final RecordChecker checker;

    public QuarantineReplayer(CustomerStore store, RecordChecker checker) {
        this.store = store;
        this.checker = checker;
    }

    /** Replays the open entries of {@code source} (null = all), or just entry {@code id}; returns a one-line report. */
    public String replay(String source, Long id) {
        List<QuarantineEntry> entries = store.openQuarantine(source, id);
        if (id != null && entries.isEmpty()) {
            throw new IllegalArgumentException("no open quarantine entry " + id);
        }
        StoreResult total = StoreResult.NONE;
        int stillFailing = 0;
        for (int from = 0; from < entries.size(); from += CHUNK) {
            Map<Long, CheckedRecord> fixed = new HashMap<>();
            Map<Long, Rejection> failing = new HashMap<>();
            for (QuarantineEntry entry : entries.subList(from, Math.min(entries.size(), from + CHUNK))) {
                SourceRecord record = new SourceRecord(entry.source(), entry.origin(), entry.position(),
                        entry.values(), entry.payload(), null);
                if (entry.values().isEmpty()) {
                    failing.put(entry.id(), new Rejection(record, entry.rule(),
                            entry.reason() + " (no mapped values to replay: fill mapped_values first)"));
                    continue;
                }
                CheckedBatch checked = checker.check(List.of(record));
                if (checked.accepted().isEmpty()) {
                    failing.put(entry.id(), checked.rejected().get(0));
                } else {
                    fixed.put(entry.id(), checked.accepted().get(0));
                }
            }
            total = total.plus(store.storeReplay(fixed, failing));
            stillFailing += failing.size();
        }
        return "replayed " + entries.size() + " quarantined record(s): " + (entries.size() - stillFailing)
                + " stored (" + total.created() + " created, " + total.updated() + " updated, "
                + total.unchanged() + " unchanged), " + stillFailing + " still failing";
    }
}
