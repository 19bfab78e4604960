package io.customerhub.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.cleanse.TimestampParser;
import io.customerhub.connect.Configured;
import io.customerhub.connect.Connector;
import io.customerhub.connect.Connectors;
import io.customerhub.connect.HttpConnection;
import io.customerhub.connect.HttpEndpoint;
import io.customerhub.connect.HttpTexts;
import io.customerhub.connect.Option;
import io.customerhub.connect.Probe;
import io.customerhub.connect.TemplateParameters;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.WriteOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * I/O errors and HTTP 429, 500, 502, 503 and 504 are retried with the back-off the HTTP source
 * uses too ({@link HttpConnection}; {@code Retry-After} honoured on 429 and 503); a change still
 * failing, or answered any other error status, is reported as not written with the status and the
 * start of the answer, and the next change is sent. When the target cannot be connected to and nothing of the batch has been
 * written, {@link #write} throws: the whole batch is then retried later. When the connection is
 * lost midway, the remaining changes are reported unsent without trying.
 *
 * <p>A JavaBean like the source readers: Camel sets the template parameters as properties, then
 * the template calls {@link #init()}, which checks them and fails route creation on a bad one.
 */
public final class HttpSyncWriter extends Configured implements SyncWriter, Connector {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSyncWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(name = "source", description = "The system written to (kebab-case), as its ingest route names it. "
            + "Route id <source>-sync.")
    private String source;
    @Option(name = "mapping", description = "The system's field mapping (YAML, see routes/README.md), read "
            + "backwards; share it with the ingest route through a YAML anchor.")
    private String mapping;
    @Option(name = "create-method", description = "POST or PUT.", defaultValue = "POST")
    private String createMethod;
    @Option(name = "create-url", description = "http:// or https:// URL a customer the system does not hold yet is "
            + "created at; never a credential in it.")
    private String createUrl;
    @Option(name = "update-method", description = "PUT or PATCH.", defaultValue = "PUT")
    private String updateMethod;
    @Option(name = "update-url", description = "URL of one customer, with {key} where the system's key goes "
            + "(URL-encoded).")
    private String updateUrl;
    @Option(name = "delete-method", description = "DELETE: a deleted golden record is a DELETE of update-url (404 "
            + "and 410 count as done); \"-\" = sent as an update.", defaultValue = "-")
    private String deleteMethod;
    @Option(name = "idempotency-header", description = "Header carrying the change's idempotency key, the same on "
            + "every attempt of one change.", defaultValue = "Idempotency-Key")
    private String idempotencyHeader;
    @Option.Nested
    private final HttpEndpoint endpoint = new HttpEndpoint();
    @Option(name = "create", description = "How customers the system does not hold yet get there: golden-id "
            + "(created under the golden id as key), target-assigned (created without a key; the id of the answer, from "
            + "its Location header or the key field of its body, joins the golden record) or never (only customers it "
            + "holds get changes).", defaultValue = "golden-id")
    private CreatePolicy create;
    /** The zone of the system's timestamps without one, as its source reads them ({@code hub.cleanse.time-zone}). */
    private String timeZone = "UTC";

    private FieldMapping fieldMapping;
    private TimestampParser timestamps;
    /** Where the mapping puts {@code sourceKey} in a document (dotted), to read a key the target assigned. */
    private String keyPath;
    private URI createUri;
    private boolean deleteRequests;
    private JsonShape shape;
    private Set<CanonicalField> fields;
    private HttpConnection connection;
    private Connectors connectors;

    /** Checks the parameters, reads the secrets once and builds the client. */
    public void init() {
        configure();
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source: the name of the target system is required");
        }
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException(source + ": the mapping parameter is missing");
        }
        fieldMapping = FieldMapping.parse(mapping);
        timestamps = new TimestampParser(ZoneId.of(timeZone));
        Map<CanonicalField, String> writable = fieldMapping.writableFields();
        shape = JsonShape.of(writable);
        keyPath = writable.getOrDefault(CanonicalField.SOURCE_KEY, "id");
        fields = writable.isEmpty() ? EnumSet.noneOf(CanonicalField.class) : EnumSet.copyOf(writable.keySet());
        createMethod = oneOf("create-method", createMethod, List.of("POST", "PUT"));
        updateMethod = oneOf("update-method", updateMethod, List.of("PUT", "PATCH"));
        deleteRequests = TemplateParameters.isSet(deleteMethod) && oneOf("delete-method", deleteMethod, List.of("DELETE")).equals("DELETE");
        createUri = HttpConnection.url(source, "create-url", createUrl);
        updateUrl = updateUrl == null ? null : updateUrl.strip();
        if (updateUrl == null || !updateUrl.contains("{key}")) {
            throw new IllegalArgumentException(source + ": update-url: expected a URL with {key} where the target's key goes, e.g. https://sales.example.com/api/customers/{key}");
        }
        HttpConnection.url(source, "update-url", updateUrl.replace("{key}", "key"));
        if (idempotencyHeader == null || idempotencyHeader.isBlank()) {
            throw new IllegalArgumentException(source + ": idempotency-header: required");
        }
        connection = endpoint.connect(source);
        if (connectors != null) {
            connectors.register(this);
        }
    }

    @Override
    public String system() {
        return source;
    }

    /**
     * One GET of the create URL with the declared credentials, which changes nothing in the target: a 401 or 403 is
     * refused credentials, no answer an unreachable API, any other answer an API that takes the hub.
     */
    @Override
    public Probe probe() {
        String where = HttpTexts.shown(createUri);
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(createUri).GET().timeout(connection.readTimeout());
            connection.credentials().forEach(request::header);
            int status = connection.send(request.build()).statusCode();
            return status == 401 || status == 403
                    ? Probe.failed(source, "sync target", where, Probe.Outcome.NOT_AUTHENTICATED,
                            new IOException("GET " + where + " answered HTTP " + status))
                    : Probe.reached(source, "sync target", where, "reachable, authenticated (GET answered HTTP " + status + ")");
        } catch (IOException e) {
            return Probe.failed(source, "sync target", where, Probe.Outcome.UNREACHABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Probe.failed(source, "sync target", where, Probe.Outcome.FAILED, e);
        }
    }

    public void setConnectors(Connectors connectors) {
        this.connectors = connectors;
    }

    @Override
    public Set<CanonicalField> fields() {
        return fields;
    }

    @Override
    public CreatePolicy create() {
        return create;
    }

    @Override
    public List<WriteOutcome> write(List<OutboundChange> changes) throws Exception {
        Map<String, String> headers = connection.credentials(); // read per batch: a rotated secret file is picked up
        List<WriteOutcome> outcomes = new ArrayList<>(changes.size());
        boolean anyWritten = false;
        String lost = null;
        for (OutboundChange change : changes) {
            if (lost != null) {
                outcomes.add(WriteOutcome.failed("not sent: " + lost));
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
            outcomes.add(outcome.error() != null ? WriteOutcome.failed(outcome.error())
                    : change.created() && !change.deleted() && create == CreatePolicy.TARGET_ASSIGNED ? assigned(outcome.answer())
                    : WriteOutcome.WRITTEN);
        }
        return outcomes;
    }

    /**
     * The outcome of one request: written when {@code error} is null, with the target's {@code answer} (null
     * when no request was needed); {@code status} the refusing answer's, 0 without one; {@code unreachable}
     * when no connection could be made.
     */
    private record Outcome(String error, int status, boolean unreachable, Exception cause, HttpResponse<byte[]> answer) {
        static Outcome written(HttpResponse<byte[]> answer) {
            return new Outcome(null, 0, false, null, answer);
        }
    }

    /**
     * The key the target gave the record a create made: the last segment of the answer's {@code Location}
     * header, else the key field of the answer's JSON body (where the mapping puts {@code sourceKey}).
     */
    private WriteOutcome assigned(HttpResponse<byte[]> answer) {
        String location = answer.headers().firstValue("Location").orElse(null);
        if (location != null && !location.isBlank()) {
            String path = URI.create(location.strip()).getPath();
            String key = path.substring(path.lastIndexOf('/') + 1);
            if (!key.isEmpty()) {
                return WriteOutcome.created(URLDecoder.decode(key, StandardCharsets.UTF_8));
            }
        }
        try {
            JsonNode node = JSON.readTree(answer.body());
            for (String part : keyPath.split("\\.")) {
                node = node == null ? null : node.get(part);
            }
            if (node != null && node.isValueNode() && !node.asText().isEmpty()) {
                return WriteOutcome.created(node.asText());
            }
        } catch (IOException e) {
            // not JSON: no key in it
        }
        LOG.warn("{}: a customer was created, but the answer names no key (no Location header, no {} in its body);"
                + " its record joins the golden record when it is read back and matched", source, keyPath);
        return WriteOutcome.WRITTEN;
    }

    private Outcome writeChange(OutboundChange change, Map<String, String> headers) throws InterruptedException {
        URI keyed = URI.create(updateUrl.replace("{key}", pathSegment(change.targetKey())));
        if (change.deleted() && deleteRequests) {
            if (change.created()) {
                return Outcome.written(null); // the target never had it: nothing to delete
            }
            return send("DELETE", keyed, null, change.idempotencyKey(), headers, Set.of(404, 410));
        }
        boolean assigns = change.created() && create == CreatePolicy.TARGET_ASSIGNED;
        byte[] body = body(change, !assigns);
        if (!change.created()) {
            Read read = readBefore(change, keyed, headers);
            if (read.refusal() != null) {
                return new Outcome(read.refusal(), 0, false, null, null);
            }
            Map<String, String> guarded = headers;
            if (read.etag() != null) {
                guarded = new LinkedHashMap<>(headers);
                guarded.put("If-Match", read.etag());
            }
            return send(updateMethod, keyed, body, change.idempotencyKey(), guarded, Set.of());
        }
        Outcome created = send(createMethod, createUri, body, change.idempotencyKey(), headers, Set.of());
        if (created.status() != 409 || assigns) {
            return created;
        }
        return send(updateMethod, keyed, body, change.idempotencyKey() + "-update", headers, Set.of());
    }

    /**
     * What the read before an update found: why the update is not sent ({@code refusal}), or the record's
     * {@code ETag} to send as {@code If-Match} (null when it has none).
     */
    private record Read(String refusal, String etag) {
        static final Read NOTHING = new Read(null, null);
    }

    /**
     * The record read before {@code change} updates it ({@code GET} of its URL): the update is not sent when its
     * updated-at field, as the mapping reads it, is later than {@link OutboundChange#basedOn()} (an edit the hub
     * has not read yet); it is sent with {@code If-Match} when the answer has an {@code ETag}, so that an edit
     * between the read and the write makes the target refuse it (412). A record that cannot be read is updated
     * as before; without an ETag, an edit between the read and the write is still overwritten (one round trip).
     */
    private Read readBefore(OutboundChange change, URI keyed, Map<String, String> headers) throws InterruptedException {
        if (change.basedOn() == null) {
            return Read.NOTHING;
        }
        // one attempt: the read only guards the write, which is sent when the record cannot be read
        Outcome read = send("GET", keyed, null, change.idempotencyKey() + "-read", headers, Set.of(), 1);
        if (read.error() != null || read.answer() == null) {
            return Read.NOTHING;
        }
        String etag = read.answer().headers().firstValue("ETag").orElse(null);
        try {
            String text = fieldMapping.map(JSON.readTree(read.answer().body())).get(CanonicalField.SOURCE_UPDATED_AT);
            Instant changed = text == null ? null : timestamps.parse(text.strip());
            if (changed != null && changed.isAfter(change.basedOn())) {
                return new Read("not written: the record changed at " + changed + ", after " + change.basedOn() + ", its last"
                        + " change the hub read (an edit the hub has not read yet is not overwritten; it is read, settled by"
                        + " the survivorship rules, and this change is written again or replaced)", null);
            }
        } catch (IOException | RuntimeException e) {
            // not a record the mapping reads: no time to compare
        }
        return new Read(null, etag);
    }

    /** The JSON document of {@code change}; without the key field when the target assigns keys. */
    private byte[] body(OutboundChange change, boolean withKey) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        for (CanonicalField field : fields) {
            String value = field == CanonicalField.SOURCE_KEY && !withKey ? null : change.value(field);
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
        return send(method, uri, body, idempotencyKey, headers, alsoDone, connection.maxAttempts());
    }

    private Outcome send(String method, URI uri, byte[] body, String idempotencyKey, Map<String, String> headers,
                         Set<Integer> alsoDone, int attempts) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(connection.readTimeout())
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
                HttpResponse<byte[]> response = connection.send(request);
                int status = response.statusCode();
                if (status >= 200 && status < 300 || alsoDone.contains(status)) {
                    return Outcome.written(response);
                }
                failure = "HTTP " + status + HttpConnection.excerpt(response, StandardCharsets.UTF_8);
                if (!HttpConnection.retried(status)) {
                    return new Outcome(source + ": " + shown + " answered " + failure
                            + (status >= 300 && status < 400 ? " (redirects are not followed: configure the URL it points to)" : ""),
                            status, false, null, null);
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
            if (attempt >= attempts) {
                boolean unreachable = error instanceof ConnectException || error instanceof HttpConnectTimeoutException;
                return new Outcome(source + ": " + shown + " failed after " + attempt + " attempt(s): " + failure, 0, unreachable,
                        error, null);
            }
            Duration wait = connection.delayBefore(attempt, retryAfter);
            LOG.warn("{}: {} failed ({}), attempt {} of {}; trying again in {} ms", source, shown, failure, attempt,
                    connection.maxAttempts(), wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    /** {@code key} encoded for one path segment: a space is %20 there, not +. */
    private static String pathSegment(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String oneOf(String parameter, String value, List<String> allowed) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException(source + ": " + parameter + ": expected " + String.join(" or ", allowed) + " but was '" + value + "'");
        }
        return v;
    }

    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }
}
