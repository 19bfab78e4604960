package io.customerhub.cleanse;

import io.customerhub.record.CustomerRecord;
import java.util.List;

/**
 * A cleansed record and every rule it broke. The record is always present so a rejected one can
 * still be shown; fields whose value failed a format rule are null in it.
 */
public record CleansingResult(CustomerRecord record, List<Violation> violations) {

    public CleansingResult {
        violations = List.copyOf(violations);
    }

    public boolean accepted() {
        return violations.isEmpty();
    }
}
