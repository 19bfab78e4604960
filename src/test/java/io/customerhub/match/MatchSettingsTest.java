package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.customerhub.record.CanonicalField;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MatchSettingsTest {

    @Test
    void configuredKeysOverrideTheDefaults() {
        MatchSettings settings = MatchSettings.from(Map.of("upper-threshold", "25", "lower-threshold", "12.5",
                "weight.postalCode.agree", "4", "max-block-size", "50", "address-cap", "10"));
        assertThat(settings.upper()).isEqualTo(25);
        assertThat(settings.lower()).isEqualTo(12.5);
        assertThat(settings.maxBlockSize()).isEqualTo(50);
        assertThat(settings.addressCap()).isEqualTo(10);
        assertThat(settings.weights(CanonicalField.POSTAL_CODE))
                .isEqualTo(new MatchSettings.Weights(4, MatchSettings.defaults().weights(CanonicalField.POSTAL_CODE).disagree()));
        assertThat(settings.weights(CanonicalField.GIVEN_NAME)).isEqualTo(MatchSettings.defaults().weights(CanonicalField.GIVEN_NAME));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "upper,                   20,   'hub.match.upper'",
            "weight.shoeSize.agree,   3,    'unknown canonical field'",
            "weight.email.sometimes,  3,    'hub.match.weight.email.sometimes'",
            "lower-threshold,         high, 'hub.match.lower-threshold'",
            "lower-threshold,         30,   'is above hub.match.upper-threshold'",
            "max-block-size,          0,    'hub.match.max-block-size'",
    })
    void aBadSettingFailsNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> MatchSettings.from(Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "25,   MERGE",
            "20,   MERGE",
            "19.9, REVIEW",
            "10,   REVIEW",
            "9.9,  NEW",
            "-30,  NEW",
    })
    void thresholdsSplitScoresIntoDecisions(double score, MatchDecision expected) {
        assertThat(MatchSettings.defaults().decide(new MatchScore(score, "weighted", List.of()))).isEqualTo(expected);
    }
}
