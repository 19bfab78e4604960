package io.customerhub.match;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.RecordChecker;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.connect.FileFormat;
import io.customerhub.ingest.RecordReader;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CheckedRecord;
import io.customerhub.record.SourceRecord;
import io.customerhub.testing.SyntheticPeople;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

    private static final ObjectMapper JSON = new ObjectMapper();

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
        ValidationRules rules = ValidationRules.from(Map.of("required", "sourceKey,fullName"));
        RecordChecker checker = new RecordChecker(new CustomerCleanser(CleansingSettings.defaults(), rules), rules,
                RecordChecker.InvalidValues.DROP);
        IncrementalResolver resolver = new IncrementalResolver(MatchSettings.defaults());
        List<String> people = new ArrayList<>();
        for (Path file : data.files()) {
            String source = file.getFileName().toString().replace(".csv", "");
            RecordReader reader = new RecordReader(FileFormat.of(source, "csv", "", "", "", "", "", ""),
                    FieldMapping.parse(SyntheticPeople.MAPPING));
            List<SourceRecord> batch = new ArrayList<>();
            Map<String, String> personOf = new HashMap<>();
            try (InputStream in = Files.newInputStream(file)) {
                reader.read(in, file.getFileName().toString()).forEachRemaining(record -> {
                    batch.add(record);
                    personOf.put(record.sourceKey(), person(record));
                });
            }
            for (CheckedRecord checked : checker.check(batch).accepted()) {
                resolver.add(checked.customer());
                people.add(personOf.get(checked.customer().sourceKey()));
            }
        }
        Map<String, Long> truth = new HashMap<>();
        Map<Integer, Long> clusters = new HashMap<>();
        Map<String, Long> both = new HashMap<>();
        for (int i = 0; i < people.size(); i++) {
            truth.merge(people.get(i), 1L, Long::sum);
            clusters.merge(resolver.clusterOf(i), 1L, Long::sum);
            both.merge(people.get(i) + "/" + resolver.clusterOf(i), 1L, Long::sum);
        }
        double correct = pairs(both.values());
        return new Figures(correct / pairs(clusters.values()), correct / pairs(truth.values()),
                (double) resolver.comparisons() / people.size());
    }

    private static String person(SourceRecord record) {
        try {
            return JSON.readTree(record.payload()).get("person").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long pairs(Iterable<Long> sizes) {
        long pairs = 0;
        for (long size : sizes) {
            pairs += size * (size - 1) / 2;
        }
        return pairs;
    }
}
