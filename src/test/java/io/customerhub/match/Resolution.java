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
    private List<java.util.Set<String>> keys;
    private final Map<String, Integer> blockSizes = new HashMap<>();

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

    /** Something done with a pair of records, by their positions, the earlier first. */
    interface PairAction {
        void on(int a, int b);
    }

    /** Each true pair: two records of one person (or site). */
    void forEachTruePair(PairAction action) {
        forEachPair(people, action, (a, b) -> true);
    }

    /** Each false pair: records of different people in one cluster, merged directly or through a third record. */
    void forEachFalsePair(PairAction action) {
        List<String> clusters = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            clusters.add(Integer.toString(resolver.clusterOf(i)));
        }
        forEachPair(clusters, action, (a, b) -> !people.get(a).equals(people.get(b)));
    }

    private static void forEachPair(List<String> groupOf, PairAction action, java.util.function.BiPredicate<Integer, Integer> which) {
        Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
        for (int i = 0; i < groupOf.size(); i++) {
            groups.computeIfAbsent(groupOf.get(i), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : groups.values()) {
            for (int x = 0; x < group.size(); x++) {
                for (int y = x + 1; y < group.size(); y++) {
                    if (which.test(group.get(x), group.get(y))) {
                        action.on(group.get(x), group.get(y));
                    }
                }
            }
        }
    }

    boolean apart(int a, int b) {
        return resolver.clusterOf(a) != resolver.clusterOf(b);
    }

    /**
     * Why two records were never compared: {@code never share a blocking key}, {@code share only keys too common to
     * search}; null when they share a key that is searched.
     */
    String blockingGap(int a, int b, int maxBlockSize) {
        if (keys == null) {
            keys = records.stream().map(BlockingKeys::of).toList();
            keys.forEach(set -> set.forEach(key -> blockSizes.merge(key, 1, Integer::sum)));
        }
        boolean shared = false;
        for (String key : keys.get(a)) {
            if (keys.get(b).contains(key)) {
                shared = true;
                if (blockSizes.get(key) <= maxBlockSize) {
                    return null;
                }
            }
        }
        return shared ? "share only keys too common to search" : "never share a blocking key";
    }

    /** The share of true pairs whose records share a blocking key; and how many true pairs there are. */
    double[] blockingRecallAndTruePairs() {
        long[] counts = new long[2];
        forEachTruePair((a, b) -> {
            counts[0]++;
            if (!"never share a blocking key".equals(blockingGap(a, b, Integer.MAX_VALUE))) {
                counts[1]++;
            }
        });
        return new double[] {counts[0] == 0 ? 1 : (double) counts[1] / counts[0], counts[0]};
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
