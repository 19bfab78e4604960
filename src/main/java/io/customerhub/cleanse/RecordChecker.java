package io.customerhub.cleanse;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.Enrichment;
import io.customerhub.record.Rejection;
import io.customerhub.record.SourceRecord;
import io.customerhub.record.ValueFinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The cleanse-and-validate stage for a batch: every record comes out either accepted (cleansed)
 * or rejected with the rule it broke. A bug in one record's cleansing rejects that record
 * (rule {@code internal}) instead of failing the batch, so its neighbours still go through.
 *
 * <p>With {@link InvalidValues#DROP} (the default), a record whose only problems are values that cannot be read
 * (an impossible date, a malformed e-mail: rules {@code format:*} and {@code range:*}) is accepted
 * without those values, provided it still passes the validation rules; each value left out is a
 * {@link ValueFinding} of the record, which the store keeps ({@code value_finding}) and counts. With
 * {@link InvalidValues#QUARANTINE} the whole record is rejected instead.
 */
public final class RecordChecker {

    /** What to do with a record whose only problems are unreadable values. */
    public enum InvalidValues { QUARANTINE, DROP }

    private static final Logger LOG = LoggerFactory.getLogger(RecordChecker.class);

    private final CustomerCleanser cleanser;
    private final ValidationRules rules;
    private final InvalidValues invalidValues;

    public RecordChecker(CustomerCleanser cleanser, ValidationRules rules, InvalidValues invalidValues) {
        this.cleanser = cleanser;
        this.rules = rules;
        this.invalidValues = invalidValues;
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
                } else if (droppable(result)) {
                    LOG.debug("{} {} line {}: stored without unreadable values: {}", record.source(),
                            record.origin(), record.position(), reasons(result.violations()));
                    accepted.add(new CheckedRecord(record, result.record(), Enrichment.NONE, result.violations().stream()
                            .map(v -> new ValueFinding(v.field().key(), v.rule(), v.reason())).toList()));
                } else {
                    rejected.add(new Rejection(record, result.violations().get(0).rule(), reasons(result.violations())));
                }
            } catch (RuntimeException e) {
                rejected.add(new Rejection(record, "internal", "cleansing failed: " + e));
            }
        }
        String source = records.isEmpty() ? null : records.get(0).source();
        return new CheckedBatch(source, accepted, rejected, 0);
    }

    /** Only unreadable values, dropping is allowed, and the record without them still passes the rules. */
    private boolean droppable(CleansingResult result) {
        return invalidValues == InvalidValues.DROP
                && result.violations().stream().allMatch(v -> v.field() != null && v.field() != CanonicalField.SOURCE_KEY
                        && (v.rule().startsWith("format:") || v.rule().startsWith("range:")))
                && rules.check(result.record()).isEmpty();
    }

    private static String reasons(List<Violation> violations) {
        return violations.stream().map(Violation::reason).collect(Collectors.joining("; "));
    }
}
