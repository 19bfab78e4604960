package io.customerhub.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.testing.FreePort;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.HubProcess;
import io.customerhub.testing.ScratchDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hub MBean driven as operators drive it, beside the packaged daemon running: over remote JMX, over HTTP
 * (Jolokia on the management server) and from the command line. The store is on PostgreSQL, so that the test reads
 * what each operation did while the daemon runs.
 */
class OperationsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SIGNATURE_STRING = {String.class.getName()};

    @TempDir
    Path dir;

    @Test
    void everyOperationRunsOverJmxOverHttpAndFromTheCommandLineWhileTheDaemonRuns() throws Exception {
        try (ScratchDatabase server = ScratchDatabase.open("PostgreSQL", dir, "hub operations", "unused", "unused_")) {
            String store = "ops_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            server.execute("CREATE DATABASE " + store);
            try {
                run(HubHome.copyOfProject(dir.resolve("home"))
                        .withStore(server.url.substring(0, server.url.lastIndexOf('/') + 1) + store, server.user));
            } finally {
                server.execute("DROP DATABASE IF EXISTS " + store + " WITH (FORCE)");
            }
        }
    }

    private void run(HubHome home) throws Exception {
        home.dropSample("crm", "customers-20261125.csv");
        home.dropSample("shop", "customers-api-dump.json");
        int jmxPort = FreePort.next();
        Map<String, String> environment = Map.of("HUB_MANAGEMENT_PORT", Integer.toString(FreePort.next()));
        List<String> options = new ArrayList<>(home.storeOptions());
        options.addAll(List.of("-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=127.0.0.1"));
        try (HubProcess hub = HubProcess.start(home, environment, options);
             JMXConnector connector = await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> JMXConnectorFactory.connect(
                     new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi")), c -> true)) {
            MBeanServerConnection jmx = connector.getMBeanServerConnection();
            ObjectName control = new ObjectName(HubControl.OBJECT_NAME);
            // both files stored: 6 CRM records and 4 of the shop, C1006 quarantined, Michael Chen in both
            await().atMost(Duration.ofMinutes(2)).ignoreExceptions().until(() -> count(home, "SELECT COUNT(*) AS n FROM customer_source") == 10
                    && (Long) jmx.getAttribute(control, "OpenQuarantine") == 1);

            // over JMX: the attributes, the status, pause and resume
            assertThat((Long) jmx.getAttribute(control, "GoldenRecords"))
                    .isEqualTo(count(home, "SELECT COUNT(*) AS n FROM customer WHERE status = 'ACTIVE'")).isEqualTo(9);
            JsonNode status = JSON.readTree((String) jmx.getAttribute(control, "Status"));
            JsonNode crm = source(status, "crm");
            assertThat(crm.path("ingest").asText()).isEqualTo("Started");
            assertThat(crm.path("records").path("created").asInt()).isEqualTo(6);
            assertThat(crm.path("records").path("quarantined").asInt()).isEqualTo(1);
            assertThat(crm.path("openQuarantine").asInt()).isEqualTo(1);
            assertThat(crm.path("lastSuccess").asText()).isNotBlank();
            assertThat(status.path("quarantineByRule").fieldNames()).toIterable().isNotEmpty();

            assertThat(jmx.invoke(control, "pause", new Object[] {"crm"}, SIGNATURE_STRING)).asString().contains("crm-ingest suspended");
            ObjectName crmRoute = new ObjectName("org.apache.camel:context=customer-hub,type=routes,name=\"crm-ingest\"");
            assertThat(jmx.getAttribute(crmRoute, "State")).isEqualTo("Suspended");
            assertThat(source(JSON.readTree((String) jmx.getAttribute(control, "Status")), "crm").path("ingest").asText())
                    .isEqualTo("Suspended");
            assertThat(jmx.invoke(control, "resume", new Object[] {"crm"}, SIGNATURE_STRING)).asString().contains("running");
            assertThat(jmx.getAttribute(crmRoute, "State")).isEqualTo("Started");
            assertThatThrownBy(() -> jmx.invoke(control, "pause", new Object[] {"nosuch"}, SIGNATURE_STRING))
                    .hasStackTraceContaining("no source named nosuch; the sources are crm, oa, shop");

            // over HTTP, as Hawtio and curl call it: a quarantined record fixed by a data steward, replayed
            long quarantined = count(home, "SELECT id AS n FROM quarantine WHERE source_key = 'C1006'");
            home.update("UPDATE quarantine SET mapped_values = ? WHERE id = ?", "{\"sourceKey\":\"C1006\",\"fullName\":\"钱红\","
                    + "\"gender\":\"女\",\"birthDate\":\"1995-02-28\",\"phone\":\"13700000000\",\"city\":\"武汉\"}", quarantined);
            URI jolokia = URI.create("http://127.0.0.1:" + environment.get("HUB_MANAGEMENT_PORT") + "/observe/jolokia");
            assertThat(value(jolokia(jolokia, null, "exec", "replayQuarantineEntry", quarantined)))
                    .contains("replayed 1 quarantined record(s): 1 stored (1 created");
            assertThat(value(jolokia(jolokia, null, "read", "OpenQuarantine"))).isEqualTo("0");
            assertThat(value(jolokia(jolokia, null, "exec", "reread", "crm"))).contains("crm has no watermark");
            assertThat(jolokia(jolokia, null, "exec", "pause", "nosuch").path("error").asText()).contains("no source named nosuch");
            assertThat(jolokia(jolokia, null, "exec", "explain", "no-such-id").path("error").asText()).contains("no-such-id");
            assertThat(jolokia(jolokia, "http://attacker.example", "exec", "pause", "crm").path("status").asInt())
                    .as("a page from another origin").isNotEqualTo(200);
            assertThat(jmx.getAttribute(crmRoute, "State")).isEqualTo("Started");

            // from the command line: results alone on stdout, the daemon's work
            HubProcess.Result printed = HubProcess.run(home, environment, "status");
            assertThat(printed.exitCode()).as(printed.stderr()).isZero();
            assertThat(JSON.readTree(printed.stdout()).path("goldenRecords").asLong()).isEqualTo(10);
            String golden = (String) home.query("SELECT customer_id FROM customer_source WHERE source = 'shop' AND source_key = '502'")
                    .get(0).get("customer_id");
            HubProcess.Result explain = HubProcess.run(home, environment, "explain", golden);
            assertThat(explain.exitCode()).as(explain.stderr()).isZero();
            assertThat(JSON.readTree(explain.stdout()).path("customer").path("lineage").isMissingNode()).as(explain.stdout()).isFalse();
            HubProcess.Result unmerge = HubProcess.run(home, environment, "unmerge", "--source", "shop", "--key", "502");
            assertThat(unmerge.stdout()).as(unmerge.stderr()).startsWith("unmerged into ");
            String split = unmerge.stdout().strip().substring("unmerged into ".length());
            assertThat(HubProcess.run(home, environment, "merge", split, golden).stdout()).contains("merged into " + golden);
            HubProcess.Result review = HubProcess.run(home, environment, "review", "accept", "999999");
            assertThat(review.exitCode()).isEqualTo(1);
            assertThat(review.stderr()).contains("999999");
            assertThat(HubProcess.run(home, environment, "sync-retry", "crm").stdout()).contains("crm: 0 dead change(s) put back");
            assertThat(HubProcess.run(home, environment, "pause", "shop").stdout()).contains("shop-ingest suspended");
            assertThat(jmx.getAttribute(new ObjectName("org.apache.camel:context=customer-hub,type=routes,name=\"shop-ingest\""),
                    "State")).isEqualTo("Suspended");
            HubProcess.Result elsewhere = HubProcess.run(HubHome.copyOfProject(dir.resolve("other")), environment, "status");
            assertThat(elsewhere.exitCode()).isEqualTo(1);
            assertThat(elsewhere.stderr()).contains("runs from " + home.root());

            // every operation, over JMX and over HTTP alike: what it says, or the error it gives
            String split2 = HubProcess.run(home, environment, "unmerge", "--source", "shop", "--key", "502").stdout().strip()
                    .substring("unmerged into ".length());
            Object[][] operations = {
                    {"resume", new Object[] {"shop"}, "shop resumed: shop-ingest running"},
                    {"pause", new Object[] {"oa"}, "oa paused: oa-ingest suspended"},
                    {"resume", new Object[] {"oa"}, "oa resumed: oa-ingest running"},
                    {"reread", new Object[] {"shop"}, "shop has no watermark"},
                    {"reload", new Object[] {}, "routes/sources unchanged"},
                    {"replayQuarantine", new Object[] {""}, "replayed 0 quarantined record(s)"},
                    {"replayQuarantineEntry", new Object[] {999_999L}, "no open quarantine entry 999999"},
                    {"explain", new Object[] {golden}, "\"lineage\""},
                    {"merge", new Object[] {golden, "no-such-golden"}, "no-such-golden"},
                    {"unmerge", new Object[] {"no-such-golden"}, "no-such-golden"},
                    {"unmergeRecord", new Object[] {"shop", "no-such-key"}, "no source record shop/no-such-key"},
                    {"review", new Object[] {999_999L, true}, "no match review 999999"},
                    {"settle", new Object[] {999_999L, "owner"}, "no sync_conflict 999999"},
                    {"settle", new Object[] {1L, "neither"}, "owner or other, not neither"},
                    {"reexport", new Object[] {"crm"}, "no sync target named crm"},
                    {"retryDead", new Object[] {"shop"}, "shop: 0 dead change(s) put back for delivery"},
                    {"estimateWeights", new Object[] {}, "weights learned from"},
            };
            for (Object[] operation : operations) {
                String name = (String) operation[0];
                Object[] arguments = (Object[]) operation[1];
                String expected = (String) operation[2];
                assertThat(overJmx(jmx, control, name, arguments)).as("%s over JMX", name).contains(expected);
                JsonNode answer = jolokia(jolokia, null, "exec", name, arguments);
                assertThat(answer.path("status").asInt() == 200 ? answer.path("value").asText() : answer.path("error").asText())
                        .as("%s over HTTP: %s", name, answer).contains(expected);
            }
            // and the steward's pair in full: split over JMX, joined again over HTTP
            assertThat(overJmx(jmx, control, "unmerge", new Object[] {split2})).startsWith("unmerged into ");
            assertThat(value(jolokia(jolokia, null, "exec", "merge", golden, split2))).isEqualTo("merged into " + golden);
            for (String attribute : List.of("GoldenRecords", "OpenQuarantine", "OpenReviews", "Home")) {
                assertThat(value(jolokia(jolokia, null, "read", attribute))).as(attribute)
                        .isEqualTo(String.valueOf(jmx.getAttribute(control, attribute)));
            }
            for (String attribute : List.of("Status", "DataQuality")) {
                assertThat(JSON.readTree(value(jolokia(jolokia, null, "read", attribute))).toString()).as(attribute).contains("shop");
                assertThat(JSON.readTree((String) jmx.getAttribute(control, attribute)).toString()).as(attribute).contains("shop");
            }
        }

        // no daemon: the command opens the store itself; pause has nothing to act on
        HubProcess.Result status = HubProcess.run(home, Map.of(), "status");
        assertThat(status.exitCode()).as(status.stderr()).isZero();
        assertThat(JSON.readTree(status.stdout()).path("goldenRecords").asLong()).isEqualTo(10);
        HubProcess.Result pause = HubProcess.run(home, Map.of(), "pause", "crm");
        assertThat(pause.exitCode()).isEqualTo(1);
        assertThat(pause.stderr()).contains("acts on a running daemon");
    }

    /** Invokes {@code operation} of the hub MBean over JMX: its result, or the message of the error it threw. */
    private static String overJmx(MBeanServerConnection jmx, ObjectName control, String operation, Object[] arguments) throws Exception {
        java.lang.reflect.Method method = java.util.Arrays.stream(HubControlMBean.class.getMethods())
                .filter(m -> m.getName().equals(operation) && m.getParameterCount() == arguments.length).findFirst().orElseThrow();
        String[] signature = java.util.Arrays.stream(method.getParameterTypes()).map(Class::getName).toArray(String[]::new);
        try {
            return String.valueOf(jmx.invoke(control, operation, arguments, signature));
        } catch (javax.management.JMException | RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause.getMessage();
        }
    }

    private static String value(JsonNode answer) {
        assertThat(answer.path("status").asInt()).as(answer.toString()).isEqualTo(200);
        return answer.path("value").asText();
    }

    /** One Jolokia request on the hub MBean: {@code exec} of an operation with arguments, or {@code read} of an attribute. */
    private static JsonNode jolokia(URI jolokia, String origin, String type, String name, Object... arguments) throws Exception {
        var request = JSON.createObjectNode().put("type", type).put("mbean", HubControl.OBJECT_NAME);
        if (type.equals("exec")) {
            request.put("operation", name);
            for (Object argument : arguments) {
                request.withArray("arguments").add(argument.toString());
            }
        } else {
            request.put("attribute", name);
        }
        HttpRequest.Builder post = HttpRequest.newBuilder(jolokia).POST(HttpRequest.BodyPublishers.ofString(request.toString()))
                .header("Origin", origin != null ? origin : "http://127.0.0.1:" + jolokia.getPort());
        HttpResponse<String> response = HttpClient.newHttpClient().send(post.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body())
                : JSON.createObjectNode().put("status", response.statusCode()).put("error", response.body());
    }

    private static JsonNode source(JsonNode status, String name) {
        for (JsonNode source : status.path("sources")) {
            if (source.path("name").asText().equals(name)) {
                return source;
            }
        }
        throw new AssertionError("no source " + name + " in " + status);
    }

    private static long count(HubHome home, String sql) {
        return ((Number) home.query(sql).get(0).get("n")).longValue();
    }
}
