package io.customerhub.ingest;

/** Told how far a file source has read the file it is reading, for the progress line's share and time to go. */
public interface ReadProgress {

    /** {@code source} has read {@code bytes} of its current file so far. */
    void bytesRead(String source, long bytes);
}
