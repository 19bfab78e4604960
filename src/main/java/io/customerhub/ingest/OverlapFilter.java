package io.customerhub.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code jdbc-source}'s overlap window re-reads unchanged, so that re-reading it costs a
 * hash comparison instead of a pass through the pipeline. Per row (by its key column), it keeps
 * the message id ({@link io.customerhub.record.SourceRecord#messageId()}: a SHA-256 of the mapped
 * values, what the dedupe stage compares) of the version the store holds; a row re-read at or
 * before the stored watermark with that same id would be dropped downstream as a re-delivery, so
 * it is skipped before it is handed on. Only rows within the overlap of the newest position read
 * are kept, so the memory is bounded by the rows changed in one overlap window, an initial load of
 * a large table included.
 *
 * <p>A row counts as stored only once the store says so. Every batch handed on has a watermark of
 * its own (re-read rows carry a {@code pass}, {@link JdbcWatermark#encode(long)}), the poll-source
 * stage stores it after the batch is committed and stops at the first batch that fails, so the
 * watermark the next poll starts from names the last batch stored: the rows of that batch and of
 * the batches before it are stored, the others are not. Until then a row is handed on again when
 * re-read, so a batch that failed is never skipped; a row whose newest version is in doubt is
 * forgotten.
 *
 * <p>In memory only: after a restart it is empty and the dedupe stage drops the re-deliveries, so
 * correctness never depends on it. One instance per reader; polls of one source are sequential.
 */
final class OverlapFilter {

    /** One version of a row: where it was read and its message id. */
    private record Version(JdbcWatermark position, String messageId) {
    }

    /** A batch handed on: the watermark it reaches and its rows by key, in the order read. */
    private record Batch(String watermark, LinkedHashMap<String, Version> rows) {
    }

    private final Duration overlap;
    /** By key column text: the version the store is known to hold. */
    private final Map<String, Version> stored = new HashMap<>();
    /** The batches the current poll handed on, in order. */
    private final List<Batch> batches = new ArrayList<>();
    /** The rows handed on since the last batch was. */
    private LinkedHashMap<String, Version> rows = new LinkedHashMap<>();
    /** The first batch of this poll that may still hold rows inside the overlap. */
    private int firstKept;
    private String pollStart;

    OverlapFilter(Duration overlap) {
        this.overlap = overlap;
    }

    /**
     * A poll starts from {@code watermark} (null: from the beginning): if the previous poll stored
     * it, that poll's batches up to it are stored; rows older than its overlap window are forgotten.
     */
    synchronized void pollStarts(String watermark) {
        if (watermark == null) {
            stored.clear(); // read from the beginning again: nothing is known
        } else {
            int last = -1;
            if (!watermark.equals(pollStart)) {
                for (int i = 0; i < batches.size(); i++) {
                    if (batches.get(i).watermark().equals(watermark)) {
                        last = i;
                    }
                }
            }
            for (int i = 0; i <= last; i++) {
                stored.putAll(batches.get(i).rows());
            }
            ColumnValue oldest = JdbcWatermark.decode(watermark).at().minus(overlap);
            stored.values().removeIf(version -> version.position().at().isBefore(oldest));
        }
        batches.clear();
        rows = new LinkedHashMap<>();
        firstKept = 0;
        pollStart = watermark;
    }

    /** Whether the row at {@code position} (at or before the stored watermark) is stored as {@code messageId} already. */
    synchronized boolean unchanged(JdbcWatermark position, String messageId) {
        Version version = stored.get(position.key().text());
        return version != null && version.messageId().equals(messageId);
    }

    /** The row at {@code position} is handed on as {@code messageId}: which version the store holds is in doubt until a watermark says. */
    synchronized void handedOn(JdbcWatermark position, String messageId) {
        String key = position.key().text();
        stored.remove(key);
        rows.put(key, new Version(position, messageId));
    }

    /**
     * The rows handed on since the last call go in one batch, which reaches {@code watermark} and
     * whose last row read is at {@code last}. Rows of this poll older than the overlap before
     * {@code last} are forgotten now, so that an initial load does not fill the memory: a poll
     * reads in position order, so the next one re-reads them only when a later batch of this one
     * was not stored, and then they are merely handed on again.
     */
    synchronized void batchHandedOn(String watermark, JdbcWatermark last) {
        batches.add(new Batch(watermark, rows));
        rows = new LinkedHashMap<>();
        ColumnValue oldest = last.at().minus(overlap);
        while (firstKept < batches.size()) {
            Iterator<Version> versions = batches.get(firstKept).rows().values().iterator();
            while (versions.hasNext()) {
                if (!versions.next().position().at().isBefore(oldest)) {
                    return; // this one and all after it are inside the window
                }
                versions.remove();
            }
            firstKept++;
        }
    }

    /** How many rows are known stored (for tests: the memory stays bounded). */
    synchronized int size() {
        return stored.size();
    }
}
