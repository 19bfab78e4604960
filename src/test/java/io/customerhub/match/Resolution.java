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
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.SourceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Generated CSV files (one per source, with a {@code person} truth column) read, cleansed and resolved in memory as the
 * pipeline does, by the production matcher ({@link IncrementalResolver}): the records accepted, in order, each with its
 * person and its cluster, for the matching tests to score.
 */
final class Resolution {

    private static final ObjectMapper JSON = new ObjectMapper();

    final IncrementalResolver resolver;
    final List<CustomerRecord> records = new ArrayList<>();
    final List<String> people = new ArrayList<>();

    private Resolution(MatchSettings settings) {
        this.resolver = new IncrementalResolver(settings);
    }

    static Resolution of(List<Path> files, String mapping, MatchSettings settings) throws IOException {
        return of(files, mapping, settings, "person");
    }

    /** As {@link #of(List, String, MatchSettings)}, the truth in column {@code truth}. */
    static Resolution of(List<Path> files, String mapping, MatchSettings settings, String truth) throws IOException {
        ValidationRules rules = ValidationRules.from(Map.of("required", "sourceKey,fullName"));
        RecordChecker checker = new RecordChecker(new CustomerCleanser(CleansingSettings.defaults(), rules), rules,
                RecordChecker.InvalidValues.DROP);
        Resolution resolution = new Resolution(settings);
        for (Path file : files) {
            String source = file.getFileName().toString().replace(".csv", "");
            RecordReader reader = new RecordReader(FileFormat.of(source, "csv", "", "", "", "", "", ""), FieldMapping.parse(mapping));
            List<SourceRecord> batch = new ArrayList<>();
            Map<String, String> personOf = new HashMap<>();
            try (InputStream in = Files.newInputStream(file)) {
                reader.read(in, file.getFileName().toString()).forEachRemaining(record -> {
                    batch.add(record);
                    personOf.put(record.sourceKey(), truth(record, truth));
                });
            }
            for (CheckedRecord checked : checker.check(batch).accepted()) {
                resolution.resolver.add(checked.customer());
                resolution.records.add(checked.customer());
                resolution.people.add(personOf.get(checked.customer().sourceKey()));
            }
        }
        return resolution;
    }

    /** Pairwise precision and recall of the clusters against the people. */
    double[] precisionAndRecall() {
        Map<String, Long> truth = new HashMap<>();
        Map<Integer, Long> clusters = new HashMap<>();
        Map<String, Long> both = new HashMap<>();
        for (int i = 0; i < people.size(); i++) {
            truth.merge(people.get(i), 1L, Long::sum);
            clusters.merge(resolver.clusterOf(i), 1L, Long::sum);
            both.merge(people.get(i) + "/" + resolver.clusterOf(i), 1L, Long::sum);
        }
        double correct = pairs(both.values());
        return new double[] {correct / pairs(clusters.values()), correct / pairs(truth.values())};
    }

    double comparisonsPerRecord() {
        return (double) resolver.comparisons() / people.size();
    }

    private static long pairs(Collection<Long> sizes) {
        long pairs = 0;
        for (long size : sizes) {
            pairs += size * (size - 1) / 2;
        }
        return pairs;
    }

    private static String truth(SourceRecord record, String column) {
        try {
            return JSON.readTree(record.payload()).get(column).asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
