package io.customerhub.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.customerhub.connect.Configured;
import io.customerhub.connect.Connector;
import io.customerhub.connect.Connectors;
import io.customerhub.connect.FileFormat;
import io.customerhub.connect.HttpConnection;
import io.customerhub.connect.HttpEndpoint;
import io.customerhub.connect.HttpTexts;
import io.customerhub.connect.Option;
import io.customerhub.connect.Probe;
import io.customerhub.connect.TemplateParameters;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.mapping.SourcePath;
import io.customerhub.record.SourceRecord;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import static io.customerhub.connect.TemplateParameters.isSet;
import static io.customerhub.connect.TemplateParameters.unset;

/**
 * The reader of one HTTP API source, created per route by the {@code http-source} template from
 * its parameters. Each poll GETs the records changed since the stored cursor, page by page as the
 * poll-source stage asks for batches (one page in memory at a time), and maps them with the same
 * {@link FieldMapping} as file sources.
 *
 * <p>The cursor is the mapping's {@code updated-at} value (and, with {@code cursor: composite},
 * its key) of the last record of each batch, sent back unchanged; the API must therefore return
 * records in cursor order, oldest first (by timestamp, then key). A poll that starts from a stored
 * cursor asks from {@code overlap} earlier, so rows committed late with an older timestamp are
 * read too; what the overlap reads again is dropped by the idempotent consumer.
 *
 * <p>A JavaBean for the same reason as {@link FileRecordSource}: Camel sets template parameters as
 * bean properties verbatim, then the template calls {@link #init()}, which checks them and fails
 * route creation on a bad one. Credentials are read from the environment or a file on every poll
 * (so a rotated secret file is picked up) and only ever sent as headers.
 */
public final class HttpRecordSource extends Configured implements PolledSource, Connector {

    /** What a poll asks from: every record on every poll, those updated since the cursor, or after its (updated-at, key). */
    enum Cursor { NONE, UPDATED_SINCE, COMPOSITE }

    /** The names of the paging modes ({@link HttpPaging}). */
    private enum PagingMode { NONE, PAGE, OFFSET, NEXT_LINK, CURSOR_TOKEN, KEYSET }

    @Option(name = "source", description = "Source system name (kebab-case). Route id <source>-ingest.")
    private String source;
    @Option(name = "url", description = "http:// or https:// URL of the records (may carry fixed query "
            + "parameters); never a credential in it.")
    private String url;
    @Option(name = "mapping", description = "Field mapping from record fields to canonical fields (YAML, see "
            + "routes/README.md); its key and updated-at are the cursor.")
    private String mapping;
    @Option(name = "format", description = "json or xml.", defaultValue = "json")
    private String format;
    @Option(name = "record-path", description = "JSON dotted path to the array of records in the body (\"-\" = the "
            + "body is the array).", defaultValue = "-")
    private String recordPath;
    @Option(name = "record-element", description = "XML element that holds one record (\"-\" for json).",
            defaultValue = "-")
    private String recordElement;
    @Option(name = "charset", description = "Character set of bodies whose Content-Type names none.",
            defaultValue = "UTF-8")
    private String charset;
    @Option(name = "cursor", description = "none (every poll reads everything), updated-since (the last updated-at "
            + "in cursor-param) or composite (also the last key in cursor-key-param: records strictly after both).",
            defaultValue = "none")
    private Cursor cursor;
    @Option(name = "cursor-param", description = "Query parameter carrying the updated-at value to read from.",
            defaultValue = "updated_since")
    private String cursorParam;
    @Option(name = "cursor-key-param", description = "Query parameter carrying the key to read after (cursor "
            + "composite).", defaultValue = "after_key")
    private String cursorKeyParam;
    @Option(name = "overlap", description = "ISO-8601 duration a poll reads back before the stored cursor, for "
            + "rows committed late with an older timestamp; PT0S = none.", defaultValue = "PT1M")
    private String overlap;
    @Option(name = "paging", description = "none, page (page-param, size-param), offset (offset-param, "
            + "limit-param), next-link (next-path or the Link header), cursor-token (token at next-path sent in "
            + "token-param) or keyset (composite cursor of the last record).", defaultValue = "none")
    private PagingMode pagingMode;
    private HttpPaging paging;
    @Option(name = "page-param", description = "Query parameter of the page number (paging page).",
            defaultValue = "page")
    private String pageParam;
    @Option(name = "size-param", description = "Query parameter of the page size (paging page).", defaultValue = "size")
    private String sizeParam;
    @Option(name = "page-size", description = "Records asked for per page; a shorter page is the last (page, "
            + "offset, keyset).", defaultValue = "100")
    private int pageSize;
    @Option(name = "first-page", description = "Number of the first page (paging page).", defaultValue = "1")
    private int firstPage;
    @Option(name = "offset-param", description = "Query parameter of the offset, from 0 (paging offset).",
            defaultValue = "offset")
    private String offsetParam;
    @Option(name = "limit-param", description = "Query parameter of the page size (paging offset, keyset, "
            + "cursor-token).", defaultValue = "limit")
    private String limitParam;
    @Option(name = "next-path", description = "JSON dotted path in the body to the next page's URL (next-link; \"-\" "
            + "= the Link rel=\"next\" header) or token (cursor-token).", defaultValue = "-")
    private String nextPath;
    @Option(name = "token-param", description = "Query parameter the token at next-path is sent back in (paging "
            + "cursor-token).", defaultValue = "page_token")
    private String tokenParam;
    @Option.Nested
    private final HttpEndpoint endpoint = new HttpEndpoint();
    private int batchSize = 1000;

    private URI base;
    private Duration overlapWindow;
    private FileFormat settings;
    private FieldMapping fields;
    private HttpPageClient client;
    private HttpConnection connection;
    private Connectors connectors;

    /** Checks the parameters and builds the client. */
    public void init() {
        configure();
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("source: a source name is required");
        }
        base = HttpConnection.url(source, "url", url);
        if (mapping == null || mapping.isBlank()) {
            throw new IllegalArgumentException(source + ": the mapping parameter is missing");
        }
        fields = FieldMapping.parse(mapping);
        if (fields.groupsRows()) {
            throw new IllegalArgumentException(source + ": mapping: group-rows is not supported by http-source (the rows of one customer may fall on different pages)");
        }
        if (!"json".equalsIgnoreCase(format.strip()) && !"xml".equalsIgnoreCase(format.strip())) {
            throw new IllegalArgumentException(source + ": format: expected json or xml but was '" + format + "'");
        }
        settings = FileFormat.of(source, format, charset, ",", "\"", "", unset(recordElement), unset(recordPath));
        try {
            overlapWindow = TemplateParameters.nonNegativeDuration("overlap", overlap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (pagingMode == PagingMode.KEYSET && cursor != Cursor.COMPOSITE) {
            throw new IllegalArgumentException(source + ": paging keyset asks for the records after the last one's (timestamp, key), so it needs cursor: composite");
        }
        if (pagingMode == PagingMode.CURSOR_TOKEN && !isSet(nextPath)) {
            throw new IllegalArgumentException(source + ": paging cursor-token needs next-path, the path of the token in the body");
        }
        SourcePath next = null;
        if (isSet(nextPath)) {
            if (settings.format() != FileFormat.Format.JSON) {
                throw new IllegalArgumentException(source + ": next-path reads a JSON body; for XML use paging next-link with a Link header");
            }
            next = SourcePath.parse(nextPath.strip());
        }
        HttpConnection.positive(source, "page-size", pageSize);
        paging = switch (pagingMode) {
            case NONE -> new HttpPaging.Single();
            case PAGE -> new HttpPaging.Numbered(pageParam, sizeParam, pageSize, firstPage);
            case OFFSET -> new HttpPaging.Offset(offsetParam, limitParam, pageSize);
            case NEXT_LINK -> new HttpPaging.NextLink(next);
            case CURSOR_TOKEN -> new HttpPaging.CursorToken(next, tokenParam, limitParam, pageSize);
            case KEYSET -> new HttpPaging.Keyset(limitParam, pageSize);
        };
        HttpConnection.positive(source, "hub.ingest.batch-size", batchSize);
        connection = endpoint.connect(source);
        client = new HttpPageClient(source, connection);
        if (connectors != null) {
            connectors.register(this);
        }
    }

    @Override
    public String system() {
        return source;
    }

    /**
     * Reads the first page from the beginning, with the declared credentials and retries, and the fields of its first
     * record: a 401 or 403 is refused credentials, no answer an unreachable API.
     */
    @Override
    public Probe probe() {
        String where = HttpTexts.shown(base);
        try {
            Iterator<PolledBatch> batches = batches(null);
            List<SourceRecord> records = batches.hasNext() ? batches.next().records() : List.of();
            List<String> found = records.isEmpty() ? List.of() : RecordReader.fieldsOf(records.get(0));
            if (batches instanceof AutoCloseable closeable) {
                closeable.close();
            }
            return found.isEmpty() ? Probe.reached(source, "source", where, "reachable, authenticated; the first page holds no record"
                    + " to read the fields of") : Probe.found(source, "source", where, found, fields.sourceFields());
        } catch (HttpSourceException e) {
            Probe.Outcome outcome = e.getMessage().matches(".* answered HTTP 40[13]\\b.*") ? Probe.Outcome.NOT_AUTHENTICATED
                    : e.getMessage().contains(" failed after ") ? Probe.Outcome.UNREACHABLE : Probe.Outcome.FAILED;
            return Probe.failed(source, "source", where, outcome, e);
        } catch (Exception e) {
            return Probe.failed(source, "source", where, Probe.Outcome.FAILED, e);
        }
    }

    public void setConnectors(Connectors connectors) {
        this.connectors = connectors;
    }

    @Override
    public Iterator<PolledBatch> batches(String watermark) {
        HttpCursor stored = cursor == Cursor.NONE || watermark == null ? null : HttpCursor.parse(watermark);
        return new Pages(stored, stored == null ? null : stored.rewound(overlapWindow), credentials());
    }

    /** The query parameters that select the records after {@code from}. */
    private Map<String, String> cursorQuery(HttpCursor from) {
        Map<String, String> query = new LinkedHashMap<>();
        if (from != null) {
            query.put(cursorParam, from.updatedAt());
            if (cursor == Cursor.COMPOSITE && from.key() != null) {
                query.put(cursorKeyParam, from.key());
            }
        }
        return query;
    }

    /** The headers of every request, credentials included: read again on each poll. */
    private Map<String, String> credentials() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", settings.format() == FileFormat.Format.XML ? "application/xml, text/xml" : "application/json");
        headers.put("User-Agent", "customer-hub");
        headers.putAll(connection.credentials());
        return headers;
    }

    /**
     * The batches of one poll: pages fetched one at a time as the batches are asked for, each
     * page's records cut into batches of at most {@code batchSize}.
     */
    private final class Pages implements Iterator<PolledBatch>, HttpPaging.Poll {

        private final HttpCursor cursorFrom;
        /** The stored cursor: a batch of the overlap window before it must not move it back. */
        private final HttpCursor stored;
        private final Map<String, String> headers;
        private final Deque<PolledBatch> ready = new ArrayDeque<>();
        private final HttpPaging.Walk walk;
        private URI request;
        private RuntimeException failure;

        Pages(HttpCursor stored, HttpCursor from, Map<String, String> headers) {
            this.stored = stored;
            this.headers = headers;
            this.cursorFrom = from;
            this.walk = paging.walk(this);
            this.request = walk.first();
        }

        /**
         * Fetches the next page when the batches of this one are used up. The split asks ahead (to
         * know which batch is the last), so a page that fails can cost the previous page's last
         * batch too: it is not stored, and the next poll reads it again.
         */
        @Override
        public boolean hasNext() {
            if (failure != null) {
                // the poll has failed with it; the split asks once more while it cleans up, and
                // must neither go on to the next page nor see (and log) the failure twice
                return false;
            }
            try {
                while (ready.isEmpty() && request != null) {
                    fetch(request);
                }
            } catch (RuntimeException e) {
                failure = e;
                throw e;
            }
            return !ready.isEmpty();
        }

        @Override
        public PolledBatch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.removeFirst();
        }

        private void fetch(URI uri) {
            HttpPageClient.Page answer = client.get(uri, headers, settings.charset());
            String origin = HttpTexts.shown(uri);
            List<SourceRecord> records = records(answer, origin);
            request = records.isEmpty() ? null : walk.next(answer, records);
            for (int from = 0; from < records.size(); from += batchSize) {
                List<SourceRecord> batch = records.subList(from, Math.min(from + batchSize, records.size()));
                HttpCursor reached = cursor == Cursor.NONE ? null : HttpCursor.after(batch, cursor == Cursor.COMPOSITE);
                boolean behind = reached != null && stored != null && reached.isBefore(stored);
                ready.add(new PolledBatch(batch, reached == null || behind ? null : reached.toWatermark()));
            }
        }

        /** The records of one page, numbered from 1 within it and named after its URL. */
        private List<SourceRecord> records(HttpPageClient.Page answer, String origin) {
            Charset bodyCharset = HttpTexts.charset(answer.headers().firstValue("Content-Type").orElse(null), settings.charset());
            FileFormat read = bodyCharset.equals(settings.charset()) ? settings : new FileFormat(settings.source(),
                    settings.format(), bodyCharset, ',', '"', List.of(), settings.recordElement(), settings.recordPath());
            List<SourceRecord> records = new ArrayList<>();
            try {
                Iterator<SourceRecord> parsed = new RecordReader(read, fields).read(new ByteArrayInputStream(answer.body()), origin);
                while (parsed.hasNext()) {
                    SourceRecord r = parsed.next();
                    records.add(new SourceRecord(r.source(), origin, records.size() + 1, r.values(), r.payload(), r.error()));
                }
            } catch (UnreadableFileException e) {
                HttpSourceException failed = new HttpSourceException("source " + source + ": GET " + origin
                        + " answered a body that cannot be read: " + e.getMessage());
                failed.addSuppressed(e);
                throw failed;
            }
            return records;
        }

        @Override
        public URI request(Map<String, String> query) {
            return requestAfter(cursorFrom, query);
        }

        @Override
        public URI requestAfter(HttpCursor last, Map<String, String> query) {
            Map<String, String> all = cursorQuery(last);
            all.putAll(query);
            return HttpLinks.withQuery(base, all);
        }

        /** {@code link}, if it points to the same scheme, host and port: the credentials go wherever it points. */
        @Override
        public URI follow(HttpPageClient.Page answer, String link) {
            URI target = answer.uri().resolve(link);
            if (target.getScheme() == null || target.getHost() == null || !target.getScheme().equalsIgnoreCase(base.getScheme())
                    || !target.getHost().equalsIgnoreCase(base.getHost())
                    || port(target) != port(base)) {
                throw failure(answer, "the next link points to another server (" + HttpTexts.shown(target)
                        + "); it is not followed with the credentials");
            }
            return target;
        }

        private static int port(URI uri) {
            return uri.getPort() >= 0 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        }

        @Override
        public String bodyValue(HttpPageClient.Page answer, SourcePath path) {
            try {
                JsonNode tree = JsonRows.MAPPER.readTree(answer.body());
                return tree == null ? null : path.value(tree);
            } catch (IOException e) {
                return null; // the records were read from it, so this does not happen
            }
        }

        @Override
        public HttpSourceException failure(HttpPageClient.Page answer, String why) {
            return new HttpSourceException("source " + source + ": GET " + HttpTexts.shown(answer.uri()) + ": " + why);
        }
    }


    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }
}
