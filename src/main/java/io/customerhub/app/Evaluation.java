package io.customerhub.app;

import io.customerhub.ops.DrainWatcher;
import io.customerhub.ops.SourceRoutes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.app.CustomerHub;
import io.customerhub.connect.FileFormat;
import io.customerhub.ingest.RecordReader;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.CustomerStore;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code evaluate} command: runs each file as one source (named after the file) through the
 * real pipeline into a fresh temporary store, then scores the golden records against a truth
 * column, pairwise: records with equal truth keys are the same person. It runs with the settings of
 * the home ({@code config/application.properties}), so that its figures are the daemon's; only how
 * files are picked up and JMX are changed. A record the settings quarantine counts as a golden record
 * of its own.
 */
public final class Evaluation {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Pairwise quality of one run, and the recall of blocking alone: the share of true pairs whose records share a
     * blocking key, so that they were compared at all.
     */
    public record Figures(double precision, double recall, double f1, long records, long golden, long comparisons,
                          double blockingRecall) {
        public String line() {
            return String.format(Locale.ROOT, "precision=%.4f recall=%.4f f1=%.4f records=%d golden=%d comparisons=%d"
                    + " blocking-recall=%.4f", precision, recall, f1, records, golden, comparisons, blockingRecall);
        }
    }

    private Evaluation() {
    }

    /** Runs the evaluation with the settings and routes of {@code home}. */
    public static Figures run(Path home, Path mapping, String truthColumn, Pattern truthRegex, List<Path> files)
            throws Exception {
        String mappingText = Files.readString(mapping);
        Path work = Files.createTempDirectory("customer-hub-evaluate");
        try {
            FileTree.copy(home.resolve("config"), work.resolve("config"));
            for (String folder : List.of("templates", "stages", "config")) {
                FileTree.copy(home.resolve("routes").resolve(folder), work.resolve("routes").resolve(folder));
            }
            Map<String, String> truthOfRecord = new HashMap<>();
            for (Path file : files) {
                String source = sourceName(file);
                String format = format(file);
                Files.createDirectories(work.resolve("routes/sources"));
                Files.writeString(work.resolve("routes/sources").resolve(source + ".camel.yaml"),
                        SourceRoutes.fileSourceDeclaration(source, format, mappingText, false));
                truthOfRecord.putAll(truth(file, source, format, mappingText, truthColumn, truthRegex));
                Path inbox = Files.createDirectories(work.resolve("data/inbox").resolve(source));
                Files.copy(file, inbox.resolve(file.getFileName()));
            }
            return ingestAndScore(work, truthOfRecord);
        } finally {
            FileTree.delete(work);
        }
    }

    /** Runs the hub on {@code work} until drained and scores the golden ids of the stored records. */
    private static Figures ingestAndScore(Path work, Map<String, String> truthOfRecord) throws Exception {
        Main main = CustomerHub.newMain(work);
        main.addOverrideProperty("camel.management.enabled", "false");
        main.addOverrideProperty("hub.file.read-lock-min-age", "0");
        main.addOverrideProperty("hub.file.poll-delay", "100");
        main.start();
        try {
            DrainWatcher drain = new DrainWatcher(main.getCamelContext());
            if (!drain.awaitDrained(Duration.ofHours(1))) {
                throw new IllegalStateException("the evaluation run did not finish: " + drain.failureReport());
            }
            CustomerStore store = main.lookup("customerStore", CustomerStore.class);
            return score(truthOfRecord, store.goldenIds(), store.comparisons(), blockingRecall(truthOfRecord, store.blockingKeys()));
        } finally {
            main.stop();
        }
    }

    /** Pairwise precision, recall and F1; a record missing from the store is a golden record of its own. */
    static Figures score(Map<String, String> truthOfRecord, Map<String, String> goldenOfRecord, long comparisons,
                         double blockingRecall) {
        Map<String, Long> truthSizes = new HashMap<>();
        Map<String, Long> goldenSizes = new HashMap<>();
        Map<String, Long> bothSizes = new HashMap<>();
        truthOfRecord.forEach((record, truth) -> {
            String golden = goldenOfRecord.getOrDefault(record, "unstored:" + record);
            truthSizes.merge(truth, 1L, Long::sum);
            goldenSizes.merge(golden, 1L, Long::sum);
            bothSizes.merge(truth + "\u0000" + golden, 1L, Long::sum);
        });
        ToLongFunction<Map<String, Long>> pairs = sizes -> sizes.values().stream().mapToLong(n -> n * (n - 1) / 2).sum();
        long truePairs = pairs.applyAsLong(truthSizes);
        long predictedPairs = pairs.applyAsLong(goldenSizes);
        long correctPairs = pairs.applyAsLong(bothSizes);
        double precision = predictedPairs == 0 ? 1 : (double) correctPairs / predictedPairs;
        double recall = truePairs == 0 ? 1 : (double) correctPairs / truePairs;
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Figures(precision, recall, f1, truthOfRecord.size(), goldenSizes.size(), comparisons, blockingRecall);
    }

    /** The share of true pairs (records with equal truth) that share a blocking key; a record not stored shares none. */
    static double blockingRecall(Map<String, String> truthOfRecord, Map<String, long[]> keysOfRecord) {
        Map<String, List<long[]>> people = new HashMap<>();
        truthOfRecord.forEach((record, truth) -> people.computeIfAbsent(truth, t -> new ArrayList<>())
                .add(keysOfRecord.getOrDefault(record, new long[0])));
        long pairs = 0;
        long blocked = 0;
        for (List<long[]> records : people.values()) {
            for (int i = 0; i < records.size(); i++) {
                for (int j = i + 1; j < records.size(); j++) {
                    pairs++;
                    if (shareAKey(records.get(i), records.get(j))) {
                        blocked++;
                    }
                }
            }
        }
        return pairs == 0 ? 1 : (double) blocked / pairs;
    }

    private static boolean shareAKey(long[] a, long[] b) {
        for (long x : a) {
            for (long y : b) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The truth key of every record of {@code file}, keyed like the store: source NUL source key. */
    private static Map<String, String> truth(Path file, String source, String format, String mapping, String column,
                                             Pattern regex) throws IOException {
        Map<String, String> truth = new HashMap<>();
        RecordReader reader = new RecordReader(FileFormat.of(source, format, "", "", "", "", "", ""),
                FieldMapping.parse(mapping));
        try (InputStream in = Files.newInputStream(file)) {
            Iterator<SourceRecord> records = reader.read(in, file.getFileName().toString());
            while (records.hasNext()) {
                SourceRecord record = records.next();
                JsonNode value = JSON.readTree(record.payload()).get(column);
                if (value == null || record.sourceKey() == null) {
                    throw new IllegalArgumentException(file + " line " + record.position()
                            + ": no key or no truth column '" + column + "'");
                }
                String key = value.asText().trim();
                if (regex != null) {
                    Matcher matcher = regex.matcher(key);
                    if (!matcher.find()) {
                        throw new IllegalArgumentException(file + " line " + record.position()
                                + ": truth value '" + key + "' does not match " + regex);
                    }
                    key = matcher.group(1);
                }
                truth.put(source + "\u0000" + record.sourceKey().trim(), key);
            }
        }
        return truth;
    }

    /** The source name for a file: its name without extension, in kebab-case. */
    static String sourceName(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT);
        String kebab = name.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return kebab.isEmpty() ? "file" : kebab;
    }

    private static String format(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json") || name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
            return "json";
        }
        return name.endsWith(".xml") ? "xml" : "csv";
    }
}
