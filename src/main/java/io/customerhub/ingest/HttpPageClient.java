package io.customerhub.ingest;

import io.customerhub.connect.HttpConnection;
import io.customerhub.connect.HttpTexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * GETs the pages of one HTTP source, retrying what is worth retrying: I/O failures (refused or
 * reset connections, timeouts) and HTTP 429, 500, 502, 503 and 504, with exponential back-off and
 * the server's {@code Retry-After} on 429 and 503, both capped by the maximum delay. Any other
 * status fails at once. A page that still fails after the last attempt throws an
 * {@link HttpSourceException} naming the source, the URL (secrets masked) and the status, which
 * fails the poll. Credentials are sent as headers and never appear in a log line or message.
 */
final class HttpPageClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPageClient.class);

    /** One page as received. */
    record Page(URI uri, HttpHeaders headers, byte[] body) {
    }

    private final String source;
    private final HttpConnection connection;

    HttpPageClient(String source, HttpConnection connection) {
        this.source = source;
        this.connection = connection;
    }

    /** The page at {@code uri}, after as many attempts as it takes and is allowed. */
    Page get(URI uri, Map<String, String> headers, Charset charset) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(connection.readTimeout());
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        String shown = HttpTexts.shown(uri);
        int maxAttempts = connection.maxAttempts();
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration retryAfter = null;
            Exception cause = null;
            try {
                HttpResponse<byte[]> response = send(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300) {
                    return new Page(uri, response.headers(), response.body());
                }
                failure = "HTTP " + status + HttpConnection.excerpt(response, charset);
                if (!HttpConnection.retried(status)) {
                    throw new HttpSourceException("source " + source + ": GET " + shown + " answered " + failure
                            + (status >= 300 && status < 400 ? " (redirects are not followed: configure the URL it points to)" : ""));
                }
                if (status == 429 || status == 503) {
                    retryAfter = HttpTexts.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
                }
            } catch (IOException e) {
                cause = e;
                failure = e instanceof HttpTimeoutException ? "timed out (" + e.getMessage() + ")"
                        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt >= maxAttempts) {
                HttpSourceException failed = new HttpSourceException("source " + source + ": GET " + shown + " failed after "
                        + attempt + " attempt(s): " + failure);
                if (cause != null) {
                    // suppressed rather than the cause: the back-off logs the innermost cause's message, and this one names the URL
                    failed.addSuppressed(cause);
                }
                throw failed;
            }
            Duration wait = connection.delayBefore(attempt, retryAfter);
            LOG.warn("{}: GET {} failed ({}), attempt {} of {}; trying again in {} ms", source, shown, failure, attempt, maxAttempts, wait.toMillis());
            sleep(wait, shown);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return connection.send(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpSourceException("source " + source + ": interrupted while polling");
        }
    }

    private void sleep(Duration wait, String shown) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpSourceException("source " + source + ": interrupted while waiting to GET " + shown + " again");
        }
    }
}
