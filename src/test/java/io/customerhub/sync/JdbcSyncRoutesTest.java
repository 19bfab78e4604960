package io.customerhub.sync;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.apache.camel.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jdbc-sync template in the real in-process daemon, beside the jdbc-source of the same
 * database sharing its mapping by a YAML anchor (as routes/README.md shows it), with a probe in
 * place of the sync-target stage: the route hands over its writer and target, the writer upserts
 * into the table, and the source reads the row back into the store.
 */
class JdbcSyncRoutesTest {

    @TempDir
    Path dir;

    TargetDatabase database;
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

    @Test
    void theTemplateHandsItsWriterToTheStageAndTheSourceReadsTheWrittenRowBack() throws Exception {
        database = TargetDatabase.open("H2", dir);
        HubHome home = HubHome.copyOfProject(dir.resolve("home"));
        Path secret = Files.writeString(dir.resolve("erp-password"), "\n");
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: jdbc-source
                    routeId: erp-ingest
                    parameters:
                      - name: source
                        value: erp
                      - name: url
                        value: "%1$s"
                      - name: user
                        value: sa
                      - name: password-file
                        value: "%2$s"
                      - name: table
                        value: %3$s
                      - name: updated-column
                        value: changed_at
                      - name: key-column
                        value: kunnr
                      - name: poll-interval
                        value: "200"
                      - name: mapping
                        value: &erp-mapping |
                          key: kunnr
                          updated-at: changed_at
                          deleted: deleted
                          fields:
                            fullName: name1
                            email: email
                            birthDate: birth_date
                            phone: { first-of: [mobile, tel] }
                            country: { constant: CN }
                - templatedRoute:
                    routeTemplateRef: jdbc-sync
                    routeId: erp-sync
                    parameters:
                      - name: source
                        value: erp
                      - name: url
                        value: "%1$s"
                      - name: user
                        value: sa
                      - name: password-file
                        value: "%2$s"
                      - name: table
                        value: %3$s
                      - name: key-column
                        value: kunnr
                      - name: updated-column
                        value: changed_at
                      - name: deleted-column
                        value: deleted
                      - name: mapping
                        value: *erp-mapping
                """.formatted(database.url, secret, database.table));
        // the lead's sync-target stage is not in this branch: a probe stands in for it
        Files.writeString(home.root().resolve("routes/stages/sync-target-probe.camel.yaml"), """
                - beans:
                    - name: syncTargetProbe
                      type: "#class:io.customerhub.sync.SyncTargetProbe"
                - route:
                    id: sync-target-probe
                    description: Stands in for the sync-target stage in tests
                    from:
                      uri: direct:sync-target
                      steps:
                        - bean:
                            ref: syncTargetProbe
                            method: deliver
                """);

        hub = RunningHub.start(home, Map.of("hub.sync.interval", "200"));
        SyncTargetProbe probe = hub.bean("syncTargetProbe", SyncTargetProbe.class);

        await().atMost(Duration.ofSeconds(20)).until(() -> probe.deliveries().size() >= 2);
        SyncTargetProbe.Delivery delivery = probe.deliveries().get(0);
        assertThat(delivery.target()).isEqualTo("erp");
        assertThat(delivery.writer()).isInstanceOf(JdbcSyncWriter.class);
        assertThat(delivery.errors()).containsExactly((String) null);
        assertThat(probe.deliveries()).allSatisfy(d -> assertThat(d.writer()).isSameAs(delivery.writer()));
        assertThat(database.rows()).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("kunnr", 1042L).containsEntry("name1", "Wang Fang").containsEntry("mobile", "+8613800138000")
                .containsEntry("deleted", false));
        Route route = hub.camel().getRoute("erp-sync");
        assertThat(route.getDescription()).isNotBlank();
        assertThat(route.getEndpoint().getEndpointUri()).startsWith("timer://erp-sync");

        // the row the writer wrote comes back through the source with the golden values
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.query(
                "SELECT * FROM customer_source WHERE source = 'erp' AND source_key = '1042'").isEmpty());
        List<Map<String, Object>> stored = hub.query("SELECT * FROM customer_source WHERE source = 'erp'");
        assertThat(stored).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("full_name", "Wang Fang").containsEntry("email", "wang.fang@example.com")
                .containsEntry("phone", "+8613800138000"));

        hub.camel().getRouteController().stopRoute("erp-sync");
        assertThat(hub.camel().getRouteController().getRouteStatus("erp-sync").isStopped()).isTrue();
    }
}
