package io.customerhub.ingest;

/**
 * A file (or the part of one before its first record) that cannot be read at all: no header, not
 * JSON or XML, a record path that is not there, bytes that are not text in the configured
 * charset. Unlike a bad record, which becomes an unparseable {@code SourceRecord}, such a file
 * goes to the failed folder as a whole, with this message as the reason.
 */
public class UnreadableFileException extends RuntimeException {

    public UnreadableFileException(String message) {
        super(message);
    }

    public UnreadableFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
