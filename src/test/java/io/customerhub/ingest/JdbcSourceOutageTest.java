package io.customerhub.ingest;

import io.customerhub.ops.PolledSources;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.TcpForwarder;
import io.customerhub.testing.ScratchDatabase;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database source that is down when the daemon starts and for a while after (a real refused
 * connection: the JDBC URL points at a local port that only later forwards to PostgreSQL): the
 * daemon starts, a file source keeps flowing meanwhile, and once the database is reachable every
 * row arrives exactly once. A database whose table is locked, so that the source's query waits: readiness names the
 * stuck source while the other sources go on, and once the lock is released every row arrives.
 */
class JdbcSourceOutageTest {

    @TempDir
    Path dir;

    ScratchDatabase database;
    TcpForwarder proxy;
    RunningHub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aDatabaseDownAtStartCatchesUpWithNothingLostWhileFilesKeepFlowing() throws Exception {
        database = SourceDatabase.open("PostgreSQL", dir);
        for (long id = 1; id <= 12; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, JdbcSourceRoutesTest.T0.plusSeconds(id % 4));
        }
        proxy = new TcpForwarder(5432);
        String url = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/test";
        // no batch-size parameter: the template's default, hub.ingest.batch-size (5 here)
        HubHome home = JdbcSourceRoutesTest.homeReading(dir, url, database.user, database.table, 0);
        hub = RunningHub.start(home,
                Map.of("hub.poll.retry-delay", "200", "hub.poll.retry-max-delay", "500", "hub.ingest.batch-size", "5"));

        await().atMost(Duration.ofSeconds(10)).until(() -> hub.bean("polledSources", PolledSources.class).down().containsKey("erp"));
        home.dropSample("crm", "customers-20261125.csv");
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.query("SELECT * FROM customer_source WHERE source = 'crm'").isEmpty());
        // and down for a while longer, failing poll after poll
        hub.awaitRuns("erp-ingest", 3);
        assertThat(hub.query("SELECT * FROM customer_source WHERE source = 'erp'")).isEmpty();
        assertThat(hub.bean("polledSources", PolledSources.class).down().get("erp")).contains("Connection refused");

        proxy.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> hub.query("SELECT * FROM customer_source WHERE source = 'erp'").size() == 12);
        await().atMost(Duration.ofSeconds(10)).until(() -> hub.bean("polledSources", PolledSources.class).down().isEmpty());
        List<Object> keys = hub.query("SELECT source_key FROM customer_source WHERE source = 'erp'").stream()
                .map(row -> row.get("source_key")).toList();
        assertThat(keys).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 12).mapToObj(Long::toString).toList());
        assertThat(hub.query("SELECT * FROM quarantine WHERE source = 'erp'")).isEmpty();
    }

    @Test
    void aSourceQueryWaitingOnALockedTableIsAStuckStageInReadinessWhileFilesKeepFlowing() throws Exception {
        database = SourceDatabase.open("PostgreSQL", dir);
        for (long id = 1; id <= 5; id++) {
            SourceDatabase.insert(database, id, "Customer " + id, JdbcSourceRoutesTest.T0.plusSeconds(id));
        }
        HubHome home = JdbcSourceRoutesTest.homeReading(dir, database.url, database.user, database.table, 0);
        try (Connection erpUser = database.connect(); Statement lock = erpUser.createStatement()) {
            // an ERP job holds the table: the source's query waits for it, with no error and no end
            erpUser.setAutoCommit(false);
            lock.execute("LOCK TABLE " + database.table + " IN ACCESS EXCLUSIVE MODE");
            hub = RunningHub.start(home, Map.of("hub.stages.stuck-after", "1500", "hub.stages.check-interval", "200"));
            HealthCheck stages = HealthCheckRegistry.get(hub.camel()).getCheck("stages").orElseThrow();
            await().atMost(Duration.ofSeconds(20)).until(() -> stages.callReadiness().getState() == HealthCheck.State.DOWN);
            assertThat(stages.callReadiness().getMessage()).hasValueSatisfying(message ->
                    assertThat(message).startsWith("stuck: erp-ingest (no step finished for ").doesNotContain("crm"));

            home.dropSample("crm", "customers-20261125.csv");
            await().atMost(Duration.ofSeconds(20)).until(() -> !hub.query("SELECT * FROM customer_source WHERE source = 'crm'").isEmpty()
                    && home.files("inbox", "crm").isEmpty());
            assertThat(stages.callReadiness().getDetails()).containsKey("erp-ingest").doesNotContainKey("crm-ingest");
            assertThat(hub.query("SELECT * FROM customer_source WHERE source = 'erp'")).isEmpty();
            erpUser.rollback();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> hub.query("SELECT * FROM customer_source WHERE source = 'erp'").size() == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> HealthCheckRegistry.get(hub.camel()).getCheck("stages").orElseThrow()
                .callReadiness().getState() == HealthCheck.State.UP);
    }
}
