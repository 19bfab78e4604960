package io.customerhub.sync;

import io.customerhub.testing.RequiredService;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.ScratchDatabase;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.SourceDeclaration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance test of issue 5 (sync golden records back to every source): one hub home with
 * three real systems, each read by its ingest route and written by its sync route, the mappings
 * shared by YAML anchors as routes/README.md shows them:
 * <ol>
 *   <li>a file-drop CRM ({@code crm-ingest} reads data/inbox/crm/, {@code crm-sync} writes data/outbox/crm/),</li>
 *   <li>the real PostgreSQL on 127.0.0.1:5432 as the ERP ({@code erp-ingest}, {@code erp-sync}) on a
 *       fresh table of its own with a TEXT key (golden ids fit), a trigger logging every write;
 *       skipped when PostgreSQL is unreachable,</li>
 *   <li>a sales API on a real JDK HTTP server ({@code sales-ingest}, {@code sales-sync}) that stores
 *       what it is sent, stamps updated_at on each write and serves its records on GET with
 *       {@code updated_since} and {@code page}/{@code size}.</li>
 * </ol>
 * Every assertion is on the systems' own contents (the ERP table, the API's records, the CRM's files).
 * {@link #latencyFromTheErpToTheCrmAndTheSalesApi()} prints latency figures and asserts nothing about time.
 */
class SyncEndToEndIT {

    private static final String TEST_APP = "e2e-test";
    private static final ZoneId HUB_ZONE = ZoneId.of("Asia/Shanghai"); // hub.cleanse.time-zone
    private static final DateTimeFormatter CRM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @TempDir
    Path dir;

    Erp erp;
    SalesSystem sales;
    /** Settings a test adds to the hub's (before start). */
    final Map<String, String> settings = new HashMap<>();
    RunningHub hub;
    HubHome home;

    @AfterEach
    void stop() {
        if (hub != null && erp != null && sales != null) {
            diagnostics();
        }
        if (hub != null) {
            hub.close();
        }
        if (sales != null) {
            sales.close();
        }
        if (erp != null) {
            erp.close();
        }
    }

    @Test
    void goldenChangesReachEveryOtherSystemOnceInOrderAndEchoesSendNothing() throws Exception {
        int pollInterval = 250;
        start(pollInterval, 250, 100);

        // a. a customer created in the ERP appears in the CRM export and in the sales API
        erp.insert("E-1001", "Wang Fang", "wang.fang@example.com", "+8613800138001");
        String wang = awaitGolden("E-1001");
        await("the CRM export and the sales API").atMost(Duration.ofSeconds(30)).until(() ->
                crmRows().containsKey(wang) && sales.record(wang) != null);
        assertThat(crmRows().get(wang)).containsEntry("姓名", "Wang Fang").containsEntry("手机", "+8613800138001")
                .containsEntry("邮箱", "wang.fang@example.com");
        assertThat(Files.readString(crmFiles().get(0))).startsWith("客户编号,姓名,性别,出生日期,手机,邮箱,省份,城市,区县,地址,邮编,公司,身份证号\r\n");
        assertThat(sales.record(wang)).containsEntry("id", wang).containsEntry("name", "Wang Fang")
                .containsEntry("contact", Map.of("email", "wang.fang@example.com", "mobile", "+8613800138001"));
        assertThat(sales.writes(wang)).extracting(SalesSystem.Write::method).containsExactly("POST");
        assertThat(erp.hubWrites()).as("the ERP holds its own record: nothing written to it").isEmpty();

        // b. an edit in the CRM, under the key the hub exported (the golden id), reaches the ERP and the sales API
        Thread.sleep(1100); // the CRM's time has whole seconds: later than the ERP's change
        home.drop("crm", "crm-edit-1.csv", ("客户编号,姓名,手机,邮箱,更新时间\r\n" + wang + ",Wang Fang,+8613800138001,"
                + "fang.wang@crm.example.com," + crmNow() + "\r\n").getBytes(StandardCharsets.UTF_8));
        await("the CRM edit in the ERP and the sales API").atMost(Duration.ofSeconds(30)).until(() ->
                "fang.wang@crm.example.com".equals(erp.row("E-1001").get("email"))
                        && "fang.wang@crm.example.com".equals(sales.email(wang)));
        assertThat(erp.row("E-1001")).containsEntry("name1", "Wang Fang").containsEntry("mobile", "+8613800138001");
        assertThat(erp.rows()).as("updated in place, no second ERP row").hasSize(1);
        assertThat(sales.writes(wang)).extracting(SalesSystem.Write::method).containsExactly("POST", "PUT");
        assertThat(sales.writes(wang).get(1).path()).isEqualTo("/api/customers/" + wang);
        assertThat(hub.query("SELECT match_rule FROM customer_source WHERE source = 'crm' AND source_key = ?", wang))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("match_rule", "sync:written-by-hub"));

        // more customers, for the scenarios below
        erp.insert("E-1002", "Zhao Lei", "zhao.lei@example.com", "+8613900139002");
        String zhao = awaitGolden("E-1002");
        await().atMost(Duration.ofSeconds(30)).until(() -> sales.record(zhao) != null && crmRows().containsKey(zhao));

        // c. 100 polls of every source with no real change: no write to any system
        awaitQuiet();
        int erpWrites = erp.hubWrites().size();
        int salesWrites = sales.writes.size();
        int crmExports = crmFiles().size();
        long erpScans = erp.scans();
        int salesPolls = sales.firstPageGets();
        Instant windowStart = Instant.now();
        await("100 polls of each source").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                sales.firstPageGets() - salesPolls >= 100 && erp.scans() - erpScans >= 100
                        && Duration.between(windowStart, Instant.now()).toMillis() >= 100L * pollInterval + 1000);
        long windowMillis = Duration.between(windowStart, Instant.now()).toMillis();
        System.out.printf("[e2e] quiet window: %d ms, sales API polls (page 1) %d, ERP table scans %d, CRM inbox polls ~%d;"
                        + " writes: ERP %d, sales API %d, CRM files %d%n", windowMillis, sales.firstPageGets() - salesPolls,
                erp.scans() - erpScans, windowMillis / 100, erp.hubWrites().size() - erpWrites, sales.writes.size() - salesWrites,
                crmFiles().size() - crmExports);
        assertThat(erp.hubWrites()).as("ERP upserts by the hub in the quiet window").hasSize(erpWrites);
        assertThat(sales.writes).as("sales API PUT/POST requests in the quiet window").hasSize(salesWrites);
        assertThat(crmFiles()).as("CRM export files in the quiet window").hasSize(crmExports);

        // d. the sales API is down while Wang Fang is edited twice and Zhao Lei once; on return it gets each one's newest state
        int salesWritesBefore = sales.writes.size();
        sales.down();
        hub.awaitRuns("sales-sync", 1);
        erp.update("E-1001", "wang.fang+1@example.com");
        awaitOutbox("wang.fang+1@example.com");
        erp.update("E-1001", "wang.fang+2@example.com");
        awaitOutbox("wang.fang+2@example.com");
        erp.update("E-1002", "zhao.lei+1@example.com");
        awaitOutbox("zhao.lei+1@example.com");
        await("the CRM, up, has them all").atMost(Duration.ofSeconds(30)).until(() ->
                "wang.fang+2@example.com".equals(crmRows().get(wang).get("邮箱"))
                        && "zhao.lei+1@example.com".equals(crmRows().get(zhao).get("邮箱")));
        await("the sales changes failed at least once").atMost(Duration.ofSeconds(30)).until(() -> !hub.query(
                "SELECT id FROM sync_outbox WHERE target = 'sales' AND attempts > 0").isEmpty());
        hub.awaitRuns("sales-sync", 2);
        assertThat(sales.writes).as("nothing reached the API while it was down").hasSize(salesWritesBefore);
        sales.up();
        await("every change on the sales API once it is back").atMost(Duration.ofSeconds(60)).until(() ->
                sales.writeWith("wang.fang+2@example.com") != null && sales.writeWith("zhao.lei+1@example.com") != null);
        List<SalesSystem.Write> all = List.copyOf(sales.writes);
        List<SalesSystem.Write> arrived = all.subList(salesWritesBefore, all.size());
        System.out.printf("[e2e] after the outage the sales API got: %s%n", arrived.stream()
                .map(w -> w.method() + " " + w.path() + " " + w.email() + " " + w.idempotencyKey()).toList());
        // each customer's newest state, once: the older change it replaced is not sent after the outage
        assertThat(arrived.stream().filter(w -> w.key().equals(wang)).map(SalesSystem.Write::email).toList())
                .as("Wang Fang's newest state, once").containsExactly("wang.fang+2@example.com");
        assertThat(arrived.stream().filter(w -> w.key().equals(zhao)).map(SalesSystem.Write::email).toList())
                .containsExactly("zhao.lei+1@example.com");
        assertThat(arrived).extracting(SalesSystem.Write::method).containsOnly("PUT");
        assertThat(arrived).extracting(SalesSystem.Write::idempotencyKey).doesNotHaveDuplicates();
        assertThat(sales.writeWith("wang.fang+2@example.com").body()).isEqualTo("{\"id\":\"" + wang
                + "\",\"name\":\"Wang Fang\",\"contact\":{\"email\":\"wang.fang+2@example.com\",\"mobile\":\"+8613800138001\"}}");
        // that the ERP, the CRM and the hub then keep the last edit is aLateEchoOfAnOlderWriteDoesNotUndoTheNewerEdit
    }

    /**
     * Concurrent conflicting edits under field ownership: the ERP owns the e-mail
     * ({@code hub.merge.owner.email = erp}, owner-wins). The ERP and the CRM change it at about the
     * same time; the golden record, the CRM's export and the sales API end with the ERP's value, and
     * the CRM's refused edit is a {@code sync_conflict} row. Which edit the hub reads first is left to
     * the polls: read first, the CRM's edit meets the ERP's old value, which is the owner value its row names.
     */
    @Test
    void concurrentConflictingEditsEndAsTheOwnerDeclaresWithAConflictRow() throws Exception {
        settings.put("hub.merge.owner.email", "erp");
        settings.put("hub.merge.conflict.email", "owner-wins");
        start(250, 250, 100);
        erp.insert("E-5001", "Ma Li", "ma.li@example.com", "+8613500135001");
        String ma = awaitGolden("E-5001");
        await().atMost(Duration.ofSeconds(30)).until(() -> sales.record(ma) != null && crmRows().containsKey(ma));
        awaitQuiet();

        Thread.sleep(1100); // the CRM's time has whole seconds
        home.drop("crm", "crm-edit-ma.csv", ("客户编号,姓名,手机,邮箱,更新时间\r\n" + ma + ",Ma Li,+8613500135001,"
                + "ma.li@crm.example.com," + crmNow() + "\r\n").getBytes(StandardCharsets.UTF_8));
        erp.update("E-5001", "ma.li@erp.example.com");

        String crmEdit = "[\"ma.li@crm.example.com\"]";
        await("every system on the owner's value").atMost(Duration.ofSeconds(60)).until(() ->
                "ma.li@erp.example.com".equals(sales.email(ma)) && "ma.li@erp.example.com".equals(crmRows().get(ma).get("邮箱"))
                        && !hub.query("SELECT id FROM sync_conflict WHERE other_value = ?", crmEdit).isEmpty());
        awaitQuiet();
        assertThat(hub.query("SELECT email FROM customer WHERE id = ?", ma).get(0)).containsEntry("email", "ma.li@erp.example.com");
        assertThat(erp.row("E-5001")).containsEntry("email", "ma.li@erp.example.com");
        assertThat(hub.query("SELECT field_group, owner_source, owner_value, other_source, rule, outcome FROM sync_conflict"
                + " WHERE customer_id = ? AND other_value = ?", ma, crmEdit)).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("field_group", "email").containsEntry("owner_source", "erp")
                        .containsEntry("other_source", "crm").containsEntry("rule", "owner-wins")
                        .containsEntry("outcome", "OWNER_KEPT")
                        .extracting(r -> r.get("owner_value")).isIn("[\"ma.li@erp.example.com\"]", "[\"ma.li@example.com\"]"));
    }

    /**
     * A change delivered late to the very system whose newer edit superseded it: the ERP's user edits
     * a customer twice while erp-sync is stopped (its changes held in the outbox, as README.md
     * says); when it starts again the ERP already holds the second edit. The first change must not
     * be written over it.
     *
     */
    @Test
    void anOlderChangeIsNotWrittenOverTheTargetsNewerEdit() throws Exception {
        start(250, 250, 100);
        erp.insert("E-4001", "Qian Jun", "qian.jun@example.com", "+8613600136001");
        String qian = awaitGolden("E-4001");
        await().atMost(Duration.ofSeconds(30)).until(() -> sales.record(qian) != null && crmRows().containsKey(qian));
        awaitQuiet();
        hub.camel().getRouteController().stopRoute("erp-sync");
        erp.update("E-4001", "qian.jun+1@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> "qian.jun+1@example.com".equals(sales.email(qian)));
        erp.update("E-4001", "qian.jun+2@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> "qian.jun+2@example.com".equals(sales.email(qian)));
        hub.camel().getRouteController().startRoute("erp-sync");
        awaitQuiet();
        hub.awaitRuns("erp-sync", 2);
        assertThat(erp.row("E-4001")).as("the ERP keeps its user's last edit").containsEntry("email", "qian.jun+2@example.com");
        assertThat(erp.hubWrites()).as("nothing written back to the ERP, which made both changes").isEmpty();
    }

    /**
     * Scenario d made deterministic: two edits of one customer wait for the sales API, which refuses
     * them. Were the older one written after the newer one was made, the API would stamp it with its
     * own, later updated_at, and its echo would outrank the ERP's newer edit. The newer change
     * replaces the older (deleted), so the API only ever gets the newer state.
     */
    @Test
    void aLateEchoOfAnOlderWriteDoesNotUndoTheNewerEdit() throws Exception {
        start(250, 250, 100);
        erp.insert("E-3001", "Sun Li", "sun.li@example.com", "+8613700137001");
        String sun = awaitGolden("E-3001");
        await().atMost(Duration.ofSeconds(30)).until(() -> sales.record(sun) != null && crmRows().containsKey(sun));
        awaitQuiet();

        sales.refused.add("sun.li+1@example.com");
        sales.refused.add("sun.li+2@example.com");
        erp.update("E-3001", "sun.li+1@example.com");
        awaitOutbox("sun.li+1@example.com");
        erp.update("E-3001", "sun.li+2@example.com");
        awaitOutbox("sun.li+2@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> "sun.li+2@example.com".equals(erp.row("E-3001").get("email"))
                && "sun.li+2@example.com".equals(crmRows().get(sun).get("邮箱")));
        // the API comes back: the newer state replaced the older change, so no older write can echo back over it
        await().atMost(Duration.ofSeconds(30)).until(() -> hub.query("SELECT o.status FROM sync_outbox o JOIN sync_change c ON c.id = o.change_id WHERE o.target = 'sales'"
                + " AND c.payload LIKE '%sun.li+1@%'").isEmpty());
        sales.refused.clear();
        await().atMost(Duration.ofSeconds(30)).until(() -> "sun.li+2@example.com".equals(sales.email(sun)));
        awaitQuiet();
        assertThat(sales.writes(sun).stream().map(SalesSystem.Write::email).toList())
                .as("the API never got the older change").doesNotContain("sun.li+1@example.com");
        System.out.printf("[e2e] late echo: ERP writes by the hub %s; sales writes %s; golden email %s%n", erp.hubWrites(),
                sales.writes(sun).stream().map(SalesSystem.Write::email).toList(),
                hub.query("SELECT email FROM customer WHERE id = ?", sun));
        assertThat(erp.row("E-3001")).as("the ERP keeps its user's last edit").containsEntry("email", "sun.li+2@example.com");
        assertThat(sales.email(sun)).isEqualTo("sun.li+2@example.com");
        assertThat(crmRows().get(sun)).containsEntry("邮箱", "sun.li+2@example.com");
        assertThat(erp.hubWrites()).as("nothing written back to the ERP").isEmpty();
    }

    /**
     * 20 edits in the ERP (the row updated, changed_at set), each timestamped at commit: when the
     * CRM export holding it appears (its file's modification time) and when the sales API receives it.
     * With 1-second polling and sync intervals. Prints median and p95; asserts nothing about timing.
     */
    @Test
    void latencyFromTheErpToTheCrmAndTheSalesApi() throws Exception {
        start(1000, 1000, 1000);
        int customers = 5;
        List<String> keys = new ArrayList<>();
        List<String> golden = new ArrayList<>();
        for (int i = 0; i < customers; i++) {
            String key = "L-" + (2001 + i);
            keys.add(key);
            erp.insert(key, "Latency Person " + (char) ('A' + i), "latency" + i + "@example.com", "+861370013700" + i);
        }
        for (String key : keys) {
            golden.add(awaitGolden(key));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> golden.stream().allMatch(id -> sales.record(id) != null
                && crmRows().containsKey(id)));
        awaitQuiet();

        java.util.Random jitter = new java.util.Random(5);
        List<Long> toCrm = new ArrayList<>();
        List<Long> toSales = new ArrayList<>();
        for (int edit = 0; edit < 20; edit++) {
            int c = edit % customers;
            String email = "lat" + edit + "@example.com";
            Instant changed = erp.update(keys.get(c), email);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                    crmFileWith(email) != null && sales.writeWith(email) != null);
            Instant exported = Files.getLastModifiedTime(crmFileWith(email)).toInstant();
            Instant received = sales.writeWith(email).at();
            toCrm.add(Duration.between(changed, exported).toMillis());
            toSales.add(Duration.between(changed, received).toMillis());
            // the next edit is a change of its own, at a random phase of the 1-second timers
            Thread.sleep(300 + jitter.nextInt(1000));
        }
        System.out.printf("[e2e] latency ERP -> CRM export (ms), 20 edits, 1 s polling and sync: median %d, p95 %d, all %s%n",
                percentile(toCrm, 50), percentile(toCrm, 95), toCrm);
        System.out.printf("[e2e] latency ERP -> sales API (ms), 20 edits, 1 s polling and sync: median %d, p95 %d, all %s%n",
                percentile(toSales, 50), percentile(toSales, 95), toSales);
    }

    /**
     * f. kill -9 during sync: the packaged daemon in a child JVM delivers a backlog of about 200
     * creates (one per golden record of a CRM file) to a slow sales API and is killed midway;
     * restarted, it delivers the rest. Every golden record reaches the API, each created once: a
     * change whose request got through before the kill but whose outcome was not recorded is sent
     * again under the same Idempotency-Key, which the API answers with its first answer.
     */
    @Test
    void killedWhileDeliveringABacklogAndRestartedEveryChangeArrivesOnce() throws Exception {
        sales = new SalesSystem();
        sales.writeDelay = 25;
        home = HubHome.copyOfProject(dir.resolve("home"));
        Path token = Files.writeString(dir.resolve("sales-token"), SalesSystem.TOKEN);
        writeSalesRoutes(token, 1000);
        Path people = dir.resolve("people.csv");
        io.customerhub.testing.SyntheticCustomers.write(people, 200);
        home.drop("crm", "people.csv", Files.readAllBytes(people));
        List<String> options = List.of("-Dhub.sync.interval=200", "-Dhub.sync.retry-delay=200", "-Dhub.sync.retry-max-delay=1000");

        io.customerhub.testing.HubProcess first = io.customerhub.testing.HubProcess.start(home, options);
        try {
            await("the backlog being delivered").atMost(Duration.ofMinutes(2)).until(() -> sales.writes.size() >= 40);
        } finally {
            first.kill();
        }
        int beforeKill = sales.writes.size();
        int requestsBeforeKill = sales.requests.size();

        io.customerhub.testing.HubProcess second = io.customerhub.testing.HubProcess.start(home, options);
        try {
            int[] last = {-1};
            Instant[] since = {Instant.now()};
            await("the rest delivered").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
                int now = sales.requests.size();
                if (now != last[0]) {
                    last[0] = now;
                    since[0] = Instant.now();
                    return false;
                }
                return Duration.between(since[0], Instant.now()).toMillis() >= 5000;
            });
        } finally {
            second.close();
        }
        long golden = (Long) home.query("SELECT COUNT(*) AS n FROM customer").get(0).get("n");
        Map<String, Long> createsById = new HashMap<>();
        Map<String, java.util.Set<String>> keysById = new HashMap<>();
        for (String[] request : sales.requests) {
            keysById.computeIfAbsent(request[1], k -> new java.util.HashSet<>()).add(request[2]);
        }
        for (SalesSystem.Write write : sales.writes) {
            createsById.merge(write.key(), write.method().equals("POST") ? 1L : 0L, Long::sum);
        }
        System.out.printf("[e2e] kill -9: %d golden records; %d applied before the kill (%d requests), %d applied in all;"
                        + " %d requests in all, %d answered as repeats of an earlier idempotency key%n", golden, beforeKill,
                requestsBeforeKill, sales.writes.size(), sales.requests.size(), sales.replays.size());
        assertThat(home.query(HubHome.UNDELIVERED)).as("nothing undelivered").isEmpty();
        assertThat(home.query("SELECT * FROM sync_outbox WHERE status = 'DEAD'")).isEmpty();
        assertThat(beforeKill).as("killed in the middle of the backlog").isLessThan((int) golden);
        assertThat(createsById).as("every golden record created at the API").hasSize((int) golden);
        assertThat(createsById.values()).as("each created once").containsOnly(1L);
        assertThat(sales.writes).as("no change applied twice").hasSize((int) golden);
        assertThat(keysById.values()).as("a request sent again repeated its idempotency key").allSatisfy(keys ->
                assertThat(keys).hasSize(1));
        for (Map<String, Object> customer : home.query("SELECT id, email FROM customer")) {
            assertThat(sales.email(customer.get("id").toString())).as("customer " + customer.get("id"))
                    .isEqualTo(customer.get("email"));
        }
    }

    // ------------------------------------------------------------------------------------------ setup

    private void start(int pollInterval, int syncInterval, int filePollDelay) throws Exception {
        erp = Erp.open();
        sales = new SalesSystem();
        home = HubHome.copyOfProject(dir.resolve("home"));
        Path token = Files.writeString(dir.resolve("sales-token"), SalesSystem.TOKEN);
        Path password = Files.writeString(dir.resolve("erp-password"), "\n");
        Files.writeString(home.root().resolve("routes/sources/crm.camel.yaml"), FileSyncRoutesTest.readmeExample(),
                StandardCharsets.UTF_8);
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"), SourceDeclaration.erpTable(Erp.URL, erp.user,
                password.toAbsolutePath().toString(), erp.table, pollInterval));
        writeSalesRoutes(token, pollInterval);
        Map<String, String> overrides = new HashMap<>(settings);
        overrides.put("hub.sync.interval", Integer.toString(syncInterval));
        overrides.put("hub.sync.retry-delay", "200");
        overrides.put("hub.sync.retry-max-delay", "1000");
        overrides.put("hub.sync.max-attempts", "1000");
        overrides.put("hub.poll.retry-delay", "200");
        overrides.put("hub.poll.retry-max-delay", "1000");
        overrides.put("hub.file.poll-delay", Integer.toString(filePollDelay));
        hub = RunningHub.start(home, overrides);
        for (String route : List.of("crm-ingest", "crm-sync", "erp-ingest", "erp-sync", "sales-ingest", "sales-sync")) {
            assertThat(hub.camel().getRoute(route)).as(route).isNotNull();
        }
        // the CRM's first export, without these customers: until the hub has read one, it writes nothing to the CRM
        home.drop("crm", "first.csv", "客户编号,姓名,性别,出生日期,手机,邮箱,省份,城市,区县,地址,邮编,公司,身份证号\r\n"
                .getBytes(StandardCharsets.UTF_8));
        await("the CRM's first export read").atMost(Duration.ofSeconds(30))
                .until(() -> !hub.query("SELECT source FROM source_read WHERE source = 'crm'").isEmpty());
    }

    private void writeSalesRoutes(Path token, int pollInterval) throws IOException {
        String url = sales.url("/api/customers");
        Map<String, String> ingest = new LinkedHashMap<>();
        ingest.put("url", url);
        ingest.put("record-path", "data");
        ingest.put("cursor", "updated-since");
        ingest.put("paging", "page");
        ingest.put("page-size", "50");
        ingest.put("auth", "bearer");
        ingest.put("token-file", token.toAbsolutePath().toString());
        ingest.put("poll-interval", Integer.toString(pollInterval));
        ingest.put("max-attempts", "2");
        ingest.put("retry-delay", "100");
        Map<String, String> sync = new LinkedHashMap<>();
        sync.put("create-url", url);
        sync.put("update-url", url + "/{key}");
        sync.put("auth", "bearer");
        sync.put("token-file", token.toAbsolutePath().toString());
        sync.put("max-attempts", "2");
        sync.put("retry-delay", "100");
        Files.writeString(home.root().resolve("routes/sources/sales.camel.yaml"), SourceDeclaration.ingestAndSync("sales",
                "http-source", ingest, "http-sync", sync, """
                        key: id
                        updated-at: updated_at
                        fields:
                          fullName: name
                          phone: contact.mobile
                          email: contact.email
                        """));
    }

    /** What each system and the hub hold, printed after each test (for a failing one, the evidence). */
    private void diagnostics() {
        try {
            System.out.println("[e2e] ERP rows: " + erp.rows());
            System.out.println("[e2e] ERP writes by the hub: " + erp.hubWrites());
            System.out.println("[e2e] sales writes: " + sales.writes.stream().map(w -> w.method() + " " + w.key() + " " + w.email()
                    + " " + w.idempotencyKey()).toList());
            System.out.println("[e2e] CRM rows: " + crmRows());
            System.out.println("[e2e] undelivered: " + hub.query(HubHome.UNDELIVERED));
            System.out.println("[e2e] outbox: " + hub.query("SELECT o.id, o.target, o.customer_id, o.status, o.attempts, c.payload,"
                    + " o.created_at, o.sent_at FROM sync_outbox o JOIN sync_change c ON c.id = o.change_id ORDER BY o.id"));
            System.out.println("[e2e] customer_source: " + hub.query("SELECT source, source_key, customer_id, email,"
                    + " source_updated_at, updated_at, match_rule, edits FROM customer_source ORDER BY customer_id, source"));
            System.out.println("[e2e] golden: " + hub.query("SELECT id, email, lineage FROM customer ORDER BY id"));
            System.out.println("[e2e] history: " + hub.query("SELECT * FROM customer_history ORDER BY changed_at"));
            System.out.println("[e2e] conflicts: " + hub.query("SELECT customer_id, field_group, owner_source, owner_value,"
                    + " other_source, other_value, rule, outcome FROM sync_conflict ORDER BY id"));
        } catch (RuntimeException e) {
            System.out.println("[e2e] diagnostics failed: " + e);
        }
    }

    private String awaitGolden(String erpKey) {
        await("golden record of ERP " + erpKey).atMost(Duration.ofSeconds(30)).until(() -> !hub.query(
                "SELECT customer_id FROM customer_source WHERE source = 'erp' AND source_key = ?", erpKey).isEmpty());
        return hub.query("SELECT customer_id FROM customer_source WHERE source = 'erp' AND source_key = ?", erpKey)
                .get(0).get("customer_id").toString();
    }

    /**
     * Waits until a golden change carrying {@code text} is in the change log and delivered to the ERP and the CRM (so
     * the next edit is a change of its own).
     */
    private void awaitOutbox(String text) {
        await("logged change with " + text).atMost(Duration.ofSeconds(30)).until(() -> !hub.query(
                "SELECT seq FROM sync_change WHERE payload LIKE ?", "%" + text + "%").isEmpty()
                && hub.query("SELECT * FROM (" + HubHome.UNDELIVERED + ") u WHERE u.target IN ('erp', 'crm') AND u.payload LIKE ?",
                "%" + text + "%").isEmpty());
    }

    /**
     * Nothing undelivered or waiting to merge, and every poll and sync route has run twice more without writing to
     * any system: the echoes of the last writes are read and answered with nothing.
     */
    private void awaitQuiet() {
        Supplier<String> writes = () -> erp.hubWrites().size() + "/" + sales.writes.size() + "/" + crmFiles().size();
        BooleanSupplier settled = () -> hub.query(HubHome.UNDELIVERED).isEmpty()
                && hub.query("SELECT * FROM golden_pending").isEmpty();
        await("quiet").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            String before = writes.get();
            if (!settled.getAsBoolean()) {
                return false;
            }
            for (String route : List.of("erp-ingest", "sales-ingest", "erp-sync", "sales-sync", "crm-sync")) {
                hub.awaitRuns(route, 2);
            }
            return settled.getAsBoolean() && before.equals(writes.get());
        });
    }

    private static String crmNow() {
        return LocalDateTime.now(HUB_ZONE).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1).format(CRM_TIME);
    }

    /** The CRM export files (hidden temporary files excluded), oldest first. */
    private List<Path> crmFiles() {
        // not HubHome.files: its walk stats every entry, and a .tmp file renamed meanwhile makes it throw
        Path outbox = home.data("outbox", "crm");
        if (!Files.isDirectory(outbox)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(outbox)) {
            return files.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRM's view of its records: the rows of every export file, later files overriding, by key. */
    private Map<String, Map<String, String>> crmRows() {
        Map<String, Map<String, String>> rows = new LinkedHashMap<>();
        for (Path file : crmFiles().stream().sorted(Comparator.comparing(SyncEndToEndIT::changeSeq)).toList()) {
            List<String> lines = readLines(file);
            List<String> header = List.of(lines.get(0).replace("\uFEFF", "").split(",", -1));
            for (String line : lines.subList(1, lines.size())) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = line.split(",", -1); // the test's values hold no delimiter or quote
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.size() && i < cells.length; i++) {
                    row.put(header.get(i), cells[i]);
                }
                rows.put(row.get("客户编号"), row);
            }
        }
        return rows;
    }

    private Path crmFileWith(String text) {
        return crmFiles().stream().filter(file -> String.join("\n", readLines(file)).contains(text)).findFirst().orElse(null);
    }

    private static long changeSeq(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(name.lastIndexOf('-') + 1, name.indexOf('.')));
    }

    private static List<String> readLines(Path file) {
        try {
            return List.of(Files.readString(file, StandardCharsets.UTF_8).split("\r\n", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size()); // nearest-rank
        return sorted.get(Math.max(0, rank - 1));
    }

    // ------------------------------------------------------------------------------------------ the ERP

    /**
     * The ERP: a customer table of its own on the real PostgreSQL ({@code e2e_erp_<random>}, TEXT
     * key), with a trigger that logs every insert and update with the writing connection's
     * application name, so that the hub's upserts can be told from the test's own edits. Dropped after.
     */
    static final class Erp implements AutoCloseable {

        static final String URL = ScratchDatabase.POSTGRES_URL;

        final String user;
        final String table = "e2e_erp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

        private Erp(String user) {
            this.user = user;
        }

        static Erp open() {
            List<String> failures = new ArrayList<>();
            for (String user : List.of("postgres", "root")) {
                try (Connection ignored = DriverManager.getConnection(URL, user, "")) {
                    Erp erp = new Erp(user);
                    erp.create();
                    return erp;
                } catch (SQLException e) {
                    failures.add(user + ": " + e.getMessage());
                }
            }
            RequiredService.missing("SyncEndToEndIT needs PostgreSQL on " + URL + ": no connection (" + failures + ")");
            throw new AssertionError("unreachable");
        }

        private void create() {
            execute("CREATE TABLE " + table + " (kunnr TEXT PRIMARY KEY, name1 TEXT NOT NULL, email TEXT, mobile TEXT,"
                    + " changed_at TIMESTAMPTZ(6) NOT NULL, deleted BOOLEAN DEFAULT FALSE)");
            execute("CREATE TABLE " + table + "_log (n BIGSERIAL PRIMARY KEY, op TEXT, kunnr TEXT, name1 TEXT, email TEXT,"
                    + " mobile TEXT, changed_at TIMESTAMPTZ(6), app TEXT, at TIMESTAMPTZ DEFAULT clock_timestamp())");
            execute("CREATE FUNCTION " + table + "_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO " + table
                    + "_log (op, kunnr, name1, email, mobile, changed_at, app) VALUES (TG_OP, NEW.kunnr, NEW.name1, NEW.email,"
                    + " NEW.mobile, NEW.changed_at, current_setting('application_name')); RETURN NEW; END $$");
            execute("CREATE TRIGGER " + table + "_trg AFTER INSERT OR UPDATE ON " + table + " FOR EACH ROW EXECUTE FUNCTION "
                    + table + "_fn()");
        }

        Connection connect() throws SQLException {
            Connection connection = DriverManager.getConnection(URL, user, "");
            connection.setClientInfo("ApplicationName", TEST_APP);
            return connection;
        }

        void insert(String key, String name, String email, String mobile) {
            update("INSERT INTO " + table + " (kunnr, name1, email, mobile, changed_at, deleted)"
                    + " VALUES (?, ?, ?, ?, clock_timestamp(), FALSE)", key, name, email, mobile);
        }

        /** The ERP user edits a customer's e-mail; returns when it was committed. */
        Instant update(String key, String email) {
            update("UPDATE " + table + " SET email = ?, changed_at = clock_timestamp() WHERE kunnr = ?", email, key);
            return Instant.now();
        }

        private void update(String sql, Object... parameters) {
            try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                assertThat(statement.executeUpdate()).as(sql).isEqualTo(1);
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        void execute(String sql) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        List<Map<String, Object>> rows() {
            return query("SELECT kunnr, name1, email, mobile, deleted FROM " + table + " ORDER BY kunnr");
        }

        Map<String, Object> row(String key) {
            return rows().stream().filter(r -> key.equals(r.get("kunnr"))).findFirst().orElseThrow();
        }

        /** The writes of every connection but the test's own: the hub's upserts. */
        List<Map<String, Object>> hubWrites() {
            return query("SELECT op, kunnr, email, app FROM " + table + "_log WHERE app IS DISTINCT FROM '" + TEST_APP + "' ORDER BY n");
        }

        /** Sequential and index scans of the table so far: a poll of erp-ingest is one (statistics lag up to ~1 s). */
        long scans() {
            List<Map<String, Object>> rows = query("SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) AS n FROM pg_stat_user_tables"
                    + " WHERE relname = '" + table + "'");
            return rows.isEmpty() ? 0 : ((Number) rows.get(0).get("n")).longValue();
        }

        private List<Map<String, Object>> query(String sql) {
            try (Connection connection = connect()) {
                return HubHome.rows(connection, sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql, e);
            }
        }

        @Override
        public void close() {
            execute("DROP TABLE IF EXISTS " + table);
            execute("DROP TABLE IF EXISTS " + table + "_log");
            execute("DROP FUNCTION IF EXISTS " + table + "_fn()");
        }
    }

    // ------------------------------------------------------------------------------------------ the sales API

    /**
     * A sales system's customer API on a real JDK HTTP server that keeps its customers in memory:
     * {@code POST /api/customers} creates one under the body's {@code id} (201), {@code PUT
     * /api/customers/<id>} replaces one (200), each write stamping {@code updated_at} (UTC, ms);
     * {@code GET /api/customers?updated_since=..&page=..&size=..} lists those with
     * {@code updated_at >= updated_since}, ordered by (updated_at, id), under {@code data}. 401
     * without the bearer token. {@link #down()} closes the server (connections refused),
     * {@link #up()} opens it again on the same port with the same records.
     */
    static final class SalesSystem implements AutoCloseable {

        static final String TOKEN = "e2e-sales-token";
        private static final ObjectMapper JSON = new ObjectMapper();
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
                .withZone(ZoneOffset.UTC);

        /** A write as the server applied it. */
        record Write(Instant at, String method, String path, String key, String idempotencyKey, String email, String body) {
        }

        final List<Write> writes = new CopyOnWriteArrayList<>();
        /** Every write request that arrived (replayed ones included): method, record id, idempotency key. */
        final List<String[]> requests = new CopyOnWriteArrayList<>();
        /** Idempotency keys of requests answered with the stored answer of an earlier request, not applied again. */
        final List<String> replays = new CopyOnWriteArrayList<>();
        private final Map<String, String[]> answered = new ConcurrentHashMap<>();
        /** Milliseconds each write takes (a slow API). */
        volatile int writeDelay;
        /** Writes carrying one of these e-mails are answered 503. */
        final java.util.Set<String> refused = ConcurrentHashMap.newKeySet();
        private final Map<String, Map<String, Object>> records = new ConcurrentHashMap<>();
        private final List<String> gets = new CopyOnWriteArrayList<>();
        private final int port;
        private volatile HttpServer server;
        private Instant lastStamp = Instant.EPOCH;

        SalesSystem() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            port = server.getAddress().getPort();
            serve();
        }

        private void serve() {
            server.createContext("/api/customers", this::answer);
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }

        Map<String, Object> record(String id) {
            return records.get(id);
        }

        @SuppressWarnings("unchecked")
        String email(String id) {
            Map<String, Object> record = records.get(id);
            return record == null || !(record.get("contact") instanceof Map<?, ?> contact) ? null
                    : (String) ((Map<String, Object>) contact).get("email");
        }

        List<Write> writes(String id) {
            return writes.stream().filter(w -> w.key().equals(id)).toList();
        }

        Write writeWith(String email) {
            return writes.stream().filter(w -> email.equals(w.email())).findFirst().orElse(null);
        }

        int firstPageGets() {
            return (int) gets.stream().filter(q -> !q.contains("page=") || q.contains("page=1&") || q.endsWith("page=1")).count();
        }

        void down() {
            server.stop(0);
        }

        void up() throws Exception {
            for (int attempt = 0; ; attempt++) {
                try {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                    serve();
                    return;
                } catch (BindException e) {
                    if (attempt > 50) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }

        private synchronized String stamp() {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
            return STAMP.format(lastStamp);
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
                    String query = exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery();
                    gets.add(query);
                    send(exchange, 200, list(query));
                    return;
                }
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, Object> record = JSON.readValue(body, Map.class);
                boolean create = method.equals("POST") && path.equals("/api/customers");
                boolean update = method.equals("PUT") && path.startsWith("/api/customers/");
                if (!create && !update) {
                    send(exchange, 405, "{}");
                    return;
                }
                String key = create ? String.valueOf(record.get("id"))
                        : URLDecoder.decode(path.substring("/api/customers/".length()), StandardCharsets.UTF_8);
                String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                requests.add(new String[] {method, key, idempotencyKey});
                // as an API honouring Idempotency-Key does: a repeated key gets the first answer, applied once
                String[] earlier = idempotencyKey == null ? null : answered.get(idempotencyKey);
                if (earlier != null) {
                    replays.add(idempotencyKey);
                    send(exchange, Integer.parseInt(earlier[0]), earlier[1]);
                    return;
                }
                if (create && records.containsKey(key)) {
                    send(exchange, 409, "{\"error\":\"exists\"}");
                    return;
                }
                if (update && !records.containsKey(key)) {
                    send(exchange, 404, "{\"error\":\"no such customer\"}");
                    return;
                }
                if (update) {
                    record.put("id", key);
                }
                int status = create ? 201 : 200;
                if (writeDelay > 0) {
                    Thread.sleep(writeDelay);
                }
                if (record.get("contact") instanceof Map<?, ?> c && refused.contains(String.valueOf(c.get("email")))) {
                    send(exchange, 503, "{\"error\":\"busy\"}");
                    return;
                }
                synchronized (this) {
                    record.put("updated_at", stamp());
                    records.put(key, record);
                    Object contact = record.get("contact");
                    writes.add(new Write(Instant.now(), method, path, key, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                            contact instanceof Map<?, ?> c ? (String) ((Map<String, Object>) c).get("email") : null,
                            new String(body, StandardCharsets.UTF_8)));
                }
                String reply = JSON.writeValueAsString(record);
                if (idempotencyKey != null) {
                    answered.put(idempotencyKey, new String[] {Integer.toString(status), reply});
                }
                send(exchange, status, reply);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                send(exchange, 503, "{}");
            } catch (RuntimeException e) {
                send(exchange, 500, "{\"error\":\"" + e.getClass().getSimpleName() + "\"}");
            }
        }

        private String list(String query) throws IOException {
            Map<String, String> q = new HashMap<>();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            String since = q.get("updated_since");
            int size = Integer.parseInt(q.getOrDefault("size", "100"));
            int page = Integer.parseInt(q.getOrDefault("page", "1"));
            List<Map<String, Object>> matching = records.values().stream()
                    .filter(r -> since == null || Instant.parse((String) r.get("updated_at")).compareTo(Instant.parse(since)) >= 0)
                    .sorted(Comparator.comparing((Map<String, Object> r) -> (String) r.get("updated_at"))
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
        }
    }
}
