package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DateParserTest {

    private final DateParser dayFirst = new DateParser(DateOrder.DMY);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            1990-01-02                | 1990-01-02
            1990-1-2                  | 1990-01-02
            19900102                  | 1990-01-02
            1990/1/2                  | 1990-01-02
            1990.01.02                | 1990-01-02
            02/01/1990                | 1990-01-02
            2-1-1990                  | 1990-01-02
            02.01.1990                | 1990-01-02
            25/12/1990                | 1990-12-25
            1990年1月2日              | 1990-01-02
            1990年01月02号            | 1990-01-02
            2 January 1990            | 1990-01-02
            2nd Jan 1990              | 1990-01-02
            Jan 2, 1990               | 1990-01-02
            January 2 1990            | 1990-01-02
            Sept. 30, 1990            | 1990-09-30
            1990-01-02T23:59:59Z      | 1990-01-02
            1990-01-02 08:00:00       | 1990-01-02
            2000-02-29                | 2000-02-29
            """)
    void dateIsRead(String input, LocalDate expected) {
        assertThat(dayFirst.parse(input)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} in {1} -> {2}")
    @CsvSource({
            "02/03/1990, DMY, 1990-03-02",
            "02/03/1990, MDY, 1990-02-03",
            "02/03/1990, YMD, 1990-03-02",
            "13/03/1990, MDY, 1990-03-13",
            "03/13/1990, DMY, 1990-03-13"})
    void ambiguousDateFollowsTheConfiguredOrder(String input, DateOrder order, LocalDate expected) {
        assertThat(new DateParser(order).parse(input)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1990-02-30", "1900-02-29", "1990-13-01", "1990-00-10", "19900230", "31/31/1990",
            "1990/1-2", "2 Foo 1990", "yesterday", "1990", "90-01-02", "1990年13月1日"})
    void invalidDateIsRejected(String input) {
        assertThat(dayFirst.parse(input)).isNull();
    }
}
