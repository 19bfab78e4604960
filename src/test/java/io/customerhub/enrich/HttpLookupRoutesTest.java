package io.customerhub.enrich;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real routes (file source, pipeline, the http-lookup template instantiated by a file under
 * routes/lookups/) and H2 store, against a real HTTP server on an ephemeral port: what the
 * lookups leave in customer_source when the service answers, fails, is slow or is down.
 */
class HttpLookupRoutesTest {

    private static final String HEADER = "客户编号,姓名,性别,出生日期,手机,电话,邮箱,省份,城市,区县,地址,邮编,公司,身份证号,更新时间\n";
    private static final String GOLD = "+8613800000001";
    private static final String BROKEN = "+8613800000002";
    private static final String SLOW = "+8613800000003";
    private static final String UNKNOWN = "+8613800000004";

    @TempDir
    Path dir;

    HubHome home;
    RunningHub hub;
    HttpServer server;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final Queue<String> authorizations = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void startService() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/segments", this::answer);
        server.start();
        home = HubHome.copyOfProject(dir);
    }

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        server.stop(0);
    }

    @Test
    void answersAreStoredAndFailuresLeaveRecordsStoredAsNotEnriched() {
        declareLookup(port(), "1500", "5000");
        hub = RunningHub.start(home, Map.of());
        dropCrm("day1.csv", row("K1", GOLD), row("K2", BROKEN), row("K3", SLOW), row("K4", UNKNOWN), row("K5", ""),
                row("K6", GOLD));
        awaitDone(1);

        assertThat(enrichment("K1")).containsEntry("enrichment_status", "ENRICHED")
                .containsEntry("enrichment_values", "{\"segment\":\"gold\",\"creditLimit\":\"5000\"}")
                .containsEntry("enrichment_reason", null);
        assertThat(enrichment("K6")).containsEntry("enrichment_status", "ENRICHED");
        assertThat(enrichment("K2")).containsEntry("enrichment_status", "NOT_ENRICHED")
                .containsEntry("enrichment_reason", "segment: HTTP 500").containsEntry("enrichment_values", null);
        assertThat(enrichment("K3")).containsEntry("enrichment_status", "NOT_ENRICHED")
                .containsEntry("enrichment_reason", "segment: timeout");
        assertThat(enrichment("K4")).containsEntry("enrichment_status", "NOT_ENRICHED")
                .containsEntry("enrichment_reason", "segment: not found");
        assertThat(enrichment("K5")).containsEntry("enrichment_status", "SKIPPED")
                .containsEntry("enrichment_reason", "segment: no phone");
        // the key went URL-encoded and came back intact; two records with one phone made one request
        assertThat(requests.get(GOLD)).hasValue(1);
        assertThat(authorizations).isNotEmpty().allMatch("Bearer test-token"::equals);
        assertThat(hub.query("SELECT COUNT(*) AS n FROM customer_source").get(0).get("n")).isEqualTo(6L);
        assertThat(hub.camel().getRoute("segment-lookup").getDescription()).isNotBlank();

        MeterRegistry meters = hub.camel().getRegistry().findSingleByType(MeterRegistry.class);
        assertThat(meters.get("hub.lookup.records").tags("lookup", "segment", "outcome", "found").counter().count())
                .isEqualTo(2.0);
        assertThat(meters.get("hub.lookup.calls").tags("lookup", "segment", "outcome", "timeout").counter().count())
                .isEqualTo(1.0);
    }

    @Test
    void cachedAnswerIsNotAskedForAgain() {
        declareLookup(port(), "2000", "5000");
        hub = RunningHub.start(home, Map.of());
        dropCrm("day1.csv", row("K1", GOLD), row("K4", UNKNOWN));
        awaitDone(1);
        dropCrm("day2.csv", row("K7", GOLD), row("K8", UNKNOWN));
        awaitDone(2);

        assertThat(enrichment("K7")).containsEntry("enrichment_status", "ENRICHED")
                .containsEntry("enrichment_values", "{\"segment\":\"gold\",\"creditLimit\":\"5000\"}");
        assertThat(enrichment("K8")).containsEntry("enrichment_reason", "segment: not found");
        assertThat(requests.get(GOLD)).hasValue(1);
        assertThat(requests.get(UNKNOWN)).hasValue(1);
    }

    @Test
    void serviceDownLeavesRecordsStoredAsNotEnriched() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        declareLookup(closed, "300", "5000");
        hub = RunningHub.start(home, Map.of());
        dropCrm("day1.csv", row("K1", GOLD));
        awaitDone(1);

        assertThat(enrichment("K1")).containsEntry("enrichment_status", "NOT_ENRICHED")
                .containsEntry("enrichment_reason", "segment: unreachable (HttpHostConnectException)");
        assertThat(hub.query("SELECT full_name, phone FROM customer_source WHERE source_key = ?", "K1"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("phone", GOLD));
    }

    @Test
    void aSlowServiceCostsABatchNoMoreThanItsBudget() {
        declareLookup(port(), "10000", "600");
        hub = RunningHub.start(home, Map.of());
        long start = System.nanoTime();
        dropCrm("day1.csv", row("K3", SLOW), row("K1", GOLD));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> hub.query("SELECT source_key FROM customer_source").size() == 2);

        // stored without waiting for the slow answer (which still comes, and is cached for the next batch)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(SLOW_MILLIS));
        assertThat(enrichment("K3")).containsEntry("enrichment_status", "NOT_ENRICHED")
                .containsEntry("enrichment_reason", "segment: timeout: batch budget of 600 ms spent");
        assertThat(enrichment("K1")).containsEntry("enrichment_status", "ENRICHED");
    }

    @Test
    void withoutADeclaredLookupNothingIsLookedUp() {
        hub = RunningHub.start(home, Map.of());
        dropCrm("day1.csv", row("K1", GOLD));
        awaitDone(1);

        assertThat(enrichment("K1")).containsEntry("enrichment_status", null).containsEntry("enrichment_values", null);
        assertThat(requests).isEmpty();
    }

    @Test
    void credentialsInDeclaredLookupsComeFromTheEnvironment() throws IOException {
        Path routes = Path.of("routes");
        List<Path> files;
        try (var walk = Files.walk(routes)) {
            files = walk.filter(f -> f.toString().endsWith(".camel.yaml")).toList();
        }
        Pattern literal = Pattern.compile("- name: auth-value\\s+value: (?!\"?[^\"\\n]*\\{\\{env:)(?!\"?-\"?\\s)");
        for (Path file : files) {
            assertThat(literal.matcher(Files.readString(file)).find())
                    .as("%s: auth-value must be {{env:NAME}}, never a literal", file).isFalse();
        }
        assertThat(literal.matcher("- name: auth-value\n  value: \"Bearer s3cret\"\n").find()).isTrue();
        assertThat(literal.matcher("- name: auth-value\n  value: \"Bearer {{env:SEGMENT_TOKEN}}\"\n").find()).isFalse();
    }

    private static final long SLOW_MILLIS = 4000;

    /** The segment service: one behaviour per phone number. */
    private void answer(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String phone = URLDecoder.decode(query.substring(query.indexOf('=') + 1), StandardCharsets.UTF_8);
        requests.computeIfAbsent(phone, p -> new AtomicInteger()).incrementAndGet();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "none" : authorization);
        try (exchange) {
            switch (phone) {
                case GOLD -> respond(exchange, 200, "{\"segment\":\"gold\",\"limits\":{\"credit\":5000},\"since\":2019}");
                case BROKEN -> respond(exchange, 500, "{\"error\":\"database down\"}");
                case SLOW -> {
                    try {
                        Thread.sleep(SLOW_MILLIS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    respond(exchange, 200, "{\"segment\":\"silver\"}");
                }
                default -> respond(exchange, 404, "{\"error\":\"unknown\"}");
            }
        } catch (IOException clientGone) {
            // the hub gave up waiting
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    /** What an integrator writes: routes/lookups/segment.camel.yaml. */
    private void declareLookup(int port, String readTimeout, String batchTimeout) {
        try {
            Path lookups = Files.createDirectories(home.root().resolve("routes/lookups"));
            Files.writeString(lookups.resolve("segment.camel.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: http-lookup
                        routeId: segment-lookup
                        parameters:
                          - name: name
                            value: segment
                          - name: url
                            value: "http://127.0.0.1:%d/v1/segments?phone={phone}"
                          - name: fields
                            value: |
                              segment: segment
                              creditLimit: limits.credit
                          - name: connect-timeout
                            value: "500"
                          - name: read-timeout
                            value: "%s"
                          - name: batch-timeout
                            value: "%s"
                          - name: auth-header
                            value: Authorization
                          - name: auth-value
                            value: "Bearer {{env:HUB_TEST_SEGMENT_TOKEN:test-token}}"
                    """.formatted(port, readTimeout, batchTimeout));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String row(String key, String phone) {
        String mobile = phone.isEmpty() ? "" : phone.substring(3);
        return key + ",客户" + key + ",男,1980-01-01," + mobile + ",,,,,,,,,,\n";
    }

    private void dropCrm(String name, String... rows) {
        home.drop("crm", name, (HEADER + String.join("", rows)).getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> enrichment(String key) {
        List<Map<String, Object>> rows = hub.query("SELECT enrichment_status, enrichment_reason, enrichment_values"
                + " FROM customer_source WHERE source = ? AND source_key = ?", "crm", key);
        assertThat(rows).as("customer_source row crm/%s", key).hasSize(1);
        return rows.get(0);
    }

    private void awaitDone(int files) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> home.files("done", "crm").size() >= files && hub.camel().getInflightRepository().size() == 0);
    }
}
