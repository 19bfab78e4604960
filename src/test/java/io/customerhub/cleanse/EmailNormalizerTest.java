package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailNormalizerTest {

    private final EmailNormalizer normalizer = new EmailNormalizer();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "Zhang.San@Example.COM, zhang.san@example.com",
            "MAILTO:li@example.cn, li@example.cn",
            "first+tag@mail.example.co.uk, first+tag@mail.example.co.uk",
            "x@a-b.cn, x@a-b.cn",
            "用户@例子.中国, 用户@例子.中国"})
    void addressIsNormalized(String input, String expected) {
        assertThat(normalizer.normalize(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plainaddress", "@example.com", "a@", "a@b@example.com", "a b@example.com",
            "a@example", "a@.example.com", "a@example..com", "a@-example.com", "a@example-.com", "a@exa_mple.com",
            "mailto:"})
    void implausibleAddressIsRejected(String input) {
        assertThat(normalizer.normalize(input)).isNull();
    }
}
