package io.customerhub.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs the pages of one HTTP source, retrying what is worth retrying: I/O failures (refused or
 * reset connections, timeouts) and HTTP 429, 500, 502, 503 and 504, with exponential back-off and
 * the server's {@code Retry-After} on 429 and 503, both capped by the maximum delay. Any other
 * status fails at once. A page that still fails after the last attempt throws an
 * {@link HttpSourceException} naming the source, the URL (secrets masked) and the status, which
 * fails the poll. Credentials are sent as headers and never appear in a log line or message.
 */
public final class HttpPageClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPageClient.class);
    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
    private static final int EXCERPT = 200;

    /** One page as received. */
    record Page(URI uri, HttpHeaders headers, byte[] body) {
    }

    private final String source;
    private final HttpClient client;
    private final Duration readTimeout;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration retryMaxDelay;

    HttpPageClient(String source, Duration connectTimeout, Duration readTimeout, int maxAttempts,
                   Duration retryDelay, Duration retryMaxDelay) {
        this.source = source;
        // redirects are not followed: the JDK would send the credentials on to wherever they point
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = readTimeout;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
        this.retryMaxDelay = retryMaxDelay;
    }

    /** Whether an answer with {@code status} is worth another attempt: 429, 500, 502, 503, 504. */
    public static boolean retried(int status) {
        return RETRIED.contains(status);
    }

    /** The page at {@code uri}, after as many attempts as it takes and is allowed. */
    Page get(URI uri, Map<String, String> headers, Charset charset) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).GET().timeout(readTimeout);
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        String shown = HttpTexts.shown(uri);
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
                failure = "HTTP " + status + answer(response, charset);
                if (!RETRIED.contains(status)) {
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
            Duration wait = delayBefore(attempt, retryDelay, retryMaxDelay, retryAfter);
            LOG.warn("{}: GET {} failed ({}), attempt {} of {}; trying again in {} ms", source, shown, failure, attempt, maxAttempts, wait.toMillis());
            sleep(wait, shown);
        }
    }

    /**
     * How long to wait after failed attempt number {@code attempt} (from 1): {@code retryDelay}
     * doubled per attempt, or what the server asked for in {@code Retry-After} when it did, never
     * more than {@code maxDelay}.
     */
    public static Duration delayBefore(int attempt, Duration retryDelay, Duration maxDelay, Duration retryAfter) {
        Duration wanted = retryAfter != null ? retryAfter : retryDelay.multipliedBy(1L << Math.min(attempt - 1, 30));
        return wanted.compareTo(maxDelay) > 0 ? maxDelay : wanted;
    }

    /**
     * Sends and reads the whole answer within the read timeout: the request timeout of the JDK
     * client covers only the wait for the response headers, not a body that trickles in.
     */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return answer.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + readTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new HttpSourceException("source " + source + ": interrupted while polling");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    private static String answer(HttpResponse<byte[]> response, Charset charset) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return "";
        }
        Charset actual = HttpTexts.charset(response.headers().firstValue("Content-Type").orElse(null), charset);
        return ": " + HttpTexts.excerpt(body, actual, EXCERPT);
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
