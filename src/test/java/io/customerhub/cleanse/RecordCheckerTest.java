package io.customerhub.cleanse;

import io.customerhub.cleanse.RecordChecker.InvalidValues;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordCheckerTest {

    private static final ValidationRules RULES = ValidationRules.from(Map.of("required", "sourceKey,fullName"));

    private static RecordChecker checker(InvalidValues invalidValues) {
        return new RecordChecker(new CustomerCleanser(CleansingSettings.defaults(), RULES), RULES, invalidValues);
    }

    private static SourceRecord record(String key, String name, String birthDate) {
        Map<CanonicalField, String> values = new java.util.EnumMap<>(CanonicalField.class);
        values.put(CanonicalField.SOURCE_KEY, key);
        if (name != null) {
            values.put(CanonicalField.FULL_NAME, name);
        }
        values.put(CanonicalField.BIRTH_DATE, birthDate);
        return new SourceRecord("crm", "f.csv", 2, values, "{}", null);
    }

    @Test
    void anUnreadableValueQuarantinesTheRecordByDefault() {
        CheckedBatch batch = checker(InvalidValues.QUARANTINE).check(List.of(record("1", "张伟", "1995-02-30")));

        assertThat(batch.accepted()).isEmpty();
        assertThat(batch.rejected()).singleElement().satisfies(r -> assertThat(r.rule()).isEqualTo("format:birthDate"));
    }

    @Test
    void withDropTheRecordIsStoredWithoutTheUnreadableValue() {
        CheckedBatch batch = checker(InvalidValues.DROP).check(List.of(record("1", "张伟", "1995-02-30")));

        assertThat(batch.rejected()).isEmpty();
        assertThat(batch.accepted()).singleElement().satisfies(r -> {
            assertThat(r.customer().fullName()).isEqualTo("张伟");
            assertThat(r.customer().birthDate()).isNull();
            assertThat(r.findings()).singleElement().satisfies(finding -> {
                assertThat(finding.field()).isEqualTo("birthDate");
                assertThat(finding.rule()).isEqualTo("format:birthDate");
                assertThat(finding.reason()).contains("1995-02-30");
            });
        });
    }

    @Test
    void dropNeverAcceptsARecordThatBreaksARule() {
        CheckedBatch batch = checker(InvalidValues.DROP).check(List.of(record("1", null, "1995-02-30")));

        assertThat(batch.accepted()).isEmpty();
        assertThat(batch.rejected()).singleElement().satisfies(r -> assertThat(r.reason()).contains("fullName"));
    }

    @Test
    void anUnparseableRecordIsRejectedWithTheParseRule() {
        SourceRecord broken = SourceRecord.unparseable("crm", "f.csv", 9, "{}", "line 9: expected 3 fields, found 4");

        CheckedBatch batch = checker(InvalidValues.DROP).check(List.of(broken));

        assertThat(batch.rejected()).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo("parse");
            assertThat(r.reason()).contains("line 9");
        });
    }
}
