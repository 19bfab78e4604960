package io.customerhub.ingest;

import java.util.Iterator;

/**
 * A source the hub polls (the {@code http-source} and {@code jdbc-source} templates): on each poll
 * it reads what changed after a watermark, lazily, batch by batch. The returned iterator may be
 * {@link java.io.Closeable}; fetching a batch may throw, which fails the poll (the route backs off
 * and polls again from the last committed watermark).
 */
public interface PolledSource {

    /**
     * The batches changed since {@code watermark} (null: from the beginning), each with the
     * watermark it reaches. Implementations re-read an overlap window before the watermark so
     * late commits are not missed; the idempotent consumer drops what the overlap re-reads.
     */
    Iterator<PolledBatch> batches(String watermark);

    /**
     * This reader, for a template route to hand to the {@code poll-source} stage as the body: a
     * template's local bean can be referred to only while its route is created, not looked up later.
     */
    default PolledSource reader() {
        return this;
    }
}
