package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampParserTest {

    private final TimestampParser shanghai = new TimestampParser(ZoneId.of("Asia/Shanghai"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            2024-01-02T03:04:05Z           | 2024-01-02T03:04:05Z
            2024-01-02T03:04:05.123Z       | 2024-01-02T03:04:05.123Z
            2024-01-02T11:04:05+08:00      | 2024-01-02T03:04:05Z
            2024-01-02T11:04:05+0800       | 2024-01-02T03:04:05Z
            2024-01-02 11:04:05+08         | 2024-01-02T03:04:05Z
            2024-01-02 11:04:05            | 2024-01-02T03:04:05Z
            2024-01-02T11:04:05            | 2024-01-02T03:04:05Z
            2024-01-02 11:04               | 2024-01-02T03:04:00Z
            2024-01-02 11:04:05,5          | 2024-01-02T03:04:05.5Z
            2024-01-02                     | 2024-01-01T16:00:00Z
            1704164645                     | 2024-01-02T03:04:05Z
            1704164645123                  | 2024-01-02T03:04:05.123Z
            0                              | 1970-01-01T00:00:00Z
            """)
    void stampIsRead(String input, Instant expected) {
        assertThat(shanghai.parse(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"last tuesday", "2024-13-02 03:04:05", "2024-01-02 25:00:00", "2024-02-30T00:00:00Z",
            "12345678901234567890", "02/01/2024 10:00", "2024-01-02T03:04:05 CST"})
    void unclearStampIsRejected(String input) {
        assertThat(shanghai.parse(input)).isNull();
    }
}
