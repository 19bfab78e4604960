package io.customerhub.cleanse;

import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.Rejection;
import io.customerhub.record.SourceRecord;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The cleanse-and-validate stage for a batch: every record comes out either accepted (cleansed)
 * or rejected with the rule it broke. A bug in one record's cleansing rejects that record
 * (rule {@code internal}) instead of failing the batch, so its neighbours still go through.
 */
public final class RecordChecker {

    private final CustomerCleanser cleanser;

    public RecordChecker(CustomerCleanser cleanser) {
        this.cleanser = cleanser;
    }

    public CheckedBatch check(List<SourceRecord> records) {
        List<CheckedRecord> accepted = new ArrayList<>(records.size());
        List<Rejection> rejected = new ArrayList<>();
        for (SourceRecord record : records) {
            if (record.error() != null) {
                rejected.add(new Rejection(record, "parse", record.error()));
                continue;
            }
            try {
                CleansingResult result = cleanser.cleanse(record);
                if (result.accepted()) {
                    accepted.add(new CheckedRecord(record, result.record()));
                } else {
                    rejected.add(new Rejection(record, result.violations().get(0).rule(), result.violations().stream()
                            .map(Violation::reason).collect(Collectors.joining("; "))));
                }
            } catch (RuntimeException e) {
                rejected.add(new Rejection(record, "internal", "cleansing failed: " + e));
            }
        }
        String source = records.isEmpty() ? null : records.get(0).source();
        return new CheckedBatch(source, accepted, rejected, 0);
    }
}
