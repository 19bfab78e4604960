package io.customerhub.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.customerhub.connect.Configured;
import io.customerhub.connect.FileFormat;
import io.customerhub.connect.Option;
import io.customerhub.connect.Secret;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.StoreResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static io.customerhub.connect.TemplateParameters.isSet;
import static io.customerhub.connect.TemplateParameters.unset;

/**
 * The receiving end of one webhook source, created per route by the {@code webhook-source}
 * template from its parameters: it checks a pushed request (size, media type, token or
 * signature), reads its body (a JSON object, a JSON array, NDJSON, or XML) into records through
 * the same field mapping and readers as file sources, and writes the answer once the pipeline has
 * stored them. A body that cannot be read becomes one unparseable record (quarantined, answered
 * 400), so that nothing that arrives is lost.
 *
 * <p>A JavaBean like {@link FileRecordSource}: Camel sets the template parameters as properties,
 * then {@link #init()} checks them and reads the secret, failing route creation on a bad one.
 * The secret comes from an environment variable or a file, never from the route file, and never
 * appears in a log line or an answer.
 */
public final class WebhookIntake extends Configured {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    /** A sender's request id is kept only when it is a plain token (it ends up in the store and in logs). */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final ObjectReader ONE_VALUE = JsonRows.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Option(name = "source", description = "Source system name (kebab-case). URL path /webhooks/<source>, route id "
            + "<source>-webhook.")
    private String source;
    @Option(name = "format", description = "json (one object, an array, or NDJSON, detected; or an array at "
            + "record-path) or xml.")
    private String format;
    /** Whether the bodies are JSON (else XML). */
    private boolean json;
    @Option(name = "charset", description = "Character set of the body (a BOM wins; XML's own encoding declaration "
            + "wins).", defaultValue = "UTF-8")
    private String charset;
    @Option(name = "record-element", description = "XML element that holds one record (\"-\" for json).",
            defaultValue = "-")
    private String recordElement;
    @Option(name = "record-path", description = "Dotted path to the array of records inside a JSON document (\"-\" = "
            + "one object, a root array or NDJSON).", defaultValue = "-")
    private String recordPath;
    @Option(name = "mapping", description = "Field mapping from source fields to canonical fields (YAML, see "
            + "routes/README.md).")
    private String mapping;
    @Option(name = "auth", description = "token (the shared secret as Authorization: Bearer <secret>, or as the "
            + "value of auth-header) or hmac (HMAC-SHA256 of the raw body, hex, in auth-header).")
    private String auth;
    @Option(name = "secret-env", description = "Environment variable holding the shared secret (\"-\" = use "
            + "secret-file). A secret, never written in a route file.", defaultValue = "-", secret = true)
    private String secretEnv;
    @Option(name = "secret-file", description = "File holding the shared secret, surrounding whitespace ignored "
            + "(\"-\" = use secret-env).", defaultValue = "-", secret = true)
    private String secretFile;
    @Option(name = "auth-header", description = "Header carrying the token or signature (\"-\" = Authorization for "
            + "token, X-Hub-Signature-256 for hmac).", defaultValue = "-")
    private String authHeader;
    @Option(name = "timestamp-header", description = "hmac only: header with the signing time in Unix seconds; the "
            + "signed text is then <timestamp>.<body> and requests older than timestamp-tolerance are refused (\"-\" = "
            + "none).", defaultValue = "-")
    private String timestampHeader;
    @Option(name = "timestamp-tolerance", description = "Seconds the timestamp header may differ from now.",
            defaultValue = "300")
    private long timestampTolerance;
    @Option(name = "max-body-bytes", description = "Largest body accepted, in bytes; larger ones get 413 (the "
            + "server refuses bodies above camel.server.maxBodySize first).", defaultValue = "1048576")
    private long maxBodyBytes;
    private int retryAfter = 30;
    private UnaryOperator<String> environment = System::getenv;
    private Clock clock = Clock.systemUTC();

    private Charset bodyCharset;
    private RecordReader reader;
    private WebhookAuthenticator authenticator;

    /** Checks the parameters, reads the secret and builds the reader. */
    public void init() {
        configure();
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException("source " + source + ": the mapping parameter is missing");
        }
        String fmt = format == null ? "" : format.strip().toLowerCase(Locale.ROOT);
        if (!fmt.equals("json") && !fmt.equals("xml")) {
            throw new IllegalArgumentException("source " + source + ": format: expected json or xml but was '" + format + "'");
        }
        FileFormat settings = FileFormat.of(source, fmt, charset, ",", "\"", "", unset(recordElement), unset(recordPath));
        json = settings.format() == FileFormat.Format.JSON;
        bodyCharset = settings.charset();
        // JSON arrives here decoded already (see jsonText), so its reader reads UTF-8
        reader = new RecordReader(json ? FileFormat.of(source, fmt, "UTF-8", ",", "\"", "", "",
                unset(recordPath)) : settings, FieldMapping.parse(mapping));
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("source " + source + ": max-body-bytes must be at least 1, not " + maxBodyBytes);
        }
        authenticator = authenticator();
    }

    private WebhookAuthenticator authenticator() {
        String scheme = auth == null ? "" : auth.strip().toLowerCase(Locale.ROOT);
        WebhookAuthenticator.Scheme kind = switch (scheme) {
            case "token" -> WebhookAuthenticator.Scheme.TOKEN;
            case "hmac" -> WebhookAuthenticator.Scheme.HMAC;
            default -> throw new IllegalArgumentException("source " + source + ": auth: expected token or hmac but was '" + auth + "'");
        };
        String header = isSet(authHeader)
                ? authHeader.strip()
                : kind == WebhookAuthenticator.Scheme.TOKEN ? "Authorization" : "X-Hub-Signature-256";
        String timestamp = isSet(timestampHeader) ? timestampHeader.strip() : null;
        if (timestampTolerance < 1) {
            throw new IllegalArgumentException("source " + source + ": timestamp-tolerance must be at least 1 second");
        }
        String secret = Secret.required("source " + source, "secret", secretEnv, secretFile, environment).read();
        try {
            return new WebhookAuthenticator(kind, secret, header, timestamp, Duration.ofSeconds(timestampTolerance), clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("source " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Looks at one request: refuses it (413 too large, 415 a form, 401 not authentic, 400 empty)
     * or reads its records. A refused request is logged at WARN, without secret or body.
     *
     * @param headers the request headers (Camel's message headers: names case-insensitive)
     * @param body    the raw body, or null when there is none
     */
    public WebhookRequest receive(Map<String, Object> headers, byte[] body) {
        UnaryOperator<String> header = lookup(headers);
        String id = requestId(header.apply("X-Request-Id"));
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length > maxBodyBytes) {
            return refuse(id, 413, "too large", "the body has " + bytes.length + " bytes, more than the "
                    + maxBodyBytes + " this webhook accepts");
        }
        String contentType = header.apply("Content-Type");
        if (contentType != null && (contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")
                || contentType.toLowerCase(Locale.ROOT).startsWith("multipart/"))) {
            return refuse(id, 415, "unsupported media type",
                    "send the records as the raw body (application/json, application/x-ndjson or application/xml), not as a form");
        }
        var refusal = authenticator.refusal(header, bytes);
        if (refusal.isPresent()) {
            return refuse(id, 401, "unauthorized", refusal.get());
        }
        String origin = "webhook:" + id;
        List<SourceRecord> records = reindexed(read(bytes, origin));
        List<String> errors = records.stream().map(SourceRecord::error).filter(Objects::nonNull).toList();
        if (records.isEmpty()) {
            return bytes.length == 0 || isBlank(bytes)
                    ? refuse(id, 400, "empty", "the body is empty")
                    : new WebhookRequest(id, records, errors, new WebhookReply(200, summary(id, 0, StoreResult.NONE, List.of())));
        }
        return new WebhookRequest(id, records, errors, null);
    }

    /**
     * The answer once the pipeline stored the request's records: 200 with the counts, or 400 with
     * the reasons when records were unparseable (they are in the quarantine then).
     */
    public WebhookReply answer(WebhookRequest request, StoreResult stored) {
        String json = summary(request.id(), request.records().size(), stored, request.errors());
        if (!request.errors().isEmpty()) {
            LOG.warn("{}: webhook request {}: {} of {} records could not be parsed and are quarantined; answered 400",
                    source, request.id(), request.errors().size(), request.records().size());
            return new WebhookReply(400, json);
        }
        return new WebhookReply(200, json);
    }

    /**
     * The answer when the records could not be stored (the store down, a stage failing): 503 with
     * Retry-After. The batch's transaction left nothing behind, so sending again is safe. Logged at
     * ERROR with the failure's type only, as its message may quote stored values.
     */
    public WebhookReply unavailable(WebhookRequest request, Exception failure) {
        LOG.error("{}: webhook request {} with {} records could not be stored ({}), answered 503", source,
                request.id(), request.records().size(), failure.getClass().getSimpleName());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request", request.id());
        answer.put("error", "unavailable");
        answer.put("reason", "the records could not be stored now; send the same request again later");
        return new WebhookReply(503, json(answer), retryAfter);
    }

    private String summary(String id, int received, StoreResult stored, List<String> errors) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request", id);
        if (!errors.isEmpty()) {
            answer.put("error", "unparseable");
            answer.put("reasons", errors);
        }
        answer.put("received", received);
        answer.put("stored", stored.created() + stored.updated() + stored.unchanged());
        answer.put("created", stored.created());
        answer.put("updated", stored.updated());
        answer.put("unchanged", stored.unchanged());
        answer.put("quarantined", stored.quarantined());
        answer.put("duplicates", stored.duplicates());
        return json(answer);
    }

    private WebhookRequest refuse(String id, int status, String error, String reason) {
        LOG.warn("{}: webhook request {} refused with {}: {}", source, id, status, reason);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("request", id);
        answer.put("error", error);
        answer.put("reason", reason);
        return new WebhookRequest(id, List.of(), List.of(), new WebhookReply(status, json(answer)));
    }

    private static String json(Map<String, Object> answer) {
        try {
            return JsonRows.MAPPER.writeValueAsString(answer);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }

    private static UnaryOperator<String> lookup(Map<String, Object> headers) {
        Map<String, Object> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            byName.putAll(headers);
        }
        return name -> {
            Object value = byName.get(name);
            // a header sent twice is ambiguous: treated as absent
            if (value instanceof List<?> values) {
                return values.size() == 1 && values.get(0) != null ? values.get(0).toString() : null;
            }
            return value == null ? null : value.toString();
        };
    }

    private static String requestId(String offered) {
        return offered != null && REQUEST_ID.matcher(offered.strip()).matches()
                ? offered.strip()
                : UUID.randomUUID().toString();
    }

    /** The records of the body; a body that cannot be read at all is one unparseable record. */
    private List<SourceRecord> read(byte[] body, String origin) {
        byte[] input = body;
        if (reader == null) {
            throw new IllegalStateException("init() was not called");
        }
        if (json) {
            String text;
            try {
                text = jsonText(body);
            } catch (CharacterCodingException e) {
                return List.of(unparseable(origin, body, "not " + bodyCharset.name() + " text"));
            }
            if (text.isBlank()) {
                return List.of();
            }
            String problem = jsonProblem(text);
            if (problem != null) {
                return List.of(unparseable(origin, body, problem));
            }
            // a lone object (pretty-printed or not) is read as an array of one
            String first = text.stripLeading();
            input = (!isSet(recordPath) && first.startsWith("{") && !isNdjson(text) ? "[" + text + "]" : text)
                    .getBytes(StandardCharsets.UTF_8);
        }
        List<SourceRecord> records = new ArrayList<>();
        try {
            Iterator<SourceRecord> it = reader.read(new ByteArrayInputStream(input), origin);
            while (it.hasNext()) {
                records.add(it.next());
            }
        } catch (UnreadableFileException | UncheckedIOException e) {
            records.clear();
            records.add(unparseable(origin, body, e.getMessage()));
        }
        return records;
    }

    /** The body as text: a byte-order mark picks the encoding, otherwise the charset parameter; bad bytes fail. */
    private String jsonText(byte[] body) throws CharacterCodingException {
        try (Reader text = TextInput.open(new ByteArrayInputStream(body), bodyCharset)) {
            StringBuilder out = new StringBuilder(body.length);
            char[] buffer = new char[8192];
            for (int n = text.read(buffer); n >= 0; n = text.read(buffer)) {
                out.append(buffer, 0, n);
            }
            return out.toString();
        } catch (CharacterCodingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Why the JSON body cannot be read as a whole, or null. A broken document is refused as a
     * whole rather than stored up to the error; only NDJSON is read line by line (a bad line is
     * one unparseable record, the others are stored).
     */
    private String jsonProblem(String text) {
        JsonNode tree;
        try {
            tree = ONE_VALUE.readValue(text);
        } catch (JsonProcessingException e) {
            if (!isSet(recordPath) && isNdjson(text)) {
                return null;
            }
            var at = e.getLocation();
            return "not JSON: " + e.getOriginalMessage() + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        if (isSet(recordPath)) {
            return tree.isObject() ? null : "not a JSON object holding record-path '" + recordPath.strip() + "'";
        }
        return tree.isObject() || tree.isArray() ? null : "not a JSON object or array";
    }

    /** NDJSON: the first non-blank line is a JSON value of its own, and more lines follow. */
    private static boolean isNdjson(String text) {
        String body = text.strip();
        int end = body.indexOf('\n');
        if (end < 0 || body.substring(end).isBlank()) {
            return false;
        }
        try {
            ONE_VALUE.readValue(body.substring(0, end));
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private SourceRecord unparseable(String origin, byte[] body, String reason) {
        // the payload is the body as text (stored JSON-quoted), so that a data steward sees what arrived
        return SourceRecord.unparseable(source, origin, 0, JsonText.quote(new String(body, bodyCharset)), reason);
    }

    /** Position = the record's index in the body, from 0 (the readers count lines). */
    private static List<SourceRecord> reindexed(List<SourceRecord> records) {
        List<SourceRecord> indexed = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            SourceRecord r = records.get(i);
            indexed.add(new SourceRecord(r.source(), r.origin(), i, r.values(), r.payload(), r.error()));
        }
        return indexed;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }

    public void setRetryAfter(int retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** For tests: where secret-env is looked up (default: the process environment). */
    void setEnvironment(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    /** For tests: the clock the timestamp header is checked against. */
    void setClock(Clock clock) {
        this.clock = clock;
    }
}
