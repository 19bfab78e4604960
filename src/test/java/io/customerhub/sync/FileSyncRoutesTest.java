package io.customerhub.sync;

import io.customerhub.ops.HubControl;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The {@code file-sync} template in the real hub with the real outbox and delivery stage,
 * instantiated as routes/README.md shows it: in the source's own file, the mapping shared with its
 * {@code file-source} through a YAML anchor. Customers the OA delivers are exported to the CRM;
 * the CRM's file read back joins them without a second export (echo suppression).
 */
class FileSyncRoutesTest {

    @TempDir
    Path dir;

    @Test
    void goldenRecordsOfAnotherSourceAreExportedInTheCrmsShapeAndTheirEchoSendsNothing() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Files.writeString(home.root().resolve("routes/sources/crm.camel.yaml"), readmeExample(), StandardCharsets.UTF_8);

        try (RunningHub hub = RunningHub.start(home, Map.of("hub.sync.interval", "200"))) {
            assertThat(hub.camel().getRoute("crm-sync").getDescription()).isNotBlank();
            home.dropSample("oa", "staff.xml");
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.query("SELECT * FROM golden_pending").isEmpty()
                    && hub.query("SELECT COUNT(*) AS n FROM customer").get(0).get("n").equals(2L));
            assertThat(home.files("outbox", "crm")).as("nothing goes to the CRM before its first export is read").isEmpty();

            // the CRM's first export (none of these customers in it): the hub knows what the CRM holds
            home.drop("crm", "first.csv", "客户编号,姓名,性别,出生日期,手机,邮箱,省份,城市,区县,地址,邮编,公司,身份证号\r\n"
                    .getBytes(StandardCharsets.UTF_8));
            await().atMost(Duration.ofSeconds(30)).until(() -> home.files("outbox", "crm").stream()
                    .anyMatch(file -> !file.getFileName().toString().startsWith(".")));
            assertThat(home.files("outbox", "crm")).as("one file, no temporary file left").hasSize(1);
            Path written = home.files("outbox", "crm").get(0);
            assertThat(written.getFileName().toString()).matches("crm-\\d{8}-\\d{9}-\\d+\\.csv");
            String goldenLiu = hub.query("SELECT customer_id FROM customer_source WHERE source = 'oa' AND source_key = 'E-017'")
                    .get(0).get("customer_id").toString();
            assertThat(Files.readString(written)).startsWith("客户编号,姓名,性别,出生日期,手机,邮箱,省份,城市,区县,地址,邮编,公司,身份证号\r\n")
                    .contains(goldenLiu + ",刘洋,M,1987-04-18,+8618600000017,liuyang@example.cn,广东省,深圳市,,南山区科技园 1 号,,示例集团,");

            home.drop("crm", "echo.csv", Files.readAllBytes(written));
            await().atMost(Duration.ofSeconds(30)).until(() -> home.files("done", "crm").size() == 2
                    && hub.query(HubHome.UNDELIVERED).isEmpty()
                    && hub.query("SELECT * FROM golden_pending").isEmpty());
            assertThat(hub.query("SELECT source_key, customer_id, match_rule FROM customer_source WHERE source = 'crm'"))
                    .as("the exported records joined their golden records").hasSize(2)
                    .allSatisfy(row -> assertThat(row).containsEntry("match_rule", "sync:written-by-hub")
                            .containsEntry("source_key", row.get("customer_id")));
            assertThat(hub.query("SELECT COUNT(*) AS n FROM customer").get(0)).containsEntry("n", 2L);
            hub.awaitRuns("crm-sync", 2);
            assertThat(home.files("outbox", "crm")).as("the echo was not exported again").hasSize(1);

            // an operator re-exports everything (the CRM lost its import, say): sent again though the CRM holds it
            HubControl control = hub.bean("hubControl", HubControl.class);
            assertThat(control.reexport("crm")).isEqualTo("crm: 2 golden record(s) queued for delivery");
            await().atMost(Duration.ofSeconds(30)).until(() -> home.files("outbox", "crm").size() == 2
                    && hub.query(HubHome.UNDELIVERED).isEmpty());
            Path again = home.files("outbox", "crm").stream().filter(file -> !file.equals(written)).findFirst().orElseThrow();
            assertThat(Files.readString(again).lines().skip(1)).hasSize(2).anyMatch(line -> line.startsWith(goldenLiu + ",刘洋,"));
            assertThatThrownBy(() -> control.reexport("erp")).hasMessage("no sync target named erp; the targets are crm");
        }
    }

    @Test
    void theDaemonPurgesTheChangesNoOutboxRowNamesOnceTheyAreAnHourOld() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Files.writeString(home.root().resolve("routes/sources/crm.camel.yaml"), readmeExample(), StandardCharsets.UTF_8);

        try (RunningHub hub = RunningHub.start(home, Map.of("hub.sync.purge-interval", "200"))) {
            String delivered = changeId(Duration.ofHours(2));
            String failed = changeId(Duration.ofHours(2).minusSeconds(1));
            String young = changeId(Duration.ofMinutes(5));
            // the row naming a change first, as the store commits them together: a purge running between the two
            // inserts would otherwise find the change named by no row
            hub.update("INSERT INTO sync_outbox (target, customer_id, change_id, status, attempts, next_attempt_at, created_at,"
                    + " last_error) VALUES ('crm', 'golden-1', ?, 'DEAD', 10, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 'refused')", failed);
            List<String> changes = List.of(delivered, failed, young);
            for (int i = 0; i < changes.size(); i++) {
                hub.update("INSERT INTO sync_change (id, seq, customer_id, customer_status, payload, created_at)"
                        + " VALUES (?, ?, 'golden-1', 'ACTIVE', '{}', CURRENT_TIMESTAMP)", changes.get(i), i + 1);
            }
            hub.update("UPDATE store_lock SET seq = ? WHERE name = 'changes'", changes.size());

            hub.awaitRuns("change-purge", 2);
            assertThat(hub.query("SELECT id FROM sync_change ORDER BY id")).extracting(row -> row.get("id"))
                    .as("the change an outbox row still names, and the one made five minutes ago").containsExactly(failed, young);
        }
    }

    /** The id of a change made {@code ago}: a version 7 UUID, as the store writes them. */
    private static String changeId(Duration ago) {
        return new UUID((System.currentTimeMillis() - ago.toMillis()) << 16 | 0x7000L, 0x8000_0000_0000_0000L).toString();
    }

    /** The first YAML example of the README's "Sync back: file export" section. */
    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of("routes/README.md"));
        int section = readme.indexOf("## Sync back: file export");
        assertThat(section).as("README section").isPositive();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }
}
