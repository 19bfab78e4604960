package io.customerhub.ops;

import io.customerhub.ingest.PolledBatch;
import io.customerhub.ingest.PolledSource;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A polled source for route tests of the {@code poll-source} stage: it serves the rows of a
 * shared in-memory table after the watermark (the number of rows read), two per batch, fetched
 * lazily; it fails while {@link #down} is set, and fails fetching the batch after
 * {@link #failAfterBatches} batches (a connection lost in the middle of a poll).
 */
public final class ScriptedPolledSource implements PolledSource {

    static final List<String> TABLE = new CopyOnWriteArrayList<>();
    static final Queue<String> WATERMARKS_ASKED = new ConcurrentLinkedQueue<>();
    static volatile boolean down;
    static volatile int failAfterBatches = -1;

    private String source;

    public void setSource(String source) {
        this.source = source;
    }

    static void reset() {
        TABLE.clear();
        WATERMARKS_ASKED.clear();
        down = false;
        failAfterBatches = -1;
    }

    @Override
    public Iterator<PolledBatch> batches(String watermark) {
        WATERMARKS_ASKED.add(String.valueOf(watermark));
        if (down) {
            throw new IllegalStateException("Connection refused (scripted)");
        }
        int from = watermark == null ? 0 : Integer.parseInt(watermark);
        return new Iterator<>() {
            int next = from;
            int served;

            @Override
            public boolean hasNext() {
                return next < TABLE.size();
            }

            @Override
            public PolledBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (served++ == failAfterBatches) {
                    throw new IllegalStateException("Connection reset (scripted)");
                }
                List<SourceRecord> records = new ArrayList<>();
                for (int end = Math.min(next + 2, TABLE.size()); next < end; next++) {
                    records.add(new SourceRecord(source, "scripted", next + 1, Map.of(CanonicalField.SOURCE_KEY, "K" + next,
                            CanonicalField.FULL_NAME, TABLE.get(next)), "{}", null));
                }
                return new PolledBatch(records, Integer.toString(next));
            }
        };
    }
}
