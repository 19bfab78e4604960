package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CleansingSettingsTest {

    @Test
    void defaultsAreChinese() {
        assertThat(CleansingSettings.defaults())
                .isEqualTo(new CleansingSettings("CN", ZoneId.of("Asia/Shanghai"), DateOrder.DMY, Set.of(), 1000, 100_000));
    }

    @Test
    void missingKeysKeepTheDefaults() {
        assertThat(CleansingSettings.from(Map.of())).isEqualTo(CleansingSettings.defaults());
    }

    @Test
    void everyKeyIsRead() {
        CleansingSettings settings = CleansingSettings.from(Map.of(
                "phone-region", " au ", "time-zone", "Australia/Sydney", "date-order", "mdy", "null-likes", "?, unknown ,,",
                "max-field-length", "200", "max-record-length", "5000", "phone-area-code", " 02 ", "phone-area-code.perth", "08"));

        assertThat(settings).isEqualTo(new CleansingSettings("AU", ZoneId.of("Australia/Sydney"), DateOrder.MDY,
                Set.of("?", "unknown"), 200, 5000, Map.of("", "02", "perth", "08")));
        assertThat(settings.phoneAreaCode("perth")).isEqualTo("08");
        assertThat(settings.phoneAreaCode("sydney")).isEqualTo("02");
        assertThat(CleansingSettings.defaults().phoneAreaCode("sydney")).isNull();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"phone-region, XX", "phone-region, China", "time-zone, Mars/Olympus", "date-order, DDMMYY", "phone-regoin, CN",
            "max-field-length, 0", "max-field-length, lots",
            "max-record-length, -1", "phone-area-code, (010)", "phone-area-code.crm, 1234567"})
    void badSettingIsRejectedWithItsKey(String key, String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CleansingSettings.from(Map.of(key, value)))
                .withMessageContaining("hub.cleanse." + key);
    }
}
