package io.customerhub.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a sales system's customer API on a real JDK HTTP server (ephemeral port): it
 * takes creates at {@code POST /api/customers} (201) and updates at
 * {@code PUT|PATCH|DELETE /api/customers/<key>} (200), answers 401 without the bearer token, records
 * every request, and plays scripted answers first, one per request other than a GET. A GET lists no customers.
 */
final class SalesTarget implements AutoCloseable {

    static final String TOKEN = "sync-s3cret";

    /** A request as the server saw it. */
    record Seen(Instant at, String method, String rawPath, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }
    }

    /** A scripted answer. */
    record Answer(int status, String body, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, "", Map.of());
        }

        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    /** Records a GET of their path (raw) answers with, e.g. the state a conditional write reads first. */
    final Map<String, String> records = new java.util.concurrent.ConcurrentHashMap<>();
    /** The ETag a GET of a path (raw) answers with, where it has one. */
    final Map<String, String> etags = new java.util.concurrent.ConcurrentHashMap<>();
    private final HttpServer server;

    SalesTarget() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/customers", this::answer);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach(headers::put);
        seen.add(new Seen(Instant.now(), exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers, body));
        Answer scripted = exchange.getRequestMethod().equals("GET") ? null : script.pollFirst();
        Answer answer;
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer = Answer.of(401, "{\"error\":\"unauthorized\"}");
        } else if (exchange.getRequestMethod().equals("GET")) {
            String record = records.get(exchange.getRequestURI().getRawPath());
            // else the ingest route of the same system polling it
            String etag = etags.get(exchange.getRequestURI().getRawPath());
            answer = new Answer(200, record != null ? record : "{\"data\":[]}", etag == null ? Map.of() : Map.of("ETag", etag));
        } else if (scripted != null) {
            answer = scripted;
        } else {
            answer = Answer.of(exchange.getRequestMethod().equals("POST") ? 201 : 200, "{\"ok\":true}");
        }
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
