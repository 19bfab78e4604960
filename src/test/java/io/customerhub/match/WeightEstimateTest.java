package io.customerhub.match;

import io.customerhub.record.CanonicalField;
import io.customerhub.testing.SparsePeople;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Weights learned without labels from {@link SparsePeople} (name, birth date, city and e-mail only): the evidence of
 * each level comes out in the order and with the sign a data steward expects, and the share of blocked pairs that are
 * one customer near the generator's truth.
 */
class WeightEstimateTest {

    @TempDir
    Path directory;

    @Test
    void weightsLearnedFromUnlabelledRecordsRankTheLevelsOfEachField() throws Exception {
        SparsePeople.Dataset data = SparsePeople.write(directory, 5_000, 20261206L);
        Resolution records = Resolution.of(data.files(), SparsePeople.MAPPING, MatchSettings.defaults());

        WeightEstimate estimate = WeightEstimate.of(records.records, MatchSettings.defaults(), 1);
        System.out.println(estimate.table());

        Map<CanonicalField, Map<String, WeightEstimate.Level>> levels = estimate.levels();
        assertThat(bits(levels, CanonicalField.EMAIL, "exact")).isGreaterThan(8);
        assertThat(bits(levels, CanonicalField.BIRTH_DATE, "exact")).isGreaterThan(8)
                .isGreaterThan(bits(levels, CanonicalField.BIRTH_DATE, "within a month"));
        assertThat(bits(levels, CanonicalField.BIRTH_DATE, "within a month")).isGreaterThan(0)
                .isGreaterThan(bits(levels, CanonicalField.BIRTH_DATE, "different"));
        assertThat(bits(levels, CanonicalField.BIRTH_DATE, "different")).isNegative();
        assertThat(bits(levels, CanonicalField.GIVEN_NAME, "exact")).isPositive()
                .isGreaterThan(bits(levels, CanonicalField.GIVEN_NAME, "different"));
        assertThat(bits(levels, CanonicalField.CITY, "exact")).isPositive();
        // about 2,100 true pairs among the blocked pairs
        assertThat(estimate.matchShare() * estimate.pairs()).isBetween(0.7 * data.truePairs(), 1.3 * data.truePairs());
    }

    @Test
    void matchingWithTheLearnedWeightsKeepsTheQualityOfTheConfiguredOnes() throws Exception {
        SparsePeople.Dataset data = SparsePeople.write(directory, 5_000, 20261207L);
        Resolution configured = Resolution.of(data.files(), SparsePeople.MAPPING, MatchSettings.defaults());
        WeightEstimate estimate = WeightEstimate.of(configured.records, MatchSettings.defaults(), 1);
        MatchSettings learnedSettings = MatchSettings.defaults().learned(estimate.weights(), estimate.nameShares(), Set.of(), "learned");
        Resolution learned = Resolution.of(data.files(), SparsePeople.MAPPING, learnedSettings);

        double configuredF1 = f1(configured.precisionAndRecall());
        double learnedF1 = f1(learned.precisionAndRecall());
        System.out.printf(Locale.ROOT, "SparsePeople 5,000: F1 %.4f with the configured weights, %.4f with the learned ones%n",
                configuredF1, learnedF1);
        assertThat(estimate.nameShares().get(CanonicalField.FAMILY_NAME)).as("common family names").isNotEmpty();
        assertThat(learnedSettings.weights(CanonicalField.EMAIL)).isNotEqualTo(MatchSettings.defaults().weights(CanonicalField.EMAIL));
        assertThat(learnedF1).isGreaterThanOrEqualTo(configuredF1 - 0.02).isGreaterThanOrEqualTo(0.95);
    }

    private static double f1(double[] precisionAndRecall) {
        return 2 * precisionAndRecall[0] * precisionAndRecall[1] / (precisionAndRecall[0] + precisionAndRecall[1]);
    }

    private static double bits(Map<CanonicalField, Map<String, WeightEstimate.Level>> levels, CanonicalField field, String level) {
        assertThat(levels.get(field)).as("%s levels", field).containsKey(level);
        return levels.get(field).get(level).weight();
    }
}
