package io.customerhub.ingest;

import io.customerhub.record.SourceRecord;

import java.util.List;

/**
 * One batch read from a polled source (an HTTP API, a database) with the watermark it reaches:
 * the source route stores {@code records}, then advances the source's watermark to
 * {@code watermark}, so the watermark never runs ahead of what is committed.
 *
 * @param records   the mapped records, in the source's cursor order
 * @param watermark where the next poll starts once these are stored, or null to leave it as is
 */
public record PolledBatch(List<SourceRecord> records, String watermark) {

    public PolledBatch {
        records = List.copyOf(records);
    }
}
