package io.customerhub.match;

import io.customerhub.record.CanonicalField;
import io.customerhub.testing.SparsePeople;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

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

    private static double bits(Map<CanonicalField, Map<String, WeightEstimate.Level>> levels, CanonicalField field, String level) {
        assertThat(levels.get(field)).as("%s levels", field).containsKey(level);
        return levels.get(field).get(level).weight();
    }
}
