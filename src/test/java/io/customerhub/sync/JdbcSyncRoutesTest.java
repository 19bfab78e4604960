package io.customerhub.sync;

import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import io.customerhub.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The jdbc-sync template in the real in-process daemon with the real outbox and delivery stage,
 * beside the jdbc-source of the same database sharing its mapping by a YAML anchor (as
 * routes/README.md shows it), against the real PostgreSQL as the ERP: an edit that arrives from
 * the CRM is upserted into the ERP's row, and the ERP's next poll of that row sends nothing anywhere.
 */
class JdbcSyncRoutesTest {

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

    @Test
    void anEditFromTheCrmIsUpsertedIntoTheErpAndItsEchoSendsNothing() throws Exception {
        database = TargetDatabase.open("PostgreSQL", dir);
        database.execute("INSERT INTO " + database.table + " (kunnr, name1, email, birth_date, mobile, changed_at, deleted)"
                + " VALUES (1042, 'Wang Fang', 'wang.fang@example.com', DATE '1990-07-08', '+8613800138000',"
                + " TIMESTAMP '2026-11-26 08:00:00', FALSE)");
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
                        value: %4$s
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
                        value: %4$s
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
                """.formatted(database.url, secret, database.table, database.user));
        hub = RunningHub.start(home, Map.of("hub.sync.interval", "200"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !hub.query(
                "SELECT * FROM customer_source WHERE source = 'erp' AND source_key = '1042'").isEmpty());
        hub.awaitRuns("erp-sync", 2);
        assertThat(hub.query(HubHome.UNDELIVERED)).as("the ERP holds its own record already: nothing to send").isEmpty();
        assertThat(hub.query("SELECT * FROM sync_state")).isEmpty();

        // the CRM knows her new e-mail (same phone, a later change)
        home.drop("crm", "crm-1127.csv", ("客户编号,姓名,手机,邮箱,更新时间\n"
                + "C2002,Wang Fang,138 0013 8000,fang.wang@example.com,2026-11-27 09:00:00\n").getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> "fang.wang@example.com".equals(TargetDatabase.rows(database).get(0).get("email")));
        assertThat(TargetDatabase.rows(database)).singleElement().satisfies(row -> assertThat(row)
                .containsEntry("kunnr", 1042L).containsEntry("name1", "Wang Fang").containsEntry("mobile", "+8613800138000")
                .containsEntry("deleted", false));
        // the ERP's poll reads the row the hub wrote: not a change, nothing is sent anywhere
        await().atMost(Duration.ofSeconds(20)).until(() -> "fang.wang@example.com".equals(hub.query(
                "SELECT email FROM customer_source WHERE source = 'erp' AND source_key = '1042'").get(0).get("email")));
        hub.awaitRuns("erp-sync", 2);
        assertThat(hub.query(HubHome.UNDELIVERED)).as("delivered, and nothing new queued").isEmpty();
        assertThat(hub.query("SELECT target, target_key FROM sync_state")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("target", "erp").containsEntry("target_key", "1042"));
        assertThat(hub.camel().getRoute("erp-sync").getDescription()).isNotBlank();
    }
}
