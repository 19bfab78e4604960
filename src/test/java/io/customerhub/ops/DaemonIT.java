package io.customerhub.ops;

import io.customerhub.testing.FreePort;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.HubProcess;
import io.customerhub.testing.SyntheticCustomers;
import io.customerhub.testing.SyntheticPeople;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The packaged daemon in a child JVM, driven like an operator drives it. */
class DaemonIT {

    @TempDir
    Path dir;

    @Test
    void onceDrainsEverySourcePrintsASummaryAndExitsZero() throws Exception {
        HubHome home = HubHome.demo(dir);
        home.dropSample("crm", "customers-20261125.csv");
        home.dropSample("shop", "customers-api-dump.json");
        home.dropSample("oa", "staff.xml");

        // a setting overridden by an environment variable: a progress line for every batch
        HubProcess hub = HubProcess.start(home, Map.of("HUB_INGEST_PROGRESS_INTERVAL", "0"), List.of(), "--once");

        assertThat(hub.waitFor(Duration.ofMinutes(2))).as(hub.output()).isZero();
        assertThat(hub.output()).containsPattern("crm: 7 records read so far \\(6 created, 0 updated, 1 quarantined, 0 duplicates\\),"
                        + " [\\d,]+ records/s, file customers-20261125.csv: 100% in \\d+ s, about 0 s to go")
                .contains("crm: file customers-20261125.csv picked up (")
                .containsPattern("crm: file customers-20261125.csv read: 7 records \\(6 created, 0 updated, 0 unchanged,"
                        + " 1 quarantined, 0 duplicates\\) in [0-9.]+ s");
        assertThat(hub.output()).containsPattern("crm\\s+7\\s+6\\s+0\\s+0\\s+1\\s+0\\s+0")
                // the ERP is read once: its overlap window, read again unchanged, is skipped before the pipeline
                .containsPattern("erp\\s+\\d+\\s+5\\s+0\\s+0\\s+0\\s+\\d+\\s+0")
                .containsPattern("oa\\s+2\\s+2\\s+0\\s+0\\s+0\\s+0\\s+0")
                .containsPattern("shop\\s+4\\s+4\\s+0\\s+0\\s+0\\s+0\\s+0")
                // 17 records created (6 + 5 + 2 + 4): Zhang Wei and Wang Fang of the ERP and Michael Chen of the shop join others
                .contains("golden records: 14 (+14 this run); of 17 new source records, 3 matched a customer already known")
                .doesNotContain("13800138000").doesNotContain("zhang.wei@example.com");
        assertThat(home.files("inbox", "crm")).isEmpty();
        // the ERP database's Zhang Wei and Wang Fang join their CRM records, Michael Chen is in the CRM and the shop
        assertThat(home.query("SELECT COUNT(*) AS n FROM customer").get(0).get("n")).isEqualTo(14L);
        assertThat(home.query("SELECT watermark FROM source_watermark WHERE source = 'erp'").get(0).get("watermark").toString())
                .contains("2026-11-26T09:30").contains("0000100005");
        // every golden record goes back to the CRM: its own records by their keys when their golden values differ
        // (which depends on whether the CRM's file or the ERP's poll arrived last), the others as new ones
        String exported = String.join("", home.files("outbox", "crm").stream().map(DaemonIT::read).toList());
        assertThat(exported).startsWith("客户编号,姓名,").contains(",Emily O'Brien,F,1991-02-14,").contains(",孙丽,")
                .doesNotContain("C1006");
        assertThat(exported.lines().filter(line -> !line.startsWith("客户编号")).map(line -> line.substring(0, line.indexOf(','))))
                .allMatch(key -> key.matches("C\\d{4}|[0-9a-f-]{36}"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void onceStopsWithExitCodeOneAndSaysWhichPolledSourceIsDownWhileTheFilesStillGoIn() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Files.writeString(home.root().resolve("routes/sources/ledger.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: jdbc-source
                    routeId: ledger-ingest
                    parameters:
                      - { name: source, value: ledger }
                      - { name: url, value: "jdbc:postgresql://127.0.0.1:%d/ledger" }
                      - { name: table, value: customer }
                      - { name: updated-column, value: changed_at }
                      - { name: key-column, value: id }
                      - { name: connect-timeout, value: "1000" }
                      - name: mapping
                        value: |
                          key: id
                          fields:
                            fullName: name
                """.formatted(closedPort));
        home.dropSample("crm", "customers-20261125.csv");

        HubProcess hub = HubProcess.start(home, List.of(), "--once");

        assertThat(hub.waitFor(Duration.ofMinutes(2))).as(hub.output()).isEqualTo(1);
        assertThat(hub.output()).contains("source ledger could not be polled");
        assertThat(home.query("SELECT COUNT(*) AS n FROM customer_source WHERE source = 'crm'").get(0).get("n")).isEqualTo(6L);
    }

    @Test
    void onceFailsNamingAnInboxItCannotReadWhileTheOtherSourcesStillGoIn() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Files.createDirectories(home.data("inbox"));
        Files.writeString(home.data("inbox", "oa"), "a file where the OA's inbox folder should be");
        home.dropSample("crm", "customers-20261125.csv");

        HubProcess once = HubProcess.start(home, List.of(), "--once");

        assertThat(once.waitFor(Duration.ofMinutes(2))).as(once.output()).isEqualTo(1);
        assertThat(once.output()).contains("the inbox " + home.data("inbox", "oa") + " of route oa-ingest cannot be read"
                + " (it is not a folder)");
    }

    @Test
    void jsonLogsAreOneMaskedJsonObjectPerLine() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        home.dropSample("crm", "customers-20261125.csv");

        HubProcess hub = HubProcess.start(home, Map.of("HUB_LOG_FORMAT", "json"), List.of(), "--once");

        assertThat(hub.waitFor(Duration.ofMinutes(2))).as(hub.output()).isZero();
        List<String> lines = hub.output().lines().filter(line -> line.startsWith("{")).toList();
        assertThat(lines).hasSizeGreaterThan(20);
        for (String line : lines) {
            com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
            assertThat(json.path("time").asText()).as(line).isNotBlank();
            assertThat(json.path("level").asText()).as(line).isIn("INFO", "WARN", "ERROR", "DEBUG");
            assertThat(json.has("message") && json.has("error") && json.has("logger") && json.has("thread")).as(line).isTrue();
        }
        assertThat(lines).anyMatch(line -> line.contains("crm: file customers-20261125.csv read: 7 records"));
        assertThat(hub.output()).doesNotContain("13800138000").doesNotContain("zhang.wei@example.com")
                .as("the summary table, after the log").contains("golden records: 6");
    }

    @Test
    void aMisspeltTemplateParameterStopsTheStartWithOneParagraphNamingFileLineAndTheNearestName() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Path oa = home.root().resolve("routes/sources/oa.camel.yaml");
        Files.writeString(oa, Files.readString(oa).replace("- name: record-element", "- name: record-elment"));

        HubProcess hub = HubProcess.start(home, List.of(), "--once");

        assertThat(hub.waitFor(Duration.ofMinutes(1))).as(hub.output()).isEqualTo(2);
        assertThat(hub.output()).contains("customer-hub cannot start: the route declarations have 1 error(s):\n"
                        + "  routes/sources/oa.camel.yaml:13: oa-ingest: template file-source has no parameter record-elment;"
                        + " did you mean record-element?")
                .doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void replayStoresAQuarantinedRecordOnceADataStewardFixedIt() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        home.dropSample("crm", "customers-20261125.csv");
        assertThat(HubProcess.start(home, List.of(), "--once").waitFor(Duration.ofMinutes(2))).isZero();
        long id = (Long) home.query("SELECT id FROM quarantine WHERE source_key = ?", "C1006").get(0).get("id");
        home.update("UPDATE quarantine SET mapped_values = ? WHERE id = ?",
                "{\"sourceKey\":\"C1006\",\"fullName\":\"钱红\",\"gender\":\"女\",\"birthDate\":\"1995-02-28\","
                        + "\"email\":\"qianhong@example.com\",\"phone\":\"13700000000\",\"province\":\"湖北\",\"city\":\"武汉\"}",
                id);

        HubProcess replay = HubProcess.start(home, List.of(), "replay", "--source", "crm");

        assertThat(replay.waitFor(Duration.ofMinutes(2))).as(replay.output()).isZero();
        assertThat(replay.output()).contains("replayed 1 quarantined record(s): 1 stored (1 created");
        assertThat(home.query("SELECT status, resolved_at FROM quarantine WHERE id = ?", id).get(0))
                .containsEntry("status", "REPLAYED").doesNotContainEntry("resolved_at", null);
        assertThat(home.query("SELECT full_name, birth_date, city FROM customer_source WHERE source_key = ?", "C1006"))
                .singleElement().satisfies(row -> assertThat(row)
                        .containsEntry("full_name", "钱红").containsEntry("city", "武汉市"));
    }

    @Test
    void aDataStewardExplainsUnmergesAndMergesAGoldenRecord() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        home.dropSample("crm", "customers-20261125.csv");
        home.dropSample("shop", "customers-api-dump.json");
        assertThat(HubProcess.start(home, List.of(), "--once").waitFor(Duration.ofMinutes(2))).isZero();
        String golden = (String) home.query("SELECT customer_id FROM customer_source WHERE source = 'crm' AND source_key = 'C1005'")
                .get(0).get("customer_id");
        assertThat(home.query("SELECT customer_id FROM customer_source WHERE source = 'shop' AND source_key = '502'").get(0))
                .as("Michael Chen is in both").containsEntry("customer_id", golden);

        HubProcess explain = HubProcess.start(home, List.of(), "explain", golden);
        assertThat(explain.waitFor(Duration.ofMinutes(1))).as(explain.output()).isZero();
        assertThat(explain.output()).contains("\"lineage\"").contains("\"source_key\" : \"502\"")
                .contains("\"match_rule\"").contains("\"change_type\" : \"MERGE\"");

        HubProcess unmerge = HubProcess.start(home, List.of(), "unmerge", "--source", "shop", "--key", "502");
        assertThat(unmerge.waitFor(Duration.ofMinutes(1))).as(unmerge.output()).isZero();
        String split = unmerge.output().replaceAll("(?s).*unmerged into (\\S+).*", "$1");
        assertThat(home.query("SELECT customer_id FROM customer_source WHERE source = 'shop' AND source_key = '502'").get(0))
                .containsEntry("customer_id", split);

        HubProcess merge = HubProcess.start(home, List.of(), "merge", split, golden);
        assertThat(merge.waitFor(Duration.ofMinutes(1))).as(merge.output()).isZero();
        assertThat(merge.output()).contains("merged into " + golden);
        assertThat(home.query("SELECT status, merged_into FROM customer WHERE id = ?", split).get(0))
                .containsEntry("status", "MERGED").containsEntry("merged_into", golden);

        HubProcess again = HubProcess.start(home, List.of(), "merge", split, golden);
        assertThat(again.waitFor(Duration.ofMinutes(1))).as("a merged golden record cannot merge again").isEqualTo(1);
        assertThat(again.output()).contains("MERGED");
    }

    @Test
    void killedDuringABulkLoadOfThreeSourcesAndRestartedStoresEveryRecordExactlyOnce() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        SyntheticPeople.Dataset data = SyntheticPeople.write(dir.resolve("people"), 100_000, 20261205L);
        for (Path file : data.files()) {
            String source = file.getFileName().toString().replace(".csv", "");
            home.declareFileSource(source, "csv", SyntheticPeople.MAPPING, false);
            home.drop(source, file.getFileName().toString(), Files.readAllBytes(file));
        }

        HubProcess first = HubProcess.start(home, List.of("-Dhub.ingest.progress-interval=0", "-Dhub.file.read-lock-min-age=0"));
        // three sources of about 33,000 records each: killed once 20,000 of one are read, the rest of all three unread
        await().atMost(Duration.ofMinutes(3)).until(() -> mostReadSoFar(first.output()) >= 20_000);
        first.kill();
        assertThat(home.files("inbox", "crm").size() + home.files("inbox", "shop").size() + home.files("inbox", "oa").size())
                .as("killed during the load").isPositive();

        HubProcess second = HubProcess.start(home, List.of(), "--once");
        assertThat(second.waitFor(Duration.ofMinutes(10))).as(second.output()).isZero();

        assertThat(home.query("SELECT COUNT(*) AS n FROM customer_source").get(0).get("n")).isEqualTo((long) data.records());
        assertThat(home.query("SELECT COUNT(*) AS n FROM (SELECT DISTINCT source, source_key FROM customer_source) k")
                .get(0).get("n")).isEqualTo((long) data.records());
        assertThat(home.query("SELECT COUNT(*) AS n FROM customer WHERE status = 'ACTIVE'").get(0).get("n"))
                .as("every golden record has its source records, none is left over by the kill")
                .isEqualTo(home.query("SELECT COUNT(DISTINCT customer_id) AS n FROM customer_source").get(0).get("n"));
        assertThat(home.query("SELECT COUNT(*) AS n FROM golden_pending").get(0).get("n")).isEqualTo(0L);
        assertThat(home.query("SELECT COUNT(*) AS n FROM quarantine").get(0).get("n")).isEqualTo(0L);
        assertThat((Long) home.query("SELECT COUNT(*) AS n FROM customer WHERE status = 'ACTIVE'").get(0).get("n"))
                .as("duplicates merged across the kill, as without it (about one golden record per person)")
                .isBetween(data.people() * 99L / 100, data.people() * 101L / 100);
    }

    @Test
    void killedInTheMiddleOfAFileAndRestartedStoresEveryRecordExactlyOnce() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        int rows = 30_000;
        Path big = dir.resolve("big.csv");
        SyntheticCustomers.write(big, rows);
        home.drop("crm", "big.csv", Files.readAllBytes(big));

        HubProcess first = HubProcess.start(home, List.of("-Dhub.ingest.progress-interval=0"));
        await().atMost(Duration.ofMinutes(2)).until(() -> mostReadSoFar(first.output()) >= 5_000);
        first.kill();
        assertThat(home.files("inbox", "crm")).as("killed in the middle of the file")
                .anyMatch(file -> file.getFileName().toString().equals("big.csv"));

        HubProcess second = HubProcess.start(home, List.of(), "--once");
        assertThat(second.waitFor(Duration.ofMinutes(5))).as(second.output()).isZero();

        assertThat(home.files("inbox", "crm")).isEmpty();
        assertThat(home.files("done", "crm")).hasSize(1);
        assertThat(home.query("SELECT COUNT(*) AS n, COUNT(DISTINCT source_key) AS k FROM customer_source").get(0))
                .containsEntry("n", (long) rows).containsEntry("k", (long) rows);
        // every golden record is referenced, none twice over (a few synthetic people legitimately match)
        assertThat(home.query("SELECT COUNT(*) AS n FROM customer").get(0).get("n"))
                .isEqualTo(home.query("SELECT COUNT(DISTINCT customer_id) AS n FROM customer_source").get(0).get("n"));
        assertThat(home.query("SELECT COUNT(DISTINCT message_id) AS n FROM customer_source").get(0).get("n"))
                .as("each delivery's identity kept in its row").isEqualTo((long) rows);
        assertThat(home.query("SELECT COUNT(*) AS n FROM quarantine").get(0).get("n")).isEqualTo(0L);
        assertThat(home.query("SELECT COUNT(*) AS n FROM customer_history h JOIN customer_source s ON s.source = h.source"
                + " AND s.source_key = h.source_key WHERE h.change_type = 'UPDATE' AND s.match_rule IS NULL").get(0).get("n"))
                .as("no record changed a golden record of its own: none was applied twice").isEqualTo(0L);
    }

    @Test
    void killedWhileGoldenRecordsAggregateAndRestartedMergesEveryOne() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        int people = 2_000;
        Path first = dir.resolve("first.csv");
        SyntheticCustomers.write(first, people);
        // the same people again under new keys, a day later, with a new e-mail: each joins its golden record
        List<String> again = Files.readAllLines(first, StandardCharsets.UTF_8).stream().skip(1)
                .map(line -> line.replaceFirst("^K", "R").replaceFirst(",([^,]*@example\\.com)", ",new.$1")
                        .replace("2026-11-20 09:15:00", "2026-11-21 09:15:00"))
                .toList();
        home.drop("crm", "first.csv", Files.readAllBytes(first));

        // the merge stage's group stays open until the kill
        HubProcess hub = HubProcess.start(home, List.of("-Dhub.merge.completion-timeout=3600000",
                "-Dhub.merge.completion-size=1000000", "-Dhub.merge.sweep-interval=3600000"));
        await().atMost(Duration.ofMinutes(2)).until(() -> home.files("done", "crm").size() == 1);
        home.drop("crm", "again.csv", (SyntheticCustomers.HEADER + "\n" + String.join("\n", again) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofMinutes(2)).until(() -> home.files("done", "crm").size() == 2);
        hub.kill();
        assertThat((Long) home.query("SELECT COUNT(*) AS n FROM golden_pending").get(0).get("n")).as("killed while aggregating")
                .isGreaterThan(people * 9L / 10);

        HubProcess restarted = HubProcess.start(home, List.of(), "--once");
        assertThat(restarted.waitFor(Duration.ofMinutes(3))).as(restarted.output()).isZero();

        assertThat(home.query("SELECT COUNT(*) AS n FROM customer_source").get(0).get("n")).isEqualTo(2L * people);
        assertThat(home.query("SELECT COUNT(*) AS n FROM golden_pending").get(0).get("n")).isEqualTo(0L);
        // every golden record the second file joined shows its newer e-mail, as most-recent survivorship says
        assertThat(home.query("SELECT COUNT(*) AS n FROM customer c WHERE EXISTS (SELECT 1 FROM customer_source s"
                + " WHERE s.customer_id = c.id AND s.source_key LIKE 'R%' AND s.match_rule IS NOT NULL)"
                + " AND c.email NOT LIKE 'new.%'").get(0).get("n")).isEqualTo(0L);
        assertThat((Long) home.query("SELECT COUNT(*) AS n FROM customer WHERE email LIKE 'new.%'").get(0).get("n"))
                .isGreaterThan(people * 9L / 10);
    }

    @Test
    void sigtermDuringALoadStopsGracefullyAndTheRestartFinishesTheLoadWithEveryRecordOnce() throws Exception {
        SyntheticPeople.Dataset data = SyntheticPeople.write(dir.resolve("people"), 30_000, 11);
        Path people = data.files().get(0);
        long rows = Files.readAllLines(people).size() - 1;
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        home.declareFileSource("people", "csv", SyntheticPeople.MAPPING, true);
        home.drop("people", "people.csv", Files.readAllBytes(people));
        HubProcess hub = HubProcess.start(home, List.of("-Dhub.ingest.batch-size=100"));
        // the first batch is being stored
        await().atMost(Duration.ofMinutes(1)).until(() -> hub.output().contains("Blocking index built"));
        hub.terminate();

        assertThat(hub.waitFor(Duration.ofSeconds(60))).as(hub.output()).isZero();
        assertThat(hub.output()).contains("SIGTERM: stopping").doesNotContain(" ERROR ");
        HubProcess restart = HubProcess.start(home, List.of(), "--once");
        assertThat(restart.waitFor(Duration.ofMinutes(5))).as(restart.output()).isZero();
        assertThat(home.query("SELECT COUNT(*) AS n, COUNT(DISTINCT source_key) AS k FROM customer_source").get(0))
                .containsEntry("n", rows).containsEntry("k", rows);
        assertThat(home.query("SELECT COUNT(*) AS n FROM golden_pending").get(0)).containsEntry("n", 0L);
    }

    @Test
    void operatorStopsAndStartsARouteOverJmx() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        int port = FreePort.next();
        int httpPort = FreePort.next();
        // the management port from the environment (Camel skips variables ending in _PORT: the hub's own name)
        try (HubProcess hub = HubProcess.start(home, Map.of("HUB_MANAGEMENT_PORT", Integer.toString(httpPort)), List.of(
                "-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.authenticate=false",
                "-Dcom.sun.management.jmxremote.ssl=false",
                "-Djava.rmi.server.hostname=127.0.0.1"))) {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
            ObjectName crmRoute = new ObjectName("org.apache.camel:context=customer-hub,type=routes,name=\"crm-ingest\"");
            ObjectName context = new ObjectName("org.apache.camel:context=customer-hub,type=context,name=\"customer-hub\"");
            // routes report Started before the context has finished starting, and a route stops only then
            await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> {
                try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                    MBeanServerConnection jmx = connector.getMBeanServerConnection();
                    return "Started".equals(jmx.getAttribute(context, "State"))
                            && "Started".equals(jmx.getAttribute(crmRoute, "State"));
                }
            });
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                assertThat(jmx.getAttribute(crmRoute, "Description").toString()).contains("inbox");

                jmx.invoke(crmRoute, "stop", null, null);
                assertThat(jmx.getAttribute(crmRoute, "State")).isEqualTo("Stopped");
                home.dropSample("crm", "customers-20261125.csv");
                // the shop's route polls its inbox as often as the CRM's: once it has read a file, the CRM's had its chances
                home.dropSample("shop", "customers-api-dump.json");
                await().atMost(Duration.ofSeconds(30)).until(() -> home.files("done", "shop").size() == 1);
                assertThat(home.files("inbox", "crm")).as("a stopped route reads nothing").hasSize(1);

                jmx.invoke(crmRoute, "start", null, null);
                await().atMost(Duration.ofSeconds(30)).until(() -> home.files("done", "crm").size() == 1);
                assertThat(jmx.getAttribute(crmRoute, "State")).isEqualTo("Started");
            }
            assertThat(get(httpPort, "/observe/health")).contains("UP");
            InetAddress external = nonLoopbackAddress();
            assertThatThrownBy(() -> new Socket(external, httpPort).close()).as("the management port on %s", external)
                    .isInstanceOf(ConnectException.class);
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/observe/info")).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .as("no host details for anyone").isEqualTo(404);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(httpPort, "/observe/metrics"))
                    .contains("hub_records_total{outcome=\"created\",source=\"crm\"} 6.0")
                    .contains("hub_records_total{outcome=\"quarantined\",source=\"crm\"} 1.0"));
        }
    }

    private static String get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
        return response.body();
    }

    /** An IPv4 address of this machine other than the loopback's, where a server bound to every interface listens too. */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface network : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                for (InetAddress address : java.util.Collections.list(network.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return address;
                    }
                }
            }
        }
        throw new AssertionError("this machine has no IPv4 address besides the loopback's to try the management port on");
    }


    /** The most records one source had read by a progress line ("crm: 12,000 records read so far ..."). */
    private static long mostReadSoFar(String output) {
        return java.util.regex.Pattern.compile("\\w+: ([\\d,]+) records read so far").matcher(output).results()
                .mapToLong(match -> Long.parseLong(match.group(1).replace(",", ""))).max().orElse(0);
    }
}
