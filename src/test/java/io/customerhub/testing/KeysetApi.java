package io.customerhub.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A customer API on a real HTTP server over a fixed list of flat records, as {@code http-source} reads one with
 * {@code cursor: composite} and {@code paging: keyset}: {@code GET /customers?updated_since=T&after_key=K&limit=N}
 * answers {@code {"data": [...]}} with at most N records in ({@code updated_at}, {@code id}) order, those strictly
 * after (T, K), or from T on when no key is sent (a poll's overlap), or from the start without a cursor.
 * Timestamps are ISO-8601 instants of one width, so their text sorts as their time does.
 */
public final class KeysetApi implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Map<String, String>> CURSOR_ORDER = Comparator
            .comparing((Map<String, String> record) -> record.get("updated_at")).thenComparing(record -> record.get("id"));

    private final HttpServer server;
    private final List<Map<String, String>> records;

    /** Serves {@code records} (each with {@code id} and {@code updated_at}) on a free port of 127.0.0.1. */
    public KeysetApi(List<Map<String, String>> records) throws IOException {
        this.records = records.stream().sorted(CURSOR_ORDER).toList();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/customers", this::answer);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** The URL of the records. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/customers";
    }

    private void answer(HttpExchange exchange) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String since = query.get("updated_since");
        String afterKey = query.get("after_key");
        int limit = Integer.parseInt(query.getOrDefault("limit", "100"));
        Map<String, String> after = afterKey == null ? null : Map.of("updated_at", since, "id", afterKey);
        List<Map<String, String>> page = records.stream()
                .filter(record -> since == null || (after == null ? record.get("updated_at").compareTo(since) >= 0
                        : CURSOR_ORDER.compare(record, after) > 0))
                .limit(limit).toList();
        byte[] body = JSON.writeValueAsBytes(Map.of("data", page));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int equals = pair.indexOf('=');
                query.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
