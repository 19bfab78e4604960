package io.customerhub.match;

import io.customerhub.testing.SyntheticPeople;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Matches {@link SyntheticPeople} (Chinese-market people in pinyin: few distinct names, Wang, Li and
 * Zhang a fifth of everyone, households sharing family name and address) in memory with
 * {@link IncrementalResolver}, at two sizes: pairwise precision and recall hold, and the
 * comparisons per record do not grow with the data, which they would with blocking keys whose
 * share of the records is fixed (a common family name with a birth date, a name with a city).
 * {@code MatchBenchmark} measures the same through the packaged jar at 25,000 and 100,000 records.
 */
class SyntheticPeopleMatchingTest {

    /** Pairwise figures and comparisons per record of one run. */
    record Figures(double precision, double recall, double comparisonsPerRecord) {
    }

    @TempDir
    Path directory;

    @Test
    void precisionHoldsAndComparisonsPerRecordStayFlatAsTheDataGrows() throws Exception {
        Figures small = resolve(6_000);
        Figures large = resolve(24_000);
        System.out.println("synthetic people 6,000: " + small + "; 24,000: " + large);

        assertThat(small.precision()).as("6,000: %s", small).isGreaterThanOrEqualTo(0.995);
        assertThat(large.precision()).as("24,000: %s", large).isGreaterThanOrEqualTo(0.995);
        assertThat(large.recall()).as("24,000: %s", large).isGreaterThanOrEqualTo(0.99);
        assertThat(large.comparisonsPerRecord()).as("%s -> %s", small, large)
                .isLessThanOrEqualTo(small.comparisonsPerRecord() * 1.2);
    }

    private Figures resolve(int records) throws Exception {
        SyntheticPeople.Dataset data = SyntheticPeople.write(directory.resolve(Integer.toString(records)), records, 20261201L + records);
        Resolution resolution = Resolution.of(data.files(), SyntheticPeople.MAPPING, MatchSettings.defaults());
        double[] quality = resolution.precisionAndRecall();
        return new Figures(quality[0], quality[1], resolution.comparisonsPerRecord());
    }
}
