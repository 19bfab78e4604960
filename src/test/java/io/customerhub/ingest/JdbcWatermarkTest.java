package io.customerhub.ingest;

import io.customerhub.connect.SqlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcWatermarkTest {

    @Test
    void encodesTimestampAndKeyWithTheirTypes() {
        JdbcWatermark watermark = new JdbcWatermark(new ColumnValue(SqlType.TIMESTAMP, "2026-12-01T08:00:00.123456"),
                new ColumnValue(SqlType.INTEGER, "1042"));

        assertThat(watermark.encode()).isEqualTo(
                "{\"at\":\"2026-12-01T08:00:00.123456\",\"atType\":\"timestamp\",\"key\":\"1042\",\"keyType\":\"integer\"}");
        assertThat(JdbcWatermark.decode(watermark.encode())).isEqualTo(watermark);
    }

    @Test
    void aBatchOfReReadRowsKeepsThePositionAndCarriesItsPass() {
        JdbcWatermark watermark = new JdbcWatermark(new ColumnValue(SqlType.TIMESTAMP, "2026-12-01T08:00:00.123456"),
                new ColumnValue(SqlType.INTEGER, "1042"));

        assertThat(watermark.encode(7)).isEqualTo("{\"at\":\"2026-12-01T08:00:00.123456\",\"atType\":\"timestamp\","
                + "\"key\":\"1042\",\"keyType\":\"integer\",\"pass\":\"7\"}");
        assertThat(JdbcWatermark.decode(watermark.encode(7))).isEqualTo(watermark);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            timestamp    | 2026-12-01T08:00:00.123456789 | integer | 9223372036854775807
            timestamp    | 2026-12-01T08:00              | text    | K:0001 ä "quoted"
            timestamp-tz | 2026-12-01T08:00:00.000001Z   | decimal | 12.50
            timestamp-tz | 2026-12-01T16:00:00+08:00     | uuid    | 3f2b1c9e-0a4d-4e1b-9c7f-2a5d6e8f9a0b
            date         | 2026-12-01                    | text    | ' '
            """)
    void roundTripsEveryKindExactly(String atType, String at, String keyType, String key) {
        JdbcWatermark watermark = new JdbcWatermark(new ColumnValue(SqlType.ofLabel(atType), at),
                new ColumnValue(SqlType.ofLabel(keyType), key));

        JdbcWatermark decoded = JdbcWatermark.decode(watermark.encode());

        assertThat(decoded).isEqualTo(watermark);
        assertThat(decoded.at().bindable()).isEqualTo(watermark.at().bindable());
        assertThat(decoded.key().bindable()).isEqualTo(watermark.key().bindable());
    }

    @Test
    void bindsBackAsJavaTimeAndNumbersNotText() {
        assertThat(new ColumnValue(SqlType.TIMESTAMP, "2026-12-01T08:00:00.000001").bindable())
                .isEqualTo(LocalDateTime.of(2026, 12, 1, 8, 0, 0, 1000));
        assertThat(new ColumnValue(SqlType.TIMESTAMP_TZ, "2026-12-01T08:00Z").bindable())
                .isEqualTo(OffsetDateTime.parse("2026-12-01T08:00Z"));
        assertThat(new ColumnValue(SqlType.DATE, "2026-12-01").bindable()).isEqualTo(LocalDate.of(2026, 12, 1));
        assertThat(new ColumnValue(SqlType.INTEGER, "7").bindable()).isEqualTo(7L);
        assertThat(new ColumnValue(SqlType.DECIMAL, "7.10").bindable()).isEqualTo(new BigDecimal("7.10"));
        assertThat(new ColumnValue(SqlType.UUID, "3f2b1c9e-0a4d-4e1b-9c7f-2a5d6e8f9a0b").bindable())
                .isEqualTo(UUID.fromString("3f2b1c9e-0a4d-4e1b-9c7f-2a5d6e8f9a0b"));
    }

    @Test
    void theOverlapMovesTheLowerBoundBackKeepingPrecision() {
        assertThat(new ColumnValue(SqlType.TIMESTAMP, "2026-12-01T08:00:00.123456").minus(Duration.ofMinutes(5)).text())
                .isEqualTo("2026-12-01T07:55:00.123456");
        assertThat(new ColumnValue(SqlType.TIMESTAMP_TZ, "2026-12-01T08:00:00.5Z").minus(Duration.ZERO).text())
                .isEqualTo("2026-12-01T08:00:00.500Z");
        assertThat(new ColumnValue(SqlType.DATE, "2026-12-01").minus(Duration.ofHours(1)).text()).isEqualTo("2026-11-30");
        assertThat(new ColumnValue(SqlType.DATE, "2026-12-01").minus(Duration.ofDays(2)).text()).isEqualTo("2026-11-29");
        assertThat(new ColumnValue(SqlType.DATE, "2026-12-01").minus(Duration.ZERO).text()).isEqualTo("2026-12-01");
    }

    @Test
    void rejectsAWatermarkItDidNotWrite() {
        assertThatThrownBy(() -> JdbcWatermark.decode("5")).hasMessageContaining("has no at");
        assertThatThrownBy(() -> JdbcWatermark.decode("{\"cursor\":\"abc\"}")).hasMessageContaining("has no at");
        assertThatThrownBy(() -> JdbcWatermark.decode("not json")).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> JdbcWatermark.decode(
                "{\"at\":\"yesterday\",\"atType\":\"timestamp\",\"key\":\"1\",\"keyType\":\"integer\"}"))
                .hasMessageContaining("'yesterday' is not a timestamp value");
        assertThatThrownBy(() -> JdbcWatermark.decode(
                "{\"at\":\"2026-12-01T08:00\",\"atType\":\"timestamp\",\"key\":\"x\",\"keyType\":\"integer\"}"))
                .hasMessageContaining("'x' is not a integer value");
        assertThatThrownBy(() -> new JdbcWatermark(new ColumnValue(SqlType.INTEGER, "1"), new ColumnValue(SqlType.INTEGER, "1")))
                .hasMessageContaining("timestamp or a date");
    }
}
