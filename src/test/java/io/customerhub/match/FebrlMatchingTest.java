package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerhub.cleanse.CleansingResult;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.ingest.FieldMapping;
import io.customerhub.ingest.ReaderSettings;
import io.customerhub.ingest.RecordReader;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Measures matching against the ground truth of the FEBRL data sets (synthetic Australian person
 * records with noisy duplicates, Australian National University, ANUOS 1.3; see
 * /work/shared/data/febrl/README.md), read and cleansed by the hub's own reader and cleanser.
 * The acceptance bar of the matching issue is a pairwise F1 of at least 0.995 on each file.
 */
class FebrlMatchingTest {

    static final Path DATA = Path.of("/work/shared/data/febrl");
    private static final Pattern ENTITY = Pattern.compile("^rec-(\\d+)-");
    private static final String MAPPING = """
            key: rec_id
            fields:
              givenName: given_name
              familyName: surname
              street: { concat: [street_number, address_1, address_2], separator: " " }
              city: suburb
              postalCode: postcode
              province: state
              birthDate: date_of_birth
              nationalId: soc_sec_id
              country: { constant: AU }
            """;

    /** The figures of one evaluation run. */
    record Evaluation(int records, int withViolations, int entities, int clusters, long truePairs, long predictedPairs,
                      long correctPairs, long comparisons) {

        double precision() {
            return predictedPairs == 0 ? 1.0 : (double) correctPairs / predictedPairs;
        }

        double recall() {
            return truePairs == 0 ? 1.0 : (double) correctPairs / truePairs;
        }

        double f1() {
            return 2 * precision() * recall() / (precision() + recall());
        }

        @Override
        public String toString() {
            return String.format("records %d (with violations %d), entities %d, clusters %d, true pairs %d, predicted %d, "
                            + "correct %d, precision %.4f, recall %.4f, F1 %.4f, comparisons %d (%.2f per record)",
                    records, withViolations, entities, clusters, truePairs, predictedPairs, correctPairs,
                    precision(), recall(), f1(), comparisons, (double) comparisons / records);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataset1.csv", "dataset2.csv", "dataset3.csv"})
    void pairwiseF1ReachesTheAcceptanceBar(String file) throws IOException {
        Evaluation evaluation = evaluate(file, MatchSettings.defaults());
        System.out.println(file + ": " + evaluation);
        assertThat(evaluation.f1()).as(file + ": " + evaluation).isGreaterThanOrEqualTo(0.995);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataset1.csv", "dataset2.csv", "dataset3.csv"})
    void comparisonsPerRecordStayBounded(String file) throws IOException {
        Evaluation evaluation = evaluate(file, MatchSettings.defaults());
        assertThat((double) evaluation.comparisons() / evaluation.records()).as(file).isLessThan(50);
    }

    static Evaluation evaluate(String file, MatchSettings settings) throws IOException {
        List<CleansingResult> results = read(file);
        IncrementalResolver resolver = new IncrementalResolver(settings);
        List<String> truth = new ArrayList<>();
        int withViolations = 0;
        for (CleansingResult result : results) {
            // a record with a violation (an impossible birth date) is matched with that value dropped
            if (!result.accepted()) {
                withViolations++;
            }
            resolver.add(result.record());
            truth.add(entity(result.record().sourceKey()));
        }
        Map<String, Integer> entitySizes = new HashMap<>();
        Map<Integer, Integer> clusterSizes = new HashMap<>();
        Map<String, Integer> both = new HashMap<>();
        for (int i = 0; i < truth.size(); i++) {
            int cluster = resolver.clusterOf(i);
            entitySizes.merge(truth.get(i), 1, Integer::sum);
            clusterSizes.merge(cluster, 1, Integer::sum);
            both.merge(truth.get(i) + "/" + cluster, 1, Integer::sum);
        }
        return new Evaluation(truth.size(), withViolations, entitySizes.size(), clusterSizes.size(),
                pairs(entitySizes.values()), pairs(clusterSizes.values()), pairs(both.values()), resolver.comparisons());
    }

    static List<CleansingResult> read(String file) throws IOException {
        Path path = DATA.resolve(file);
        Assumptions.assumeTrue(Files.isReadable(path), "FEBRL data not present at " + path);
        RecordReader reader = new RecordReader(ReaderSettings.of("febrl", "csv", "", "", "", "", "", ""),
                FieldMapping.parse(MAPPING));
        CustomerCleanser cleanser = new CustomerCleanser(new CleansingSettings("AU",
                CleansingSettings.defaults().timeZone(), CleansingSettings.defaults().dateOrder(), java.util.Set.of()),
                ValidationRules.from(Map.of()));
        List<CleansingResult> results = new ArrayList<>();
        try (InputStream in = Files.newInputStream(path)) {
            Iterator<SourceRecord> records = reader.read(in, file);
            while (records.hasNext()) {
                results.add(cleanser.cleanse(records.next()));
            }
        }
        return results;
    }

    static String entity(String recordId) {
        Matcher matcher = ENTITY.matcher(recordId);
        if (!matcher.find()) {
            throw new IllegalArgumentException("not a FEBRL record id: " + recordId);
        }
        return matcher.group(1);
    }

    private static long pairs(Iterable<Integer> sizes) {
        long pairs = 0;
        for (int size : sizes) {
            pairs += (long) size * (size - 1) / 2;
        }
        return pairs;
    }
}
