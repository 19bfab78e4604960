package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.PostalAddress;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidationRulesTest {

    private static final CustomerRecord COMPLETE = new CustomerRecord("crm", "C-1", Instant.parse("2024-01-02T03:04:05Z"),
            "张三", "三", "张", Gender.M, LocalDate.of(1990, 1, 2), "zhang@example.com", "+8613800138000", "138 0013 8000",
            new PostalAddress("CN", "广东省", "广州市", "天河区", "天河路 1 号", "510000"), "ACME", "11010519491231002X");
    private static final CustomerRecord EMPTY = new CustomerRecord("crm", null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    @Test
    void noRulesAcceptEverything() {
        assertThat(ValidationRules.from(Map.of()).check(EMPTY)).isEmpty();
    }

    @Test
    void requiredFieldsMustHaveAValue() {
        ValidationRules rules = ValidationRules.from(Map.of("required", "sourceKey, fullName,gender,birthDate"));

        assertThat(rules.check(COMPLETE)).isEmpty();
        assertThat(rules.check(EMPTY)).extracting(Violation::rule)
                .containsExactly("required:sourceKey", "required:fullName", "required:gender", "required:birthDate");
        assertThat(rules.check(EMPTY).get(1))
                .isEqualTo(new Violation(CanonicalField.FULL_NAME, "required:fullName", "fullName is required but missing"));
    }

    @Test
    void oneOfNeedsAnyOfItsFields() {
        ValidationRules rules = ValidationRules.from(Map.of("one-of", "phone,email"));
        CustomerRecord emailOnly = new CustomerRecord("crm", "C-1", null, null, null, null, null, null,
                "a@example.com", null, null, null, null, null);

        assertThat(rules.check(emailOnly)).isEmpty();
        assertThat(rules.check(EMPTY)).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo("one-of:phone,email");
            assertThat(violation.field()).isNull();
            assertThat(violation.reason()).contains("phone", "email");
        });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            pattern.postalCode   | \\d{5}         | pattern:postalCode | 510000
            pattern.phone        | \\+1\\d{10}    | pattern:phone      | +8613800138000
            pattern.birthDate    | 19[0-7].*      | pattern:birthDate  | 1990-01-02
            values.country       | US, GB         | values:country     | CN
            values.gender        | F              | values:gender      | M
            values.province      | 北京市,上海市  | values:province    | 广东省
            """)
    void valueMustMatchItsRule(String key, String rule, String ruleName, String badValue) {
        assertThat(ValidationRules.from(Map.of(key, rule)).check(COMPLETE)).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(ruleName);
            assertThat(violation.reason()).contains(badValue);
        });
        assertThat(ValidationRules.from(Map.of(key, rule)).check(EMPTY)).as("missing values are for 'required'").isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            pattern.postalCode | \\d{6}
            values.country     | CN,HK
            values.gender      | M,F
            pattern.sourceUpdatedAt | 2024-.*
            """)
    void matchingValuePasses(String key, String rule) {
        assertThat(ValidationRules.from(Map.of(key, rule)).check(COMPLETE)).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            required           | sourceKey,fullname
            one-of             | phone,mail
            pattern.zip        | \\d{6}
            pattern.postalCode | [0-9
            values.sex         | M,F
            mandatory          | fullName
            """)
    void badRuleIsRejectedWithItsKey(String key, String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ValidationRules.from(Map.of(key, value)))
                .withMessageContaining("hub.validation." + key);
    }
}
