package io.customerhub.ops;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.HubProcess;
import io.customerhub.testing.KeysetApi;
import io.customerhub.testing.ScratchDatabase;
import io.customerhub.testing.SourceDeclaration;
import io.customerhub.testing.SyntheticPeople;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The break-it suite's kill -9 part: the packaged daemon loads three sources that share customers, one of each kind
 * (a CSV file source, an HTTP API read by keyset pages, a PostgreSQL table), merges their golden records and exports
 * every change to each of the three systems ({@code file-sync}), and is killed at random points of that work,
 * restarted each time. Every restart must make progress within a minute (a restart that spins in its own recovery
 * stores nothing and fails the test; one killed before its start-up was over gets twice the time next), and the end
 * must be the uninterrupted run's: every record once, nothing pending, as many golden records and writes to the
 * targets.
 *
 * <p>The short form (tier {@code break-it}: in CI and with {@code -Pall-tiers}) kills {@value #SHORT_FORM} times. The long form:
 * {@code mvn -B verify -Pall-tiers -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=KillPointsIT
 * -Dkill.points=120 -Dkill.records=30000} ({@code -Dkill.store=h2} for the embedded H2 store); it prints the kill points
 * per phase.
 */
@Tag("break-it")
class KillPointsIT {

    private static final int SHORT_FORM = 4;
    private static final int KILL_POINTS = Integer.getInteger("kill.points", SHORT_FORM);
    private static final int RECORDS = Integer.getInteger("kill.records", 9_000);
    private static final long SEED = Long.getLong("kill.seed", 20261206L);
    /**
     * The store: {@code postgres} (default) or {@code h2}. An embedded H2 2.5.252 store can, rarely, hang after a kill -9
     * (an H2 fault, see docs/reliability.md), which would make the test fail on H2's account rather than the hub's.
     */
    private static final String STORE = System.getProperty("kill.store", "postgres");
    /** A restart must make progress within this long: recovery that spins in itself never does. */
    private static final long MAX_WINDOW_MILLIS = 60_000;
    /** Kills the long form aims for in each phase (issue 12: at least 20). */
    private static final int PER_PHASE = 20;
    private static final Set<Phase> INGEST = EnumSet.of(Phase.FILE_INGEST, Phase.HTTP_INGEST, Phase.JDBC_INGEST);

    /** Active golden records and the sync targets that hold none of their source records: each must get it written. */
    private static final String TO_WRITE = "SELECT COUNT(*) FROM customer c CROSS JOIN (SELECT target FROM sync_cursor) t"
            + " WHERE c.status = 'ACTIVE' AND NOT EXISTS (SELECT 1 FROM customer_source s WHERE s.customer_id = c.id"
            + " AND s.source = t.target)";
    /** The target holds a record the hub wrote for the golden record (or for one merged into it, which is its own now). */
    private static final String HELD = " EXISTS (SELECT 1 FROM sync_state w WHERE w.customer_id = c.id AND w.target = t.target)";
    private static final String WRITTEN = TO_WRITE + " AND" + HELD;
    /** The changes not yet delivered to a target. */
    private static final String UNDELIVERED = "SELECT COUNT(*) FROM (" + HubHome.UNDELIVERED + ") u";

    /** Where the work was when a kill struck, from the store and inboxes the kill left; a kill may strike several. */
    enum Phase { FILE_INGEST, HTTP_INGEST, JDBC_INGEST, MERGE, SYNC }

    /** The sources: file, HTTP and database, each exporting changes as files. */
    private static final String FILE = "crm";
    private static final String HTTP = "shop";
    private static final String JDBC = "oa";

    /** Kept when the test fails: the killed run's store and targets are what tells why. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void killedAtRandomPointsOfIngestMergingAndSyncEveryRestartProgressesAndTheEndIsTheUninterruptedRunsEnd() throws Exception {
        SyntheticPeople.Dataset data = SyntheticPeople.write(dir.resolve("people"), RECORDS, SEED);
        Instant stamped = Instant.parse("2026-11-30T08:00:00Z");
        try (KeysetApi api = new KeysetApi(SyntheticPeople.stamped(file(data, HTTP), stamped));
             ScratchDatabase database = ScratchDatabase.open("PostgreSQL", dir, "kill points", "unused", "kill_oa_")) {
            fill(database, SyntheticPeople.stamped(file(data, JDBC), stamped));
            Path password = Files.writeString(dir.resolve("oa-password"), "\n");
            Sources sources = new Sources(data, api, database, password);
            List<String> stores = new ArrayList<>();
            try {
                HubHome uninterrupted = store(home(dir.resolve("uninterrupted"), sources), database, stores);
                HubProcess once = HubProcess.start(uninterrupted, uninterrupted.storeOptions(), "--once");
                assertThat(once.waitFor(Duration.ofMinutes(15))).as(once.output()).isZero();
                killAndRestart(store(home(dir.resolve("killed"), sources), database, stores), uninterrupted, data);
            } finally {
                stores.forEach(store -> database.execute("DROP DATABASE IF EXISTS " + store + " WITH (FORCE)"));
            }
        }
    }

    /** {@code home} with its store on a PostgreSQL database of its own (named in {@code stores}), or as it is for H2. */
    private static HubHome store(HubHome home, ScratchDatabase server, List<String> stores) {
        if (STORE.equals("h2")) {
            return home;
        }
        String name = "kill_store_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        server.execute("CREATE DATABASE " + name);
        stores.add(name);
        return home.withStore(server.url.substring(0, server.url.lastIndexOf('/') + 1) + name, server.user);
    }

    private void killAndRestart(HubHome killed, HubHome uninterrupted, SyntheticPeople.Dataset data) throws Exception {
        Random random = new Random(SEED);
        Map<Phase, Integer> kills = new EnumMap<>(Phase.class);
        Map<String, Long> records = perSource(uninterrupted);
        int early = 0;
        long progress = 0;
        long window = 0;
        Set<Phase> ingesting = EnumSet.copyOf(INGEST);
        for (int point = 0; point < KILL_POINTS; point++) {
            HubProcess hub = HubProcess.start(killed, killed.storeOptions(), "--once");
            await().atMost(Duration.ofMinutes(2)).until(() -> !hub.isAlive() || hub.output().contains(") started in"));
            // the kill point: a random moment of the restarted daemon's work; after a restart that was killed before it
            // committed anything (its start-up, such as building the blocking index, took longer), twice as long. While
            // a source is still being read that has had fewer than PER_PHASE kills, the moments are shorter, so that
            // the reads (done early, side by side) are struck as often as the merging and the sync that go on after
            boolean ingestWanted = ingesting.stream().anyMatch(phase -> kills.getOrDefault(phase, 0) < PER_PHASE);
            window = window != 0 ? window * 2 : ingestWanted ? 300 + random.nextInt(1_200) : 1_000 + random.nextInt(5_000);
            // the restart either finishes the work by itself within the window, or is killed at its end
            if (hub.endsWithin(Duration.ofMillis(window))) {
                assertThat(hub.waitFor(Duration.ZERO)).as(hub.output()).isZero();
                break;
            }
            String threads = hub.threadDump();
            hub.kill();
            Set<Phase> phases = phases(killed, records);
            phases.forEach(phase -> kills.merge(phase, 1, Integer::sum));
            ingesting = EnumSet.copyOf(phases);
            ingesting.retainAll(INGEST);
            long after = progress(killed);
            if (after > progress) {
                window = 0;
            } else {
                early++;
                assertThat(window).as("kill point %d (%s): the restart before it made no progress in %d s; its output:%n%s%n"
                        + "its threads:%n%s", point, phases, window / 1000, hub.output(), threads).isLessThan(MAX_WINDOW_MILLIS);
            }
            progress = after;
        }
        HubProcess last = HubProcess.start(killed, killed.storeOptions(), "--once");
        assertThat(last.waitFor(Duration.ofMinutes(15))).as(last.output()).isZero();
        System.out.printf("[kill-points] %d records, kills per phase %s, %d of them before the restart had committed anything"
                + " (its next restart ran twice as long); restarts without progress in %d s: 0%n", data.records(), kills, early,
                MAX_WINDOW_MILLIS / 1000);

        assertThat(count(killed, "SELECT COUNT(*) FROM customer_source")).isEqualTo(data.records());
        assertThat(count(killed, "SELECT COUNT(*) FROM (SELECT DISTINCT source, source_key FROM customer_source) k"))
                .as("no record stored twice").isEqualTo(data.records());
        assertThat(count(killed, "SELECT COUNT(*) FROM golden_pending")).isZero();
        assertThat(count(killed, "SELECT COUNT(*) FROM quarantine")).isZero();
        assertThat(count(killed, UNDELIVERED) + count(killed, "SELECT COUNT(*) FROM sync_outbox WHERE status = 'DEAD'"))
                .as("every change delivered").isZero();
        assertThat(count(killed, "SELECT COUNT(*) FROM customer WHERE status = 'ACTIVE'"))
                .as("every golden record has its source records")
                .isEqualTo(count(killed, "SELECT COUNT(DISTINCT customer_id) FROM customer_source"));
        assertEnd(killed, uninterrupted, "SELECT COUNT(*) FROM customer WHERE status = 'ACTIVE'", "golden records");
        for (HubHome home : List.of(uninterrupted, killed)) {
            assertThat(count(home, WRITTEN)).as(() -> String.format("golden records written to each system that holds none of"
                    + " their records, in the %s run (%s); those not written, with their outbox rows and history:%n%s",
                    home == killed ? "killed" : "uninterrupted", home.root(), unwritten(home))).isEqualTo(count(home, TO_WRITE));
        }
        assertEnd(killed, uninterrupted, TO_WRITE, "golden records written to each system that holds none of their records");
    }

    /** The three systems the hub reads, as both runs share them: they only read from the API and the table. */
    private record Sources(SyntheticPeople.Dataset data, KeysetApi api, ScratchDatabase database, Path password) {
    }

    private HubHome home(Path root, Sources sources) throws Exception {
        HubHome home = HubHome.copyOfProject(Files.createDirectories(root));
        home.declareFileSource(FILE, "csv", SyntheticPeople.MAPPING, true);
        home.drop(FILE, FILE + ".csv", Files.readAllBytes(file(sources.data(), FILE)));
        Map<String, String> api = new LinkedHashMap<>();
        api.put("url", sources.api().url());
        api.put("record-path", "data");
        api.put("cursor", "composite");
        api.put("paging", "keyset");
        api.put("page-size", "200");
        api.put("poll-interval", "500");
        Map<String, String> table = new LinkedHashMap<>();
        table.put("url", sources.database().url);
        table.put("user", sources.database().user);
        table.put("password-file", sources.password().toString());
        table.put("table", sources.database().table);
        table.put("key-column", "id");
        table.put("updated-column", "updated_at");
        table.put("time-zone", "UTC");
        // committed in batches as small as the API's pages, so that its read lasts as long and kills strike it as often
        table.put("batch-size", "200");
        table.put("poll-interval", "500");
        Map<String, String> export = Map.of("format", "csv");
        Path declarations = root.resolve("routes/sources");
        Files.writeString(declarations.resolve(HTTP + ".camel.yaml"), SourceDeclaration.ingestAndSync(HTTP, "http-source", api,
                "file-sync", export, SyntheticPeople.POLLED_MAPPING));
        Files.writeString(declarations.resolve(JDBC + ".camel.yaml"), SourceDeclaration.ingestAndSync(JDBC, "jdbc-source", table,
                "file-sync", export, SyntheticPeople.POLLED_MAPPING));
        return home;
    }

    private static Path file(SyntheticPeople.Dataset data, String source) {
        return data.files().stream().filter(file -> file.getFileName().toString().equals(source + ".csv")).findFirst().orElseThrow();
    }

    /** The database system's table: the records' columns as text, {@code updated_at} a timestamp (UTC). */
    private static void fill(ScratchDatabase database, List<Map<String, String>> records) throws Exception {
        List<String> columns = SyntheticPeople.COLUMNS;
        database.execute("CREATE TABLE " + database.table + " (" + columns.stream().map(column -> column + " TEXT")
                .collect(Collectors.joining(", ")) + ", updated_at TIMESTAMP NOT NULL, PRIMARY KEY (id))");
        String insert = "INSERT INTO " + database.table + " (" + String.join(", ", columns) + ", updated_at) VALUES ("
                + "?, ".repeat(columns.size()) + "?)";
        try (Connection connection = database.connect(); PreparedStatement statement = connection.prepareStatement(insert)) {
            for (Map<String, String> record : records) {
                for (int i = 0; i < columns.size(); i++) {
                    String value = record.get(columns.get(i));
                    statement.setString(i + 1, value == null || value.isEmpty() ? null : value);
                }
                statement.setObject(columns.size() + 1, LocalDateTime.ofInstant(Instant.parse(record.get("updated_at")), ZoneOffset.UTC));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    /** Records stored per source, at the end of the uninterrupted run: each source's whole input. */
    private static Map<String, Long> perSource(HubHome home) {
        Map<String, Long> records = new TreeMap<>();
        home.query("SELECT source, COUNT(*) AS n FROM customer_source GROUP BY source")
                .forEach(row -> records.put((String) row.get("source"), ((Number) row.get("n")).longValue()));
        return records;
    }

    /** Work done, as the store shows it: records stored, golden records written, changes read by the targets, merges left. */
    private static long progress(HubHome home) {
        return count(home, "SELECT COUNT(*) FROM customer_source") + count(home, "SELECT COUNT(*) FROM customer_history")
                + count(home, "SELECT COALESCE(SUM(seq), 0) FROM sync_cursor")
                - count(home, "SELECT COUNT(*) FROM golden_pending");
    }

    private static Set<Phase> phases(HubHome home, Map<String, Long> records) {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        Map<String, Long> stored = perSource(home);
        if (!home.files("inbox", FILE).isEmpty()) {
            phases.add(Phase.FILE_INGEST);
        }
        if (stored.getOrDefault(HTTP, 0L) < records.get(HTTP)) {
            phases.add(Phase.HTTP_INGEST);
        }
        if (stored.getOrDefault(JDBC, 0L) < records.get(JDBC)) {
            phases.add(Phase.JDBC_INGEST);
        }
        if (count(home, "SELECT COUNT(*) FROM golden_pending") > 0) {
            phases.add(Phase.MERGE);
        }
        if (count(home, UNDELIVERED) > 0) {
            phases.add(Phase.SYNC);
        }
        return phases;
    }

    /**
     * The killed run's figure against the uninterrupted run's. Three sources are read side by side, so the order in
     * which records meet differs from run to run even without kills, and a few borderline pairs can end either way.
     */
    private static void assertEnd(HubHome killed, HubHome uninterrupted, String sql, String what) {
        long expected = count(uninterrupted, sql);
        System.out.printf("[kill-points] %s: %d killed, %d uninterrupted%n", what, count(killed, sql), expected);
        assertThat(count(killed, sql)).as(what).isBetween(expected * 995 / 1000, expected * 1005 / 1000 + 1);
    }

    /** Up to five golden records not written to a system that holds none of their records, with what the store knows. */
    private static String unwritten(HubHome home) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> row : home.query(TO_WRITE.replace("SELECT COUNT(*)", "SELECT c.id AS id, t.target AS target")
                + " AND NOT" + HELD + " ORDER BY c.id")) {
            if (text.length() > 20_000) {
                break;
            }
            text.append(row).append("\n  outbox: ").append(home.query("SELECT id, status, created_at FROM sync_outbox"
                    + " WHERE customer_id = ? AND target = ? ORDER BY id", row.get("id"), row.get("target")))
                    .append("\n  history: ").append(home.query("SELECT change_type, source, source_key, other_customer_id"
                    + " FROM customer_history WHERE customer_id = ? ORDER BY id", row.get("id"))).append('\n');
        }
        return text.toString();
    }

    private static long count(HubHome home, String sql) {
        return ((Number) home.query(sql).get(0).values().iterator().next()).longValue();
    }
}
