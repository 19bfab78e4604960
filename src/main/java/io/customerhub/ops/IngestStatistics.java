package io.customerhub.ops;

import io.customerhub.store.StoreResult;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.customerhub.ingest.ReadProgress;
import java.time.Duration;
import java.util.Date;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Per-source counts of what happened to every record read: created, updated, unchanged,
 * quarantined or skipped as a duplicate, plus files that could not be read at all. Feeds the
 * {@code --once} summary, a progress line per source every {@code progressInterval} (with the rate since the last), and the Micrometer
 * counter {@code hub_records_total{source, outcome}} (outcome: created, updated, unchanged,
 * quarantined, duplicate; plus {@code hub_failed_files_total{source}} and
 * {@code hub_values_left_out_total{source, field}}, unreadable values left out of stored records).
 */
public final class IngestStatistics implements ReadProgress {

    private static final Logger LOG = LoggerFactory.getLogger(IngestStatistics.class);

    private static final Map<String, ToLongFunction<StoreResult>> OUTCOMES = Map.of(
            "created", StoreResult::created, "updated", StoreResult::updated, "unchanged", StoreResult::unchanged,
            "quarantined", StoreResult::quarantined, "duplicate", StoreResult::duplicates);

    private final long progressIntervalNanos;
    private final Supplier<Optional<MeterRegistry>> meters;
    private final Map<String, StoreResult> results = new TreeMap<>();
    private final Map<String, Integer> failedFiles = new TreeMap<>();
    /** Per source: when its last progress line was logged (System.nanoTime) and how many records it had read then. */
    private final Map<String, long[]> lastProgress = new TreeMap<>();
    /** Per source, the file it is reading: its name, size, when picked up and the bytes read so far. */
    private final Map<String, Reading> reading = new ConcurrentHashMap<>();

    private static final class Reading {
        final String file;
        final long size;
        final long since = System.nanoTime();
        volatile long bytes;

        Reading(String file, long size) {
            this.file = file;
            this.size = size;
        }

        /** ", file F: 45% in 12 s, about 15 s to go", or nothing before the first bytes. */
        String describe() {
            if (bytes <= 0 || size <= 0) {
                return "";
            }
            double share = Math.min(1, bytes / (double) size);
            long seconds = (System.nanoTime() - since) / 1_000_000_000L;
            return String.format(Locale.ROOT, ", file %s: %d%% in %d s, about %d s to go", file, Math.round(share * 100), seconds,
                    Math.round(seconds * (1 - share) / Math.max(share, 0.0001)));
        }
    }

    /**
     * @param meters where to register the counters of a source when it is first seen (the Camel
     *               registry's Micrometer registry, created after this bean; empty without metrics)
     */
    public IngestStatistics(Duration progressInterval, Supplier<Optional<MeterRegistry>> meters) {
        this.progressIntervalNanos = progressInterval.toNanos();
        this.meters = meters;
    }

    /** Counts one stored batch of {@code source}. */
    public synchronized void add(String source, StoreResult batch) {
        if (!results.containsKey(source) && !failedFiles.containsKey(source)) {
            registerCounters(source);
        }
        StoreResult before = results.getOrDefault(source, StoreResult.NONE);
        StoreResult after = before.plus(batch.counts());
        results.put(source, after);
        batch.leftOut().keySet().stream().filter(field -> !before.leftOut().containsKey(field))
                .forEach(field -> meters.get().ifPresent(registry -> FunctionCounter.builder("hub.values.left.out", this,
                                statistics -> statistics.totals(source).leftOut().getOrDefault(field, 0))
                        .description("Values left out of stored records because they could not be read (value_finding)")
                        .tags("source", source, "field", field)
                        .register(registry)));
        long now = System.nanoTime();
        long[] last = lastProgress.computeIfAbsent(source, s -> new long[] {now, read(before)});
        if (now - last[0] >= progressIntervalNanos) {
            double seconds = Math.max(0.001, (now - last[0]) / 1e9);
            Reading file = reading.get(source);
            LOG.info("{}: {} records read so far ({} created, {} updated, {} quarantined, {} duplicates), {} records/s{}", source,
                    count(read(after)), count(after.created()), count(after.updated()), count(after.quarantined()),
                    count(after.duplicates()), count(Math.round((read(after) - last[1]) / seconds)),
                    file == null ? "" : file.describe());
            last[0] = now;
            last[1] = read(after);
        }
    }

    /** Counts a file of {@code source} that went to the failed folder, or vanished while it was read. */
    public synchronized void fileFailed(String source) {
        if (!results.containsKey(source) && !failedFiles.containsKey(source)) {
            registerCounters(source);
        }
        failedFiles.merge(source, 1, Integer::sum);
    }

    private void registerCounters(String source) {
        meters.get().ifPresent(registry -> {
            OUTCOMES.forEach((outcome, count) -> FunctionCounter.builder("hub.records", this,
                            statistics -> count.applyAsLong(statistics.totals(source)))
                    .description("Records read from a source, by what became of them")
                    .tags("source", source, "outcome", outcome)
                    .register(registry));
            FunctionCounter.builder("hub.failed.files", this, statistics -> statistics.failedFiles(source))
                    .description("Files moved to the failed folder because they could not be read, or that vanished while read")
                    .tags("source", source)
                    .register(registry);
        });
    }

    private synchronized int failedFiles(String source) {
        return failedFiles.getOrDefault(source, 0);
    }

    /** Logs a file of {@code source} picked up; returns the source's totals so far, for {@link #fileDone}. */
    public StoreResult filePickedUp(String source, String file, long bytes) {
        reading.put(source, new Reading(file, bytes));
        LOG.info("{}: file {} picked up ({} KB)", source, file, count(Math.max(1, bytes / 1024)));
        return totals(source);
    }

    /**
     * Logs a file of {@code source} read to its end: its records by outcome (the source's totals since {@code before},
     * taken when it was picked up: a source reads one file at a time), and how fast. Counts carry thousands separators,
     * which also keeps the log masker from taking them for phone numbers.
     */
    public void fileDone(String source, String file, StoreResult before, Date pickedUp) {
        reading.remove(source);
        StoreResult r = totals(source).minus(before);
        long millis = Math.max(1, System.currentTimeMillis() - pickedUp.getTime());
        LOG.info("{}: file {} read: {} records ({} created, {} updated, {} unchanged, {} quarantined, {} duplicates) in {}"
                        + " s, {} records/s", source, file, count(r.total()), count(r.created()), count(r.updated()),
                count(r.unchanged()), count(r.quarantined()), count(r.duplicates()),
                String.format(Locale.ROOT, "%.1f", millis / 1000.0), count(r.total() * 1000L / millis));
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    @Override
    public void bytesRead(String source, long bytes) {
        Reading file = reading.get(source);
        if (file != null) {
            file.bytes = bytes;
        }
    }

    /** Source records created so far, over every source. */
    public synchronized long created() {
        return results.values().stream().mapToLong(StoreResult::created).sum();
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
        all.forEach((source, r) -> {
            if (!r.leftOut().isEmpty()) {
                table.append(source).append(": unreadable values left out of stored records (table value_finding): ");
                r.leftOut().forEach((field, count) -> table.append(field).append(' ').append(count).append(", "));
                table.setLength(table.length() - 2);
                table.append(System.lineSeparator());
            }
        });
        return table.toString();
    }

    private static long read(StoreResult r) {
        return (long) r.created() + r.updated() + r.unchanged() + r.quarantined() + r.duplicates();
    }
}
