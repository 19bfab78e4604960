package io.customerhub.ingest;

/**
 * A poll of an HTTP source failed: the API could not be reached or answered an error past its
 * retries, or a page could not be read. The message names the source and the URL (secrets masked).
 */
public final class HttpSourceException extends RuntimeException {

    public HttpSourceException(String message) {
        super(message);
    }
}
