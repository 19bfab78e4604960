package io.customerhub.connect;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTypeTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INTEGER      | ' 1042 '                   | java.lang.Long",
            "INTEGER      | 1042.0                     | java.lang.Long",
            "DECIMAL      | 12.50                      | java.math.BigDecimal",
            "FLOAT        | 1.5                        | java.lang.Double",
            "BOOLEAN      | Yes                        | java.lang.Boolean",
            "DATE         | 1990-01-31                 | java.time.LocalDate",
            "DATE         | 1990-01-31T00:00:00        | java.time.LocalDate",
            "TIMESTAMP    | 2026-12-01T10:30:00.123456 | java.time.LocalDateTime",
            "TIMESTAMP_TZ | 2026-12-01T10:30:00+08:00  | java.time.OffsetDateTime",
            "UUID         | 5a1f0c3e-0000-4000-8000-000000000001 | java.util.UUID",
            "TEXT         | 12.50                      | java.lang.String"})
    void canonicalTextBecomesTheColumnsJavaType(SqlType type, String text, Class<?> expected) {
        assertThat(type.value(text, SHANGHAI)).isInstanceOf(expected);
    }

    @org.junit.jupiter.api.Test
    void timesWithoutAZoneAreLocalTimesOfTheHubsZone() {
        assertThat(SqlType.TIMESTAMP.value("2026-12-01T02:30:00Z", SHANGHAI))
                .isEqualTo(LocalDateTime.parse("2026-12-01T10:30:00"));
        assertThat(SqlType.TIMESTAMP_TZ.value("2026-12-01T10:30:00", SHANGHAI))
                .isEqualTo(OffsetDateTime.parse("2026-12-01T10:30:00+08:00"));
        assertThat(SqlType.TIMESTAMP.value("2026-12-01", SHANGHAI)).isEqualTo(LocalDateTime.parse("2026-12-01T00:00:00"));
        assertThat(SqlType.TIMESTAMP.value(Instant.parse("2026-12-01T16:30:00Z"), SHANGHAI))
                .isEqualTo(LocalDateTime.parse("2026-12-02T00:30:00"));
        assertThat(SqlType.DATE.value(Instant.parse("2026-12-01T16:30:00Z"), SHANGHAI)).isEqualTo(LocalDate.of(2026, 12, 2));
        assertThat(SqlType.DECIMAL.value("12.50", SHANGHAI)).isEqualTo(new BigDecimal("12.50"));
        assertThat(SqlType.UUID.value("5a1f0c3e-0000-4000-8000-000000000001", SHANGHAI))
                .isEqualTo(UUID.fromString("5a1f0c3e-0000-4000-8000-000000000001"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "INTEGER   | G-5a1f     | 'G-5a1f' is not a whole number",
            "INTEGER   | 12.5       | '12.5' is not a whole number",
            "INTEGER   | 99999999999999999999 | '99999999999999999999' is not a whole number",
            "DECIMAL   | 12,50      | '12,50' is not a number",
            "BOOLEAN   | maybe      | 'maybe' is not a boolean (true or false)",
            "DATE      | 31.01.1990 | '31.01.1990' is not a date (yyyy-MM-dd)",
            "TIMESTAMP | yesterday  | 'yesterday' is not a timestamp (ISO-8601)",
            "UUID      | 1042       | '1042' is not a uuid"})
    void textThatIsNoValueOfTheTypeSaysSo(SqlType type, String text, String message) {
        assertThatThrownBy(() -> type.value(text, SHANGHAI)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }
}
