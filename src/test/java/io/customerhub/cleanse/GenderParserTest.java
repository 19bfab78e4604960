package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerhub.record.Gender;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GenderParserTest {

    private final GenderParser parser = new GenderParser();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "M, M", "m, M", "male, M", "Male, M", "MAN, M", "男, M", "先生, M", "1, M",
            "F, F", "f, F", "female, F", "FEMALE, F", "woman, F", "女, F", "女士, F", "2, F",
            "0, U", "9, U", "unknown, U", "Unknown, U", "未知, U", "U, U"})
    void codeIsRead(String code, Gender expected) {
        assertThat(parser.parse(code)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"X", "3", "boy", "男女", "mr"})
    void unknownCodeIsNotGuessed(String code) {
        assertThat(parser.parse(code)).isNull();
    }
}
