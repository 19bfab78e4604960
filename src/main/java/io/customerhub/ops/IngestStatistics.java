package io.customerhub.ops;

import io.customerhub.store.StoreResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Per-source counts of what happened to every record read: created, updated, unchanged,
 * quarantined or skipped as a duplicate, plus files that could not be read at all. Feeds the
 * {@code --once} summary and a progress line every {@code progressEvery} records.
 */
public final class IngestStatistics {

    private static final Logger LOG = LoggerFactory.getLogger(IngestStatistics.class);

    private final long progressEvery;
    private final Map<String, StoreResult> results = new TreeMap<>();
    private final Map<String, Integer> failedFiles = new TreeMap<>();

    public IngestStatistics(long progressEvery) {
        this.progressEvery = progressEvery;
    }

    /** Counts one stored batch of {@code source}. */
    public synchronized void add(String source, StoreResult batch) {
        StoreResult before = results.getOrDefault(source, StoreResult.NONE);
        StoreResult after = before.plus(batch);
        results.put(source, after);
        if (read(after) / progressEvery > read(before) / progressEvery) {
            LOG.info("{}: {} records read so far ({} created, {} updated, {} quarantined, {} duplicates)",
                    source, read(after), after.created(), after.updated(), after.quarantined(), after.duplicates());
        }
    }

    /** Counts a file of {@code source} that went to the failed folder. */
    public synchronized void fileFailed(String source) {
        failedFiles.merge(source, 1, Integer::sum);
    }

    /** The totals of one source so far. */
    public synchronized StoreResult totals(String source) {
        return results.getOrDefault(source, StoreResult.NONE);
    }

    /** A table with one line per source, for the end of a {@code --once} run. */
    public synchronized String summary() {
        String format = "%-16s %10s %10s %10s %10s %12s %11s %13s%n";
        StringBuilder table = new StringBuilder(String.format(format,
                "source", "read", "created", "updated", "unchanged", "quarantined", "duplicates", "failed files"));
        TreeMap<String, StoreResult> all = new TreeMap<>(results);
        failedFiles.keySet().forEach(source -> all.putIfAbsent(source, StoreResult.NONE));
        all.forEach((source, r) -> table.append(String.format(format, source, read(r), r.created(), r.updated(),
                r.unchanged(), r.quarantined(), r.duplicates(), failedFiles.getOrDefault(source, 0))));
        return table.toString();
    }

    private static long read(StoreResult r) {
        return (long) r.created() + r.updated() + r.unchanged() + r.quarantined() + r.duplicates();
    }
}
