package io.customerhub.ingest;

/**
 * A polled source could not be read (unreachable, a failing query): the poll fails, the source backs
 * off and is polled again from its last committed watermark. The message names the source, never a
 * credential.
 */
public final class SourceReadException extends RuntimeException {

    public SourceReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
