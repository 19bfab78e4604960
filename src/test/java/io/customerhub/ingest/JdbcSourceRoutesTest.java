package io.customerhub.ingest;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.ScratchDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jdbc-source template in the real in-process daemon, polling a real table on PostgreSQL,
 * MariaDB and H2: keyset paging across batch boundaries, the overlap window, updated rows, and the
 * overlap's unchanged rows skipped before the pipeline.
 */
class JdbcSourceRoutesTest {

    /** Microseconds: what all three databases keep. */
    static final LocalDateTime T0 = LocalDateTime.of(2026, 11, 30, 10, 0, 0, 123_456_000);

    @TempDir
    Path dir;

    ScratchDatabase database;
    RunningHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
        if (database != null) {
            database.close();
        }
    }

    /** A home with {@code routes/sources/erp.camel.yaml} reading {@code database}, the password from a secret file. */
    static HubHome homeReading(Path dir, String url, String user, String table, int batchSize) throws IOException {
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        Path secret = Files.writeString(dir.resolve("erp-password"), "\n");
        // batchSize < 1: the template's default, hub.ingest.batch-size
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: jdbc-source
                    routeId: erp-ingest
                    parameters:
                      - name: source
                        value: erp
                      - name: url
                        value: "%s"
                      - name: user
                        value: %s
                      - name: password-file
                        value: "%s"
                      - name: table
                        value: %s
                      - name: updated-column
                        value: updated_at
                      - name: key-column
                        value: id
                      - name: overlap
                        value: PT1H
                      - name: poll-interval
                        value: "200"
                      - name: connect-timeout
                        value: "500"
                      - name: mapping
                        value: |
                          key: id
                          updated-at: updated_at
                          fields:
                            fullName: name
                            email: email
                            company: active
                            country: { constant: CN }
                """.formatted(url, user, secret, table)
                + (batchSize < 1 ? "" : "      - name: batch-size\n        value: \"" + batchSize + "\"\n"));
        return home;
    }

    private void start(String name, int batchSize) throws IOException {
        database = SourceDatabase.open(name, dir);
        hub = RunningHub.start(homeReading(dir, database.url, database.user, database.table, batchSize), Map.of());
    }

    private List<Map<String, Object>> erpRows() {
        return hub.query("SELECT * FROM customer_source WHERE source = 'erp' ORDER BY CAST(source_key AS INT)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void rowsSharingOneUpdatedAtAcrossBatchBoundariesAreEachStoredOnce(String name) throws IOException {
        database = SourceDatabase.open(name, dir);
        for (long id = 1; id <= 7; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, T0);
        }
        hub = RunningHub.start(homeReading(dir, database.url, database.user, database.table, 3), Map.of());

        await().atMost(Duration.ofSeconds(20)).until(() -> erpRows().size() == 7);
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(
                hub.query("SELECT watermark FROM source_watermark WHERE source = 'erp'")).contains("\"key\":\"7\""));

        assertThat(erpRows()).extracting(row -> row.get("source_key"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7");
        assertThat(erpRows().get(0)).containsEntry("full_name", "Customer 1").containsEntry("email", "c1@example.com")
                .containsEntry("company", "true");
        assertThat(erpRows().get(1)).containsEntry("company", "false");
        assertThat(hub.query("SELECT watermark FROM source_watermark WHERE source = 'erp'")).singleElement()
                .satisfies(row -> assertThat(row.get("watermark").toString()).isEqualTo(
                        "{\"at\":\"2026-11-30T10:00:00.123456\",\"atType\":\"timestamp\",\"key\":\"7\",\"keyType\":\"integer\"}"));
        assertThat(hub.query("SELECT * FROM quarantine")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "MariaDB", "H2"})
    void aLateCommitInsideTheOverlapAndAnUpdatedRowAreReadOnALaterPoll(String name) throws Exception {
        database = SourceDatabase.open(name, dir);
        for (long id = 1; id <= 5; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, T0.plusSeconds(id));
        }
        hub = RunningHub.start(homeReading(dir, database.url, database.user, database.table, 2), Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> erpRows().size() == 5);
        Object firstStored = erpRows().get(0).get("updated_at");

        // committed late: its stamp is older than the watermark (T0 + 5 s) but inside the overlap
        SourceDatabase.insert(database, 6, "Customer 6", T0.minusMinutes(10));
        database.update("UPDATE " + database.table + " SET name = ?, updated_at = ? WHERE id = ?",
                "Customer Two", T0.plusMinutes(1), 2L);

        await().atMost(Duration.ofSeconds(20)).until(() -> erpRows().size() == 6
                && "Customer Two".equals(erpRows().get(1).get("full_name")));
        // more polls re-read the overlap window: its six rows, stored, are skipped before the pipeline
        double skipped = unchangedRereads();
        await().atMost(Duration.ofSeconds(20)).until(() -> unchangedRereads() >= skipped + 3 * 6);

        List<Map<String, Object>> rows = erpRows();
        assertThat(rows).extracting(row -> row.get("source_key")).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(rows.get(0).get("updated_at")).isEqualTo(firstStored);
        assertThat(rows.get(5)).containsEntry("full_name", "Customer 6");
        assertThat(hub.query("SELECT watermark FROM source_watermark WHERE source = 'erp'").get(0).get("watermark").toString())
                .contains("\"at\":\"2026-11-30T10:01:00.123456\"").contains("\"key\":\"2\"");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"PostgreSQL", "H2"})
    void rowsTheOverlapReReadsUnchangedNeverReachThePipelineAndAChangedOneIsStored(String name) throws Exception {
        database = SourceDatabase.open(name, dir);
        for (long id = 1; id <= 5; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, T0.plusSeconds(id));
        }
        hub = RunningHub.start(homeReading(dir, database.url, database.user, database.table, 2), Map.of());
        await().atMost(Duration.ofSeconds(20)).until(() -> erpRows().size() == 5);

        await().atMost(Duration.ofSeconds(20)).until(() -> unchangedRereads() >= 3 * 5);
        assertThat(records("duplicate")).as("re-deliveries that reached the dedupe stage").isZero();

        // changed in place, behind the watermark (its stamp kept): handed on and stored, then skipped again
        database.update("UPDATE " + database.table + " SET name = ? WHERE id = ?", "Customer Three", 3L);
        await().atMost(Duration.ofSeconds(20)).until(() -> "Customer Three".equals(erpRows().get(2).get("full_name")));
        double skipped = unchangedRereads();
        await().atMost(Duration.ofSeconds(20)).until(() -> unchangedRereads() >= skipped + 3 * 5);
        assertThat(records("updated")).isEqualTo(1.0);
        assertThat(records("duplicate")).isZero();
    }

    /** The hub's counter of overlap rows re-read unchanged and skipped (0 before the first). */
    private double unchangedRereads() {
        var counter = meters().find("hub.ingest.unchanged.rereads").tags("source", "erp").counter();
        return counter == null ? 0 : counter.count();
    }

    /** The hub's count of erp records by outcome: created, updated, unchanged, duplicate, quarantined. */
    private double records(String outcome) {
        return meters().get("hub.records").tags("source", "erp", "outcome", outcome).functionCounter().count();
    }

    private MeterRegistry meters() {
        return hub.camel().getRegistry().findSingleByType(MeterRegistry.class);
    }

    @Test
    void stoppingTheRouteClosesItsConnectionPoolAndStartingItReadsOn() throws Exception {
        start("H2", 3);
        SourceDatabase.insert(database, 1, "Customer 1", T0);
        await().atMost(Duration.ofSeconds(20)).until(() -> erpRows().size() == 1);
        assertThat(sessions()).isGreaterThan(1);

        hub.camel().getRouteController().stopRoute("erp-ingest");

        assertThat(sessions()).isEqualTo(1);

        // started again, it opens a new pool and reads on
        SourceDatabase.insert(database, 2, "Customer 2", T0.plusSeconds(1));
        hub.camel().getRouteController().startRoute("erp-ingest");
        await().atMost(Duration.ofSeconds(20)).until(() -> erpRows().size() == 2);
    }

    /** Open sessions of the H2 source database, this one included. */
    private long sessions() {
        try (var connection = database.connect();
             var rs = connection.createStatement().executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
