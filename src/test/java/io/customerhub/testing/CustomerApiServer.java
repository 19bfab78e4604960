package io.customerhub.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer API in the manner of json-server on a real JDK HTTP server (ephemeral port), whose
 * clock runs {@code skew} away from the hub's: every record it stores is stamped {@code updated_at}
 * by that clock (UTC, milliseconds, strictly increasing), whether the change came from its own
 * users ({@link #edit}) or from a request.
 * <ul>
 *   <li>{@code GET /api/customers?updated_since=..&page=..&size=..}: records with
 *       {@code updated_at >= updated_since}, ordered by (updated_at, id), under {@code data}; each
 *       each of the first {@code slowPages} pages asked for takes {@code pageDelay} (a slow API, or a
 *       slow first read);</li>
 *   <li>{@code GET /api/customers/<id>}: one record (404 when unknown);</li>
 *   <li>{@code POST /api/customers}: creates the body's {@code id} (201; 409 when it exists);</li>
 *   <li>{@code PUT} replaces, {@code PATCH} merges into, {@code /api/customers/<id>} (200; 404 when unknown;
 *       412 when its {@code If-Match} is not the record's ETag, which a GET of it answers with).</li>
 * </ul>
 * 401 without the bearer token {@link #TOKEN}. Records have the shape
 * {@code {"id", "name", "contact": {"email", "mobile"}, "address": {"city"}, "updated_at"}}.
 */
public final class CustomerApiServer implements AutoCloseable {

    public static final String TOKEN = "convergence-api-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A write request as the server applied it: when, method, record id, and the record after it. */
    public record Write(Instant at, String method, String id, Map<CustomerField, String> after) {
    }

    private final Map<String, Map<String, Object>> records = new LinkedHashMap<>();
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private final AtomicInteger pageGets = new AtomicInteger();
    private final AtomicInteger firstPageGets = new AtomicInteger();
    private final AtomicInteger preconditionsFailed = new AtomicInteger();
    private final Clock clock;
    private final Duration pageDelay;
    private final AtomicInteger slowPages;
    private final HttpServer server;
    private Instant lastStamp = Instant.EPOCH;

    /**
     * @param skew      how far this API's clock is from the hub's (positive: ahead)
     * @param pageDelay how long each of the first {@code slowPages} GET requests takes
     */
    public CustomerApiServer(Duration skew, Duration pageDelay, int slowPages) throws IOException {
        this.clock = Clock.offset(Clock.systemUTC(), skew);
        this.pageDelay = pageDelay;
        this.slowPages = new AtomicInteger(slowPages);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/customers", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/customers";
    }

    /** Adds a record of the API's own, as its users created it. */
    public synchronized void add(String id, Map<CustomerField, String> values) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", id);
        values.forEach((field, value) -> put(record, field, value));
        record.put("updated_at", stamp());
        records.put(id, record);
    }

    /** A user of the API changes one field of a record; returns the value it held before. */
    public synchronized String edit(String id, CustomerField field, String value) {
        Map<String, Object> record = records.get(id);
        if (record == null) {
            throw new IllegalArgumentException("no API record " + id);
        }
        String before = get(record, field);
        put(record, field, value);
        record.put("updated_at", stamp());
        return before;
    }

    /** The records by id, as canonical values. */
    public synchronized Map<String, Map<CustomerField, String>> records() {
        Map<String, Map<CustomerField, String>> all = new LinkedHashMap<>();
        records.forEach((id, record) -> all.put(id, values(record)));
        return all;
    }

    /** Every write request applied so far (POST, PUT, PATCH), in order. */
    public List<Write> writes() {
        return List.copyOf(writes);
    }

    /** GET requests answered so far. */
    public int pageGets() {
        return pageGets.get();
    }

    /** GET requests for a first page: one per poll of the hub. */
    public int firstPageGets() {
        return firstPageGets.get();
    }

    private static Map<CustomerField, String> values(Map<String, Object> record) {
        Map<CustomerField, String> values = new LinkedHashMap<>();
        for (CustomerField field : CustomerField.values()) {
            values.put(field, get(record, field));
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    private static String get(Map<String, Object> record, CustomerField field) {
        String[] path = field.apiPath().split("\\.");
        Object node = record;
        for (String step : path) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = ((Map<String, Object>) map).get(step);
        }
        return node == null ? null : node.toString();
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> record, CustomerField field, String value) {
        String[] path = field.apiPath().split("\\.");
        Map<String, Object> node = record;
        for (int i = 0; i < path.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
        }
        node.put(path[path.length - 1], value);
    }

    private String stamp() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp.toString();
    }

    @SuppressWarnings("unchecked")
    private void answer(HttpExchange exchange) throws IOException {
        try {
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"unauthorized\"}");
                return;
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (method.equals("GET") && path.equals("/api/customers")) {
                if (slowPages.getAndDecrement() > 0) {
                    Thread.sleep(pageDelay.toMillis());
                }
                send(exchange, 200, list(exchange.getRequestURI().getRawQuery()));
                return;
            }
            if (method.equals("GET") && path.startsWith("/api/customers/")) {
                String id = URLDecoder.decode(path.substring("/api/customers/".length()), StandardCharsets.UTF_8);
                String reply;
                synchronized (this) {
                    Map<String, Object> record = records.get(id);
                    reply = record == null ? null : JSON.writeValueAsString(record);
                    if (record != null) {
                        exchange.getResponseHeaders().add("ETag", etag(record));
                    }
                }
                send(exchange, reply == null ? 404 : 200, reply == null ? "{\"error\":\"no such customer\"}" : reply);
                return;
            }
            Map<String, Object> body = JSON.readValue(exchange.getRequestBody().readAllBytes(), Map.class);
            boolean create = method.equals("POST") && path.equals("/api/customers");
            boolean update = (method.equals("PUT") || method.equals("PATCH")) && path.startsWith("/api/customers/");
            if (!create && !update) {
                send(exchange, 405, "{}");
                return;
            }
            String id = create ? String.valueOf(body.get("id"))
                    : URLDecoder.decode(path.substring("/api/customers/".length()), StandardCharsets.UTF_8);
            String reply;
            synchronized (this) {
                Map<String, Object> record = records.get(id);
                if (create && record != null) {
                    send(exchange, 409, "{\"error\":\"exists\"}");
                    return;
                }
                if (update && record == null) {
                    send(exchange, 404, "{\"error\":\"no such customer\"}");
                    return;
                }
                String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
                if (update && ifMatch != null && !ifMatch.equals(etag(record))) {
                    preconditionsFailed.incrementAndGet();
                    send(exchange, 412, "{\"error\":\"changed since\"}");
                    return;
                }
                if (method.equals("PATCH")) {
                    merge(record, body);
                } else {
                    record = new LinkedHashMap<>(body);
                }
                record.put("id", id);
                record.put("updated_at", stamp());
                records.put(id, record);
                writes.add(new Write(Instant.now(), method, id, Map.copyOf(nonNull(values(record)))));
                reply = JSON.writeValueAsString(record);
            }
            send(exchange, create ? 201 : 200, reply);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(exchange, 503, "{}");
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    /** A record's version as its ETag: its updated_at, which every change sets anew. */
    private static String etag(Map<String, Object> record) {
        return "\"" + record.get("updated_at") + "\"";
    }

    /** Updates refused because their If-Match named an older version of the record. */
    public int preconditionsFailed() {
        return preconditionsFailed.get();
    }

    private static Map<CustomerField, String> nonNull(Map<CustomerField, String> values) {
        Map<CustomerField, String> present = new LinkedHashMap<>();
        values.forEach((field, value) -> {
            if (value != null) {
                present.put(field, value);
            }
        });
        return present;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<String, Object> into, Map<String, Object> patch) {
        patch.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested && into.get(key) instanceof Map<?, ?> existing) {
                merge((Map<String, Object>) existing, (Map<String, Object>) nested);
            } else {
                into.put(key, value);
            }
        });
    }

    private synchronized String list(String rawQuery) throws IOException {
        Map<String, String> query = new HashMap<>();
        for (String pair : (rawQuery == null ? "" : rawQuery).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        String since = query.get("updated_since");
        int size = Integer.parseInt(query.getOrDefault("size", "100"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        pageGets.incrementAndGet();
        if (page == 1) {
            firstPageGets.incrementAndGet();
        }
        List<Map<String, Object>> matching = records.values().stream()
                .filter(r -> since == null || Instant.parse((String) r.get("updated_at")).compareTo(Instant.parse(since)) >= 0)
                .sorted(Comparator.comparing((Map<String, Object> r) -> Instant.parse((String) r.get("updated_at")))
                        .thenComparing(r -> (String) r.get("id")))
                .toList();
        int from = Math.min(matching.size(), (page - 1) * size);
        return JSON.writeValueAsString(Map.of("data", matching.subList(from, Math.min(matching.size(), from + size))));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
