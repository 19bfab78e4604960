package io.customerhub.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A stand-in for a sales system's customer API on a real JDK HTTP server (ephemeral port): it
 * serves its customers ordered by (updated_at, id) from {@code /customers} (JSON) and
 * {@code /customers.xml}, filtered by {@code updated_since} (and strictly after
 * {@code (updated_since, after_key)} when a key is sent), paged by {@code page}/{@code size},
 * {@code offset}/{@code limit}, {@code page_token}/{@code limit} or a bare {@code limit}, with the
 * next page also as {@code next_token}, {@code links.next} and a {@code Link} header. It answers
 * 401 without the bearer token and plays the scripted faults ({@code 500}, {@code 503}, {@code 429} with
 * {@code Retry-After: 1}, {@code reset}, {@code slow}: no answer until the client has given up and asked again,
 * seen with status 0; {@code ok} for none), one per request.
 */
final class SalesApi implements AutoCloseable {

    static final String TOKEN = "s3cret-token";

    record Customer(String id, String name, String email, String updatedAt) {
    }

    /** A request as the server saw it. */
    record Seen(Instant at, String query, int status) {
    }

    final List<Customer> customers = new CopyOnWriteArrayList<>();
    final Deque<String> faults = new ConcurrentLinkedDeque<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Released by the next request: a request held for a {@code slow} fault waits for it. */
    private volatile CountDownLatch nextRequest = new CountDownLatch(0);
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    /** How often each customer was served in a 200 answer. */
    final Map<String, Integer> served = new ConcurrentHashMap<>();
    private final HttpServer server;

    SalesApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/customers", this::answer);
        // a page whose next link points elsewhere, where the credentials must not go
        server.createContext("/elsewhere", exchange -> send(exchange, 200, "application/json",
                "{\"data\":[{\"id\":\"X1\",\"name\":\"X\"}],\"next\":\"http://attacker.example.com/steal\"}"));
        // a request held for {@code slow} is answered only once the next one has arrived: two threads
        server.setExecutor(threads);
        server.start();
    }

    /** {@code count} customers C001, C002, ...; those from {@code sharedFrom} to {@code sharedTo} (1-based) share one updated_at. */
    static SalesApi withCustomers(int count, int sharedFrom, int sharedTo) throws IOException {
        SalesApi api = new SalesApi();
        for (int i = 1; i <= count; i++) {
            int minute = i < sharedFrom ? i : i <= sharedTo ? sharedFrom : i;
            api.customers.add(new Customer(String.format("C%03d", i), "Sales Person " + letters(i),
                    "person" + i + "@example.com", String.format("2026-11-30T08:%02d:00Z", minute)));
        }
        return api;
    }

    private static String letters(int i) {
        return "" + (char) ('A' + (i / 26) % 26) + (char) ('A' + i % 26);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Seen> seen(int status) {
        return seen.stream().filter(s -> s.status() == status).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        nextRequest.countDown();
        String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
        Instant at = Instant.now();
        // no keep-alive: a connection closed by a fault is then never one the client expected to reuse
        exchange.getResponseHeaders().add("Connection", "close");
        if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            seen.add(new Seen(at, query, 401));
            send(exchange, 401, "application/json", "{\"error\":\"invalid token\"}");
            return;
        }
        String fault = faults.poll();
        if ("reset".equals(fault)) {
            seen.add(new Seen(at, query, -1));
            // the connection breaks in the middle of the body: a connection closed before any
            // answer would be retried once inside the JDK client, unseen by the hub
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 10_000);
            exchange.getResponseBody().write("{\"data\":[".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            // a handler that throws makes the JDK server drop the connection at once
            throw new IllegalStateException("scripted connection reset");
        }
        if ("500".equals(fault) || "503".equals(fault)) {
            int status = Integer.parseInt(fault);
            seen.add(new Seen(at, query, status));
            send(exchange, status, "text/plain", status == 500 ? "internal error" : "maintenance");
            return;
        }
        if ("slow".equals(fault)) {
            seen.add(new Seen(at, query, 0));
            CountDownLatch retried = new CountDownLatch(1);
            nextRequest = retried;
            try {
                // held until the client gave up waiting and asked again; the late answer goes nowhere
                retried.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        if ("429".equals(fault)) {
            seen.add(new Seen(at, query, 429));
            exchange.getResponseHeaders().add("Retry-After", "1");
            send(exchange, 429, "text/plain", "slow down");
            return;
        }
        seen.add(new Seen(at, query, 200));
        Map<String, String> q = parse(query);
        List<Customer> matching = matching(q);
        int from;
        int size;
        if (q.containsKey("page")) {
            size = Integer.parseInt(q.get("size"));
            from = (Integer.parseInt(q.get("page")) - 1) * size;
        } else if (q.containsKey("offset")) {
            from = Integer.parseInt(q.get("offset"));
            size = Integer.parseInt(q.get("limit"));
        } else if (q.containsKey("page_token")) {
            from = Integer.parseInt(q.get("page_token").substring(1));
            size = Integer.parseInt(q.get("limit"));
        } else {
            from = 0;
            size = q.containsKey("limit") ? Integer.parseInt(q.get("limit")) : 10;
        }
        int to = Math.min(matching.size(), from + size);
        List<Customer> page = from >= matching.size() ? List.of() : matching.subList(from, to);
        page.forEach(c -> served.merge(c.id(), 1, Integer::sum));
        String next = null;
        if (to < matching.size()) {
            Map<String, String> nextQuery = new LinkedHashMap<>(q);
            nextQuery.keySet().removeAll(List.of("page", "size", "page_token"));
            nextQuery.put("offset", Integer.toString(to));
            nextQuery.put("limit", Integer.toString(size));
            next = exchange.getRequestURI().getPath() + "?" + nextQuery.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
            exchange.getResponseHeaders().add("Link", "<" + next + ">; rel=\"next\", </customers>; rel=\"first\"");
        }
        if (exchange.getRequestURI().getPath().endsWith(".xml")) {
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response><customers>");
            for (Customer c : page) {
                xml.append("<customer id=\"").append(c.id()).append("\"><name>").append(c.name()).append("</name><email>")
                        .append(c.email()).append("</email><updated>").append(c.updatedAt()).append("</updated></customer>\n");
            }
            send(exchange, 200, "application/xml", xml.append("</customers></response>").toString());
            return;
        }
        StringBuilder json = new StringBuilder("{\"data\":[");
        for (Customer c : page) {
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ",")
                    .append("{\"id\":\"").append(c.id()).append("\",\"name\":\"").append(c.name())
                    .append("\",\"contact\":{\"email\":\"").append(c.email()).append("\"},\"updated_at\":\"").append(c.updatedAt()).append("\"}");
        }
        json.append("]");
        if (next != null) {
            json.append(",\"next_token\":\"o").append(to).append("\",\"links\":{\"next\":\"").append(next).append("\"}");
        }
        send(exchange, 200, "application/json; charset=utf-8", json.append("}").toString());
    }

    private List<Customer> matching(Map<String, String> q) {
        String since = q.get("updated_since");
        String after = q.get("after_key");
        return customers.stream()
                .filter(c -> since == null
                        || (after == null ? c.updatedAt().compareTo(since) >= 0
                        : c.updatedAt().compareTo(since) > 0 || c.updatedAt().equals(since) && c.id().compareTo(after) > 0))
                .sorted(Comparator.comparing(Customer::updatedAt).thenComparing(Customer::id))
                .toList();
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                parameters.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The query of a request as the server parsed it. */
    static Map<String, String> query(Seen request) {
        return parse(request.query());
    }

    @Override
    public void close() {
        nextRequest.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
