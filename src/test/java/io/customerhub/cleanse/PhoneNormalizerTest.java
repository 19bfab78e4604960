package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNormalizerTest {

    private final PhoneNormalizer china = new PhoneNormalizer("CN");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            +86 138-0013-8000  | +8613800138000
            0086 13800138000   | +8613800138000
            86-13800138000     | +8613800138000
            8613800138000      | +8613800138000
            +8613800138000     | +8613800138000
            138 0013 8000      | +8613800138000
            13800138000        | +8613800138000
            (010) 6552 9988    | +861065529988
            010-65529988       | +861065529988
            +86 10 6552 9988   | +861065529988
            0755-8888 6666     | +8675588886666
            +852 2123 4567     | +85221234567
            +1 (201) 555-0123  | +12015550123
            +61 2 9876 5432    | +61298765432
            """)
    void numberIsWrittenInE164(String input, String expected) {
        assertThat(china.normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345", "1", "abc", "138001380001234567890", "+86 12345", "00000000000"})
    void invalidNumberIsRejected(String input) {
        assertThat(china.normalize(input)).isNull();
    }

    @ParameterizedTest(name = "{0} in AU -> {1}")
    @CsvSource({"(02) 9876 5432, +61298765432", "0412 345 678, +61412345678"})
    void numberWithoutCountryCodeBelongsToTheConfiguredRegion(String input, String expected) {
        assertThat(new PhoneNormalizer("AU").normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} with area code {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            6552 9988      | 010 | +861065529988
            65529988       | 010 | +861065529988
            010-65529988   | 021 | +861065529988
            13800138000    | 010 | +8613800138000
            """)
    void aLocalNumberIsReadWithTheAreaCodeOfItsSource(String input, String areaCode, String expected) {
        assertThat(china.normalize(input, null, areaCode)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in US with area code 312 -> {1}")
    @CsvSource({"742-1234, +13127421234", "(773) 742-1234, +17737421234"})
    void aSevenDigitAmericanNumberTakesTheAreaCode(String input, String expected) {
        assertThat(new PhoneNormalizer("US").normalize(input, null, "312")).isEqualTo(expected);
        assertThat(new PhoneNormalizer("US").normalize("742-1234")).as("without an area code").isNull();
    }
}
