package io.customerhub.ops;

import io.customerhub.ingest.PolledBatch;
import io.customerhub.ingest.PolledSource;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A polled source for route tests of the poll-source stage: it serves the records of a shared
 * in-memory "table" after the watermark (the number of records read), two per batch, and fails
 * while {@link #down} is set.
 */
public final class ScriptedPolledSource implements PolledSource {

    public static final List<String> TABLE = new java.util.concurrent.CopyOnWriteArrayList<>();
    public static volatile boolean down;
    public static final ConcurrentLinkedQueue<String> WATERMARKS_SEEN = new ConcurrentLinkedQueue<>();

    private String source;

    public void setSource(String source) {
        this.source = source;
    }

    @Override
    public Iterator<PolledBatch> batches(String watermark) {
        WATERMARKS_SEEN.add(String.valueOf(watermark));
        if (down) {
            throw new IllegalStateException("connection refused (scripted)");
        }
        int from = watermark == null ? 0 : Integer.parseInt(watermark);
        List<PolledBatch> batches = new ArrayList<>();
        for (int i = from; i < TABLE.size(); i += 2) {
            List<SourceRecord> records = new ArrayList<>();
            for (int j = i; j < Math.min(i + 2, TABLE.size()); j++) {
                records.add(new SourceRecord(source, "scripted", j + 1, Map.of(CanonicalField.SOURCE_KEY, "K" + j,
                        CanonicalField.FULL_NAME, TABLE.get(j)), "{}", null));
            }
            batches.add(new PolledBatch(records, Integer.toString(Math.min(i + 2, TABLE.size()))));
        }
        return batches.iterator();
    }
}
