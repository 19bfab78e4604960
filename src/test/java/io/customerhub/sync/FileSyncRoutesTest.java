package io.customerhub.sync;

import io.customerhub.record.CanonicalField;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.apache.camel.ExchangeProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code file-sync} template in the real hub, instantiated as routes/README.md shows it: in the
 * source's own file, the mapping shared with its {@code file-source} through a YAML anchor. The
 * delivery stage is the lead's; here a stand-in consumes {@code direct:sync-target} and hands the
 * writer one change, and the file written is then dropped into the source's inbox, closing the loop.
 */
class FileSyncRoutesTest {

    @TempDir
    Path dir;

    @Test
    void theReadmeExampleSharesTheMappingThroughAnAnchorAndItsFileReadsBackIntoTheStore() throws Exception {
        HubHome home = HubHome.copyOfProject(dir);
        Files.writeString(home.root().resolve("routes/sources/crm.camel.yaml"), readmeExample(), StandardCharsets.UTF_8);
        Files.writeString(home.root().resolve("routes/stages/sync-target-stand-in.camel.yaml"), """
                - route:
                    id: sync-target-stand-in
                    description: "Test stand-in for the delivery stage: writes one change with the writer it is given"
                    from:
                      uri: direct:sync-target
                      steps:
                        - bean:
                            beanType: io.customerhub.sync.FileSyncRoutesTest$StandIn
                            method: deliver
                """);

        try (RunningHub hub = RunningHub.start(home, Map.of("hub.sync.interval", "3600000"))) {
            assertThat(hub.camel().getRoute("crm-sync").getDescription()).isNotBlank();
            await().atMost(Duration.ofSeconds(20)).until(() -> home.files("outbox", "crm").stream()
                    .anyMatch(file -> !file.getFileName().toString().startsWith(".")));
            assertThat(home.files("outbox", "crm")).as("no temporary file left").hasSize(1);
            Path written = home.files("outbox", "crm").get(0);
            assertThat(written.getFileName().toString()).matches("crm-\\d{8}-\\d{9}-41\\.csv");
            assertThat(Files.readString(written)).isEqualTo("""
                    客户编号,姓名,性别,出生日期,手机,邮箱,省份,城市,区县,地址,邮编,公司,身份证号\r
                    C9001,欧阳娜娜,F,2001-06-15,+8613600136000,nana@example.com,上海市,上海市,徐汇区,"漕溪北路 88 号, 3 楼",200030,,\r
                    """);

            home.drop("crm", "echo.csv", Files.readAllBytes(written));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> home.files("done", "crm").size() == 1 && hub.camel().getInflightRepository().size() == 0);
            List<Map<String, Object>> rows = hub.query("SELECT * FROM customer_source WHERE source = 'crm' AND source_key = 'C9001'");
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0)).containsEntry("full_name", "欧阳娜娜").containsEntry("gender", "F")
                    .containsEntry("phone", "+8613600136000").containsEntry("email", "nana@example.com")
                    .containsEntry("street", "漕溪北路 88 号, 3 楼").containsEntry("country", "CN");
        }
    }

    /** The first YAML example of the README's "Sync back: file export" section. */
    static String readmeExample() throws Exception {
        String readme = Files.readString(Path.of("routes/README.md"));
        int section = readme.indexOf("## Sync back: file export");
        assertThat(section).as("README section").isPositive();
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        return readme.substring(start, readme.indexOf("```", start));
    }

    /** Stands in for the lead's delivery stage: one change for the target the route names. */
    public static final class StandIn {
        public void deliver(SyncWriter writer, @ExchangeProperty("hubTarget") String target) throws Exception {
            List<String> results = writer.write(List.of(new OutboundChange(41, target, "01JD5ZGOLDEN", "C9001", false, false,
                    Map.of(CanonicalField.FULL_NAME, "欧阳娜娜", CanonicalField.GENDER, "F", CanonicalField.BIRTH_DATE, "2001-06-15",
                            CanonicalField.PHONE, "+8613600136000", CanonicalField.EMAIL, "nana@example.com",
                            CanonicalField.PROVINCE, "上海市", CanonicalField.CITY, "上海市", CanonicalField.DISTRICT, "徐汇区",
                            CanonicalField.STREET, "漕溪北路 88 号, 3 楼", CanonicalField.POSTAL_CODE, "200030"),
                    Instant.parse("2026-12-01T08:00:00Z"))));
            if (results.get(0) != null) {
                throw new IllegalStateException(results.get(0));
            }
        }
    }
}
