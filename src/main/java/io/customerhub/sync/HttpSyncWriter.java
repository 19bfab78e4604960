package io.customerhub.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.ingest.FieldMapping;
import io.customerhub.ingest.HttpAuth;
import io.customerhub.ingest.HttpPageClient;
import io.customerhub.ingest.HttpTexts;
import io.customerhub.record.CanonicalField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes golden-record changes to a target's HTTP API, created per route by the {@code http-sync}
 * template. Each change is one request, in order, one at a time (later changes of a customer must
 * not overtake earlier ones): a create ({@code create-method}, default POST, to {@code create-url})
 * for a customer the target does not hold yet, otherwise an update ({@code update-method}, default
 * PUT, to {@code update-url} with the target's key in place of {@code {key}}). The body is the
 * record in the target's own field names, the mapping read backwards ({@link JsonShape}).
 *
 * <p>Every request carries an idempotency key header, the same on every attempt of the same change,
 * so a request retried after a lost answer is not a second change. A create answered 409 (the
 * record exists: an earlier attempt got through, or someone else made it) is sent again as the
 * update, under the key with {@code -update} appended (APIs refuse one key for two requests).
 * I/O errors and HTTP 429, 500, 502, 503 and 504 are retried with the back-off of the HTTP source
 * ({@code Retry-After} honoured on 429 and 503); a change still failing, or answered any other
 * error status, is reported as not written with the status and the start of the answer, and the
 * next change is sent. When the target cannot be connected to and nothing of the batch has been
 * written, {@link #write} throws: the whole batch is then retried later. When the connection is
 * lost midway, the remaining changes are reported unsent without trying.
 *
 * <p>A JavaBean like the source readers: Camel sets the template parameters as properties, then
 * the template calls {@link #init()}, which checks them and fails route creation on a bad one.
 */
public final class HttpSyncWriter implements SyncWriter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSyncWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int EXCERPT = 200;

    private String source;
    private String mapping;
    private String createMethod = "POST";
    private String createUrl;
    private String updateMethod = "PUT";
    private String updateUrl;
    private String deleteMethod = "-";
    private String idempotencyHeader = "Idempotency-Key";
    private String auth = "none";
    private String tokenEnv = "-";
    private String tokenFile = "-";
    private String userEnv = "-";
    private String userFile = "-";
    private String passwordEnv = "-";
    private String passwordFile = "-";
    private String apiKeyHeader = "X-API-Key";
    private int connectTimeout = 5000;
    private int readTimeout = 30000;
    private int maxAttempts = 3;
    private int retryDelay = 1000;
    private int retryMaxDelay = 30000;

    private URI createUri;
    private boolean deleteRequests;
    private JsonShape shape;
    private Set<CanonicalField> fields;
    private HttpAuth credentials;
    private HttpClient client;

    /** Checks the parameters, reads the secrets once and builds the client. */
    public void init() {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source: the name of the target system is required");
        }
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException(source + ": the mapping parameter is missing");
        }
        Map<CanonicalField, String> writable = FieldMapping.parse(mapping).writableFields();
        shape = JsonShape.of(writable);
        fields = writable.isEmpty() ? EnumSet.noneOf(CanonicalField.class) : EnumSet.copyOf(writable.keySet());
        createMethod = oneOf("create-method", createMethod, List.of("POST", "PUT"));
        updateMethod = oneOf("update-method", updateMethod, List.of("PUT", "PATCH"));
        deleteRequests = !unset(deleteMethod).isEmpty() && oneOf("delete-method", deleteMethod, List.of("DELETE")).equals("DELETE");
        createUri = url("create-url", createUrl);
        if (updateUrl == null || !updateUrl.contains("{key}")) {
            throw new IllegalArgumentException(source + ": update-url: expected a URL with {key} where the target's key goes, e.g. https://sales.example.com/api/customers/{key}");
        }
        url("update-url", updateUrl.replace("{key}", "key"));
        if (idempotencyHeader == null || idempotencyHeader.isBlank()) {
            throw new IllegalArgumentException(source + ": idempotency-header: required");
        }
        positive("connect-timeout", connectTimeout);
        positive("read-timeout", readTimeout);
        positive("max-attempts", maxAttempts);
        if (retryDelay < 0 || retryMaxDelay < retryDelay) {
            throw new IllegalArgumentException(source + ": retry-delay must be at least 0 and retry-max-delay at least retry-delay");
        }
        credentials = new HttpAuth(source, auth, tokenEnv, tokenFile, userEnv, userFile, passwordEnv, passwordFile, apiKeyHeader);
        // redirects are not followed: the JDK would send the credentials on to wherever they point
        client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(connectTimeout))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public Set<CanonicalField> fields() {
        return fields;
    }

    @Override
    public List<String> write(List<OutboundChange> changes) throws Exception {
        Map<String, String> headers = credentials.headers(); // read per batch: a rotated secret file is picked up
        List<String> outcomes = new ArrayList<>(changes.size());
        boolean anyWritten = false;
        String lost = null;
        for (OutboundChange change : changes) {
            if (lost != null) {
                outcomes.add("not sent: " + lost);
                continue;
            }
            Outcome outcome = writeChange(change, headers);
            if (outcome.unreachable()) {
                if (!anyWritten) {
                    ConnectException unreachable = new ConnectException(outcome.error());
                    unreachable.initCause(outcome.cause());
                    throw unreachable;
                }
                lost = "the connection to " + source + " was lost at an earlier change of this batch";
            }
            anyWritten |= outcome.error() == null;
            outcomes.add(outcome.error());
        }
        return outcomes;
    }

    /**
     * The outcome of one request: written when {@code error} is null; {@code status} the refusing
     * answer's, 0 without one; {@code unreachable} when no connection could be made.
     */
    private record Outcome(String error, int status, boolean unreachable, Exception cause) {
        static final Outcome WRITTEN = new Outcome(null, 0, false, null);
    }

    private Outcome writeChange(OutboundChange change, Map<String, String> headers) throws InterruptedException {
        URI keyed = URI.create(updateUrl.replace("{key}", pathSegment(change.targetKey())));
        if (change.deleted() && deleteRequests) {
            if (change.created()) {
                return Outcome.WRITTEN; // the target never had it: nothing to delete
            }
            return send("DELETE", keyed, null, change.idempotencyKey(), headers, Set.of(404, 410));
        }
        byte[] body = body(change);
        if (!change.created()) {
            return send(updateMethod, keyed, body, change.idempotencyKey(), headers, Set.of());
        }
        Outcome created = send(createMethod, createUri, body, change.idempotencyKey(), headers, Set.of());
        if (created.status() != 409) {
            return created;
        }
        return send(updateMethod, keyed, body, change.idempotencyKey() + "-update", headers, Set.of());
    }

    private byte[] body(OutboundChange change) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        for (CanonicalField field : fields) {
            String value = change.value(field);
            if (value != null) {
                values.put(field, value);
            }
        }
        try {
            return JSON.writeValueAsBytes(shape.document(values));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of text nodes always serializes", e);
        }
    }

    /**
     * Sends one request as often as it takes and is allowed: written on 2xx (or one of
     * {@code alsoDone}), otherwise why not.
     */
    private Outcome send(String method, URI uri, byte[] body, String idempotencyKey, Map<String, String> headers,
                         Set<Integer> alsoDone) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(readTimeout))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Accept", "application/json")
                .header("User-Agent", "customer-hub")
                .header(idempotencyHeader.strip(), idempotencyKey);
        if (body != null) {
            builder.header("Content-Type", "application/json; charset=utf-8");
        }
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        String shown = method + " " + HttpTexts.shown(uri);
        for (int attempt = 1; ; attempt++) {
            String failure;
            Duration retryAfter = null;
            IOException error = null;
            try {
                HttpResponse<byte[]> response = send(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300 || alsoDone.contains(status)) {
                    return Outcome.WRITTEN;
                }
                failure = "HTTP " + status + excerpt(response);
                if (!HttpPageClient.retried(status)) {
                    return new Outcome(source + ": " + shown + " answered " + failure
                            + (status >= 300 && status < 400 ? " (redirects are not followed: configure the URL it points to)" : ""),
                            status, false, null);
                }
                if (status == 429 || status == 503) {
                    retryAfter = HttpTexts.retryAfter(response.headers().firstValue("Retry-After").orElse(null), Instant.now());
                }
            } catch (IOException e) {
                error = e;
                failure = e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)
                        ? "timed out (" + e.getMessage() + ")"
                        : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            if (attempt >= maxAttempts) {
                boolean unreachable = error instanceof ConnectException || error instanceof HttpConnectTimeoutException;
                return new Outcome(source + ": " + shown + " failed after " + attempt + " attempt(s): " + failure, 0, unreachable, error);
            }
            Duration wait = HttpPageClient.delayBefore(attempt, Duration.ofMillis(retryDelay), Duration.ofMillis(retryMaxDelay), retryAfter);
            LOG.warn("{}: {} failed ({}), attempt {} of {}; trying again in {} ms", source, shown, failure, attempt, maxAttempts, wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    /** Sends and reads the whole answer within the read timeout, which the JDK applies to the headers only. */
    private HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return answer.get(readTimeout, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + readTimeout + " ms");
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

    private static String excerpt(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            return "";
        }
        return ": " + HttpTexts.excerpt(body, HttpTexts.charset(response.headers().firstValue("Content-Type").orElse(null),
                StandardCharsets.UTF_8), EXCERPT);
    }

    /** {@code key} encoded for one path segment: a space is %20 there, not +. */
    private static String pathSegment(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI url(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(source + ": " + parameter + ": required");
        }
        URI uri;
        try {
            uri = URI.create(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + parameter + ": not a URL: " + e.getMessage(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException(source + ": " + parameter + ": expected an http:// or https:// URL but was '" + HttpTexts.shown(uri) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(source + ": " + parameter + ": credentials do not belong in the URL; use auth with a secret from the environment or a file");
        }
        return uri;
    }

    private String oneOf(String parameter, String value, List<String> allowed) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(source + ": " + parameter + ": expected " + String.join(" or ", allowed) + " but was '" + value + "'");
        }
        return v;
    }

    private void positive(String parameter, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(source + ": " + parameter + " must be at least 1, not " + value);
        }
    }

    /** "-" stands for "not set": Camel template parameters cannot default to an empty string. */
    private static String unset(String parameter) {
        return parameter == null || "-".equals(parameter.strip()) ? "" : parameter.strip();
    }

    public void setSource(String source) {
        this.source = source;
    }

    public void setMapping(String mapping) {
        this.mapping = mapping;
    }

    public void setCreateMethod(String createMethod) {
        this.createMethod = createMethod;
    }

    public void setCreateUrl(String createUrl) {
        this.createUrl = createUrl;
    }

    public void setUpdateMethod(String updateMethod) {
        this.updateMethod = updateMethod;
    }

    public void setUpdateUrl(String updateUrl) {
        this.updateUrl = updateUrl;
    }

    public void setDeleteMethod(String deleteMethod) {
        this.deleteMethod = deleteMethod;
    }

    public void setIdempotencyHeader(String idempotencyHeader) {
        this.idempotencyHeader = idempotencyHeader;
    }

    public void setAuth(String auth) {
        this.auth = auth;
    }

    public void setTokenEnv(String tokenEnv) {
        this.tokenEnv = tokenEnv;
    }

    public void setTokenFile(String tokenFile) {
        this.tokenFile = tokenFile;
    }

    public void setUserEnv(String userEnv) {
        this.userEnv = userEnv;
    }

    public void setUserFile(String userFile) {
        this.userFile = userFile;
    }

    public void setPasswordEnv(String passwordEnv) {
        this.passwordEnv = passwordEnv;
    }

    public void setPasswordFile(String passwordFile) {
        this.passwordFile = passwordFile;
    }

    public void setApiKeyHeader(String apiKeyHeader) {
        this.apiKeyHeader = apiKeyHeader;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public void setReadTimeout(int readTimeout) {
        this.readTimeout = readTimeout;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public void setRetryDelay(int retryDelay) {
        this.retryDelay = retryDelay;
    }

    public void setRetryMaxDelay(int retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }
}
