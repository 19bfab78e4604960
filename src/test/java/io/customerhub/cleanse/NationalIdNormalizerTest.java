package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerhub.cleanse.NationalIdNormalizer.NationalId;
import io.customerhub.record.Gender;
import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NationalIdNormalizerTest {

    private final NationalIdNormalizer normalizer = new NationalIdNormalizer();

    @ParameterizedTest(name = "{0} -> {1}, {2}, {3}")
    @CsvSource(delimiter = '|', textBlock = """
            11010519491231002X     | 11010519491231002X | 1949-12-31 | F
            11010519491231002x     | 11010519491231002X | 1949-12-31 | F
            110105 19491231 002X   | 11010519491231002X | 1949-12-31 | F
            440306-19900307-1232   | 440306199003071232 | 1990-03-07 | M
            110101200002290018     | 110101200002290018 | 2000-02-29 | M
            """)
    void residentIdIsVerifiedAndRead(String input, String value, LocalDate birthDate, Gender gender) {
        assertThat(normalizer.normalize(input)).isEqualTo(new NationalId(value, true, birthDate, gender));
    }

    @ParameterizedTest(name = "{0} is invalid")
    @ValueSource(strings = {"110105194912310021", "440306199003071233", "110105199902300023", "110105194913310021"})
    void residentIdWithWrongCheckCharacterOrImpossibleDateIsInvalid(String input) {
        NationalId id = normalizer.normalize(input);

        assertThat(id.valid()).isFalse();
        assertThat(id.birthDate()).isNull();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"e1234567(8), E1234567(8)", "123 456 789, 123456789", "11010519491231002, 11010519491231002",
            "AB-12-34-56-C, AB123456C"})
    void otherIdIsOnlyNormalized(String input, String expected) {
        assertThat(normalizer.normalize(input)).isEqualTo(new NationalId(expected, true, null, null));
    }
}
