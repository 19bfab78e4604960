package io.customerhub.match;

import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.RecordChecker;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.connect.FileFormat;
import io.customerhub.ingest.RecordReader;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.StoreDataSource;
import io.customerhub.store.StoreSettings;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures matching against the ground truth of the FEBRL data sets (synthetic Australian person
 * records with noisy duplicates, Australian National University, ANUOS 1.3; see
 * src/test/resources/febrl/README.md, copied unmodified from the project's shared data), read, checked and cleansed by the hub's own reader and
 * checker as the shipped configuration does it (a record without any name is rejected, an
 * unreadable value is dropped), and stored through the real store on a migrated H2 database in
 * batches of 1,000, as the {@code evaluate} command does. The acceptance bar of the matching issue
 * is a pairwise F1 of at least 0.995 on each file; a rejected record counts as a golden record of
 * its own.
 */
class FebrlMatchingTest {

    static final Path DATA = Path.of("src/test/resources/febrl");
    private static final Pattern ENTITY = Pattern.compile("^rec-(\\d+)-");
    private static final int BATCH = 1000;
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
    private static final Map<String, Evaluation> EVALUATIONS = new ConcurrentHashMap<>();

    @TempDir
    static Path stores;

    /** The figures of one evaluation run. */
    record Evaluation(int records, int rejected, int entities, int clusters, long truePairs, long predictedPairs,
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
            return String.format("records %d (rejected %d), entities %d, golden %d, true pairs %d, predicted %d, "
                            + "correct %d, precision %.4f, recall %.4f, F1 %.4f, comparisons %d (%.2f per record)",
                    records, rejected, entities, clusters, truePairs, predictedPairs, correctPairs,
                    precision(), recall(), f1(), comparisons, (double) comparisons / records);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataset1.csv", "dataset2.csv", "dataset3.csv"})
    void pairwiseF1ReachesTheAcceptanceBar(String file) throws Exception {
        Evaluation evaluation = evaluation(file);
        System.out.println(file + ": " + evaluation);
        assertThat(evaluation.f1()).as(file + ": " + evaluation).isGreaterThanOrEqualTo(0.995);
        assertThat(evaluation.precision()).as(file + ": " + evaluation).isGreaterThanOrEqualTo(0.999);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dataset1.csv", "dataset2.csv", "dataset3.csv"})
    void comparisonsPerRecordStayBounded(String file) throws Exception {
        Evaluation evaluation = evaluation(file);
        assertThat((double) evaluation.comparisons() / evaluation.records()).as(file).isLessThan(5);
    }

    private static Evaluation evaluation(String file) throws Exception {
        Path path = DATA.resolve(file);
        Evaluation evaluation = EVALUATIONS.get(file);
        if (evaluation == null) {
            evaluation = evaluate(path, stores.resolve(file));
            EVALUATIONS.put(file, evaluation);
        }
        return evaluation;
    }

    static Evaluation evaluate(Path file, Path directory) throws Exception {
        RecordReader reader = new RecordReader(FileFormat.of("febrl", "csv", "", "", "", "", "", ""),
                FieldMapping.parse(MAPPING));
        // the shipped hub.validation.required; evaluate also drops unreadable values (an impossible birth date)
        ValidationRules rules = ValidationRules.from(Map.of("required", "sourceKey,fullName"));
        RecordChecker checker = new RecordChecker(new CustomerCleanser(CleansingSettings.defaults(), rules), rules,
                RecordChecker.InvalidValues.DROP);
        List<String> keys = new ArrayList<>();
        int rejected = 0;
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + directory.resolve("store").toAbsolutePath(), "sa", "", 2);
        Map<String, String> golden = new HashMap<>();
        long comparisons;
        try (HikariDataSource dataSource = StoreDataSource.open(settings);
             InputStream in = Files.newInputStream(file)) {
            CustomerStore store = new CustomerStore(dataSource);
            Iterator<SourceRecord> records = reader.read(in, file.getFileName().toString());
            List<SourceRecord> batch = new ArrayList<>(BATCH);
            while (records.hasNext()) {
                SourceRecord record = records.next();
                keys.add(record.sourceKey());
                batch.add(record);
                if (batch.size() == BATCH || !records.hasNext()) {
                    CheckedBatch checked = checker.check(batch);
                    rejected += checked.rejected().size();
                    store.store(new CheckedBatch(checked.source(), checked.accepted(), List.of(), 0));
                    batch.clear();
                }
            }
            try (Connection connection = dataSource.getConnection();
                 Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT source_key, customer_id FROM customer_source")) {
                while (rs.next()) {
                    golden.put(rs.getString(1), rs.getString(2));
                }
            }
            comparisons = store.comparisons();
        }
        Map<String, Integer> entitySizes = new HashMap<>();
        Map<String, Integer> clusterSizes = new HashMap<>();
        Map<String, Integer> both = new HashMap<>();
        for (String key : keys) {
            String entity = entity(key);
            String cluster = golden.getOrDefault(key, "rejected:" + key);
            entitySizes.merge(entity, 1, Integer::sum);
            clusterSizes.merge(cluster, 1, Integer::sum);
            both.merge(entity + "/" + cluster, 1, Integer::sum);
        }
        return new Evaluation(keys.size(), rejected, entitySizes.size(), clusterSizes.size(),
                pairs(entitySizes.values()), pairs(clusterSizes.values()), pairs(both.values()), comparisons);
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
