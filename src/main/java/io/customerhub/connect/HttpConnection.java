package io.customerhub.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the {@code http-source} and {@code http-sync} templates reach an API, from the parameters
 * they share: the credentials ({@code auth} and its secrets), the connect and read timeouts, and
 * the retries (I/O failures and HTTP 429, 500, 502, 503 and 504 are worth another attempt, after a
 * back-off that doubles per attempt or follows the server's {@code Retry-After}, capped by
 * {@code retry-max-delay}). {@link HttpEndpoint#connect} checks the parameters and reads the secrets once, so a bad
 * one fails route creation; {@link #credentials()} reads them again, so a rotated secret file needs
 * no restart. What to do with an answer, and when to give up on a failure, stays with the source
 * (which fails the poll) and the target (which reports the change as not written).
 */
public final class HttpConnection {

    private static final Set<Integer> RETRIED = Set.of(429, 500, 502, 503, 504);
    private static final int EXCERPT = 200;

    private final HttpAuth auth;
    private final HttpClient client;
    private final Duration readTimeout;
    private final int maxAttempts;
    private final Duration retryDelay;
    private final Duration retryMaxDelay;

    /** Built by {@link HttpEndpoint#connect} from checked parameters (timeouts and delays in milliseconds). */
    HttpConnection(HttpAuth auth, int connectTimeout, int readTimeout, int maxAttempts, int retryDelay, int retryMaxDelay) {
        this.auth = auth;
        // redirects are not followed: the JDK would send the credentials on to wherever they point
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(connectTimeout))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.readTimeout = Duration.ofMillis(readTimeout);
        this.maxAttempts = maxAttempts;
        this.retryDelay = Duration.ofMillis(retryDelay);
        this.retryMaxDelay = Duration.ofMillis(retryMaxDelay);
    }

    /**
     * {@code value} as the URL of an API: http or https with a host, and no credentials in it.
     *
     * @throws IllegalArgumentException naming {@code system} and {@code parameter}
     */
    public static URI url(String system, String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(system + ": " + parameter + ": required");
        }
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(system + ": " + parameter + ": not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(system + ": " + parameter + ": expected an http:// or https:// URL but was '"
                    + HttpTexts.shown(uri) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(system + ": " + parameter
                    + ": credentials do not belong in the URL; use auth with a secret from the environment or a file");
        }
        return uri;
    }

    /** @throws IllegalArgumentException naming {@code system} and {@code parameter} when {@code value} is below 1 */
    public static void positive(String system, String parameter, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(system + ": " + parameter + " must be at least 1, not " + value);
        }
    }

    /** The credential headers as of now (none for auth none). */
    public Map<String, String> credentials() {
        return auth.headers();
    }

    /** How long a request may take, the whole answer included. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** How many times a request is tried at most, the first time included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether an answer with {@code status} is worth another attempt: 429, 500, 502, 503, 504. */
    public static boolean retried(int status) {
        return RETRIED.contains(status);
    }

    /** How long to wait after failed attempt number {@code attempt} (from 1); {@code retryAfter} is what the server asked for, or null. */
    public Duration delayBefore(int attempt, Duration retryAfter) {
        return delayBefore(attempt, retryDelay, retryMaxDelay, retryAfter);
    }

    /**
     * How long to wait after failed attempt number {@code attempt} (from 1): {@code retryDelay}
     * doubled per attempt, or what the server asked for in {@code Retry-After} when it did, never
     * more than {@code maxDelay}.
     */
    static Duration delayBefore(int attempt, Duration retryDelay, Duration maxDelay, Duration retryAfter) {
        Duration wanted = retryAfter != null ? retryAfter : retryDelay.multipliedBy(1L << Math.min(attempt - 1, 30));
        return wanted.compareTo(maxDelay) > 0 ? maxDelay : wanted;
    }

    /**
     * Sends and reads the whole answer within the read timeout: the request timeout of the JDK
     * client covers only the wait for the response headers, not a body that trickles in.
     *
     * @throws HttpTimeoutException when the answer is not complete within the read timeout
     */
    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return answer.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + readTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    /**
     * The start of an answer's body for an error message, {@code ": "} and one line of at most 200
     * characters, in the charset its {@code Content-Type} names (else {@code fallback}); empty
     * without a body.
     */
    public static String excerpt(HttpResponse<byte[]> response, Charset fallback) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return "";
        }
        Charset actual = HttpTexts.charset(response.headers().firstValue("Content-Type").orElse(null), fallback);
        return ": " + HttpTexts.excerpt(body, actual, EXCERPT);
    }
}
