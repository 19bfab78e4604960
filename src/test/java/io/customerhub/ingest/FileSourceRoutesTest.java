package io.customerhub.ingest;

import io.customerhub.ops.IngestStatistics;
import io.customerhub.store.StoreResult;
import io.customerhub.testing.HubHome;
import io.customerhub.testing.RunningHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real file-source routes, pipeline stages and H2 store, in-process, on real files: what a
 * file drop ends as in the store, the quarantine and the done/failed folders.
 */
class FileSourceRoutesTest {

    @TempDir
    Path dir;

    HubHome home;
    RunningHub hub;

    @BeforeEach
    void start() {
        home = HubHome.copyOfProject(dir);
        hub = RunningHub.start(home, Map.of("hub.cleanse.phone-area-code.crm", "010"));
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void csvJsonAndXmlSamplesLandCleansedInTheStore() {
        home.dropSample("crm", "customers-20261125.csv");
        home.dropSample("shop", "customers-api-dump.json");
        home.dropSample("oa", "staff.xml");
        awaitDone("crm", 1);
        awaitDone("shop", 1);
        awaitDone("oa", 1);

        Map<String, Object> zhang = sourceRow("crm", "C1001");
        assertThat(zhang).containsEntry("full_name", "张伟").containsEntry("family_name", "张")
                .containsEntry("given_name", "伟").containsEntry("gender", "M")
                .containsEntry("phone", "+8613800138000").containsEntry("email", "zhang.wei@example.com")
                .containsEntry("province", "广东省").containsEntry("city", "广州市").containsEntry("country", "CN");
        assertThat(zhang.get("birth_date").toString()).isEqualTo(LocalDate.of(1985, 3, 12).toString());
        assertThat(sourceRow("crm", "C1004")).containsEntry("full_name", "李强")
                .containsEntry("phone", "+8613600136000").containsEntry("email", null);

        assertThat(sourceRow("shop", "504")).containsEntry("given_name", "John")
                .containsEntry("email", "john.smith@example.com").containsEntry("country", "US");
        assertThat(sourceRow("shop", "501")).containsEntry("family_name", "O'Brien")
                .containsEntry("street", "12 George St, Level 3").containsEntry("country", "AU");

        assertThat(sourceRow("oa", "E-017")).containsEntry("full_name", "刘洋").containsEntry("city", "深圳市")
                .containsEntry("phone", "+8618600000017");
        assertThat(sourceRow("oa", "E-018")).containsEntry("gender", "F").containsEntry("province", "广东省");

        List<Map<String, Object>> quarantined = hub.query("SELECT * FROM quarantine WHERE source = ?", "crm");
        assertThat(quarantined).singleElement().satisfies(row -> {
            assertThat(row).containsEntry("source_key", "C1006").containsEntry("position", 7L)
                    .containsEntry("origin", "customers-20261125.csv");
            assertThat(row.get("reason").toString()).contains("fullName");
        });
        // Michael Chen is in the CRM and the shop (same e-mail and phone): one golden record
        assertThat(hub.query("SELECT COUNT(*) AS n FROM customer").get(0).get("n"))
                .isEqualTo((long) (6 + 4 + 2 - 1));
        assertThat(sourceRow("crm", "C1005").get("customer_id")).isEqualTo(sourceRow("shop", "502").get("customer_id"));
        // whichever of the two arrived second joined the first and says why
        assertThat(List.of(sourceRow("crm", "C1005"), sourceRow("shop", "502")))
                .filteredOn(row -> row.get("match_rule") != null).singleElement()
                .satisfies(row -> assertThat(row.get("match_details").toString()).contains("email"));
    }

    @Test
    void sameFileDroppedTwiceIsStoredOnce() {
        home.dropSample("crm", "customers-20261125.csv");
        awaitDone("crm", 1);
        List<Map<String, Object>> before = hub.query("SELECT source_key, content_hash, updated_at FROM customer_source ORDER BY source_key");

        home.dropSample("crm", "customers-20261125.csv");
        awaitDone("crm", 2);

        assertThat(hub.query("SELECT source_key, content_hash, updated_at FROM customer_source ORDER BY source_key"))
                .isEqualTo(before);
        assertThat(hub.query("SELECT COUNT(*) AS n FROM quarantine").get(0).get("n")).isEqualTo(1L);
        StoreResult crm = hub.bean("ingestStatistics", IngestStatistics.class).totals("crm");
        assertThat(crm.created()).isEqualTo(6);
        assertThat(crm.quarantined()).isEqualTo(1);
        assertThat(crm.duplicates()).isEqualTo(7);
    }

    @Test
    void malformedRowIsQuarantinedWithItsLineWhileTheRestOfTheFileIsStored() {
        String csv = """
                客户编号,姓名,性别,出生日期,手机,电话,邮箱,省份,城市,区县,地址,邮编,公司,身份证号,更新时间
                M1,周杰,男,1979-01-18,13800000001,,,,,,,,,,
                M2,林青,女,1980-02-02,13800000002,,,,,,,,,,,extra,fields
                M3,"吴 ""小"" 明",男,1981-03-03,13800000003,,,,,,,,,,
                M4,郑爽,女,1982-04-04,13800000004,,,,,,,,,,""";
        home.drop("crm", "malformed.csv", csv.getBytes(StandardCharsets.UTF_8));
        awaitDone("crm", 1);

        assertThat(hub.query("SELECT source_key FROM customer_source WHERE source = ? ORDER BY source_key", "crm"))
                .extracting(row -> row.get("source_key")).containsExactly("M1", "M3", "M4");
        assertThat(hub.query("SELECT origin, position, rule, reason FROM quarantine WHERE source = ?", "crm"))
                .singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("origin", "malformed.csv").containsEntry("position", 3L)
                            .containsEntry("rule", "parse");
                    assertThat(row.get("reason").toString()).contains("3");
                });
    }

    @Test
    void gbkCsvOfANewSourceDeclaredInYamlIsDecoded() throws Exception {
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: file-source
                    routeId: erp-ingest
                    parameters:
                      - name: source
                        value: erp
                      - name: format
                        value: csv
                      - name: charset
                        value: GBK
                      - name: delimiter
                        value: ";"
                      - name: mapping
                        value: |
                          key: no
                          fields:
                            fullName: name
                            city: city
                """);
        hub.close();
        hub = RunningHub.start(home, Map.of("hub.cleanse.phone-area-code.crm", "010"));
        home.drop("erp", "erp.csv", "no;name;city\r\nE1;上官婉儿;杭州\r\nE2;Anna Müller;深圳".getBytes(Charset.forName("GBK")));
        awaitDone("erp", 1);

        assertThat(sourceRow("erp", "E1")).containsEntry("full_name", "上官婉儿").containsEntry("family_name", "上官")
                .containsEntry("city", "杭州市").containsEntry("province", "浙江省"); // province enriched from the city
        assertThat(sourceRow("erp", "E2")).containsEntry("full_name", "Anna Müller").containsEntry("city", "深圳市")
                .containsEntry("province", "广东省").containsEntry("country", "CN");
    }

    @Test
    void aSourceOfOrganizationsAndPeopleSaysWhichEachIsAndNeverMatchesOneWithTheOther() throws Exception {
        Files.writeString(home.root().resolve("routes/sources/agency.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: file-source
                    routeId: agency-ingest
                    parameters:
                      - name: source
                        value: agency
                      - name: format
                        value: csv
                      - name: mapping
                        value: |
                          key: id
                          fields:
                            customerType: kind
                            fullName: name
                            nationalId: code
                            phone: phone
                            city: city
                """);
        hub.close();
        hub = RunningHub.start(home, Map.of());
        home.drop("agency", "sites.csv", ("id,kind,name,code,phone,city\n"
                + "A1,企业,深圳市腾达电子科技有限公司,91350100M000100Y43,0755-88886666,深圳\n"
                + "A2,company,腾达电子科技股份有限公司,91350100M000100Y43,,深圳\n"
                + "A3,企业,腾达电子科技有限公司上海分公司,,0755-88886666,上海\n"
                + "A4,person,Teng Da,,0755-88886666,深圳\n").getBytes(StandardCharsets.UTF_8));
        awaitDone("agency", 1);

        assertThat(sourceRow("agency", "A1")).containsEntry("customer_type", "ORGANIZATION")
                .containsEntry("full_name", "深圳市腾达电子科技有限公司").containsEntry("family_name", null);
        assertThat(sourceRow("agency", "A4")).containsEntry("customer_type", null).containsEntry("family_name", "Da");
        assertThat(sourceRow("agency", "A2").get("customer_id")).as("one credit code, one company")
                .isEqualTo(sourceRow("agency", "A1").get("customer_id"));
        assertThat(sourceRow("agency", "A3").get("customer_id")).as("its branch, though it shares the phone")
                .isNotEqualTo(sourceRow("agency", "A1").get("customer_id"));
        assertThat(sourceRow("agency", "A4").get("customer_id")).as("a person with the company's phone")
                .isNotEqualTo(sourceRow("agency", "A1").get("customer_id"));
        assertThat(hub.query("SELECT customer_type FROM customer WHERE id = ?", sourceRow("agency", "A1").get("customer_id")))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("customer_type", "ORGANIZATION"));
    }

    @Test
    void changedRedeliveryUpdatesTheGoldenRecordAndWritesHistory() {
        String header = "客户编号,姓名,性别,出生日期,手机,电话,邮箱,省份,城市,区县,地址,邮编,公司,身份证号,更新时间\n";
        home.drop("crm", "day1.csv", (header + "H1,孙丽,女,1990-01-01,13900000001,,sun@example.com,,,,,,,,2026-11-01 10:00:00\n")
                .getBytes(StandardCharsets.UTF_8));
        awaitDone("crm", 1);
        home.drop("crm", "day2.csv", (header + "H1,孙丽,女,1990-01-01,13900000002,,sun@example.com,,,,,,,,2026-11-02 10:00:00\n")
                .getBytes(StandardCharsets.UTF_8));
        awaitDone("crm", 2);

        assertThat(hub.query("SELECT c.phone FROM customer c JOIN customer_source s ON s.customer_id = c.id "
                + "WHERE s.source = ? AND s.source_key = ?", "crm", "H1"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("phone", "+8613900000002"));
        assertThat(hub.query("SELECT change_type, before_values, after_values FROM customer_history WHERE source_key = ?", "H1"))
                .singleElement().satisfies(row -> {
                    assertThat(row).containsEntry("change_type", "UPDATE");
                    assertThat(row.get("before_values").toString()).contains("+8613900000001");
                    assertThat(row.get("after_values").toString()).contains("+8613900000002");
                });
    }

    @Test
    void unreadableValuesAreLeftOutAndKeptAsFindingsUntilALaterVersionReadsWellAndLocalPhonesTakeTheAreaCode() {
        String header = "客户编号,姓名,性别,出生日期,手机,电话,邮箱,省份,城市,区县,地址,邮编,公司,身份证号,更新时间\n";
        home.drop("crm", "day1.csv", (header + "F1,周敏,女,1991-02-30,13900000011,,zhou@@example,,,,,,,,2026-11-01 10:00:00\n"
                + "F2,吴杰,男,1988-05-06,6552 9988,,wu@example.com,,,,,,,,2026-11-01 10:00:00\n").getBytes(StandardCharsets.UTF_8));
        awaitDone("crm", 1);

        assertThat(sourceRow("crm", "F2")).as("a local number, read with the CRM's area code (010)")
                .containsEntry("phone", "+861065529988").containsEntry("phone_raw", "6552 9988");
        assertThat(sourceRow("crm", "F1")).containsEntry("full_name", "周敏").containsEntry("birth_date", null)
                .containsEntry("email", null).containsEntry("phone", "+8613900000011");
        assertThat(hub.query("SELECT COUNT(*) AS n FROM quarantine").get(0).get("n")).isEqualTo(0L);
        assertThat(hub.query("SELECT source_key, field, rule, reason, origin, position FROM value_finding ORDER BY field"))
                .satisfiesExactly(
                        row -> assertThat(row).containsEntry("field", "birthDate").containsEntry("rule", "format:birthDate")
                                .containsEntry("source_key", "F1").containsEntry("origin", "day1.csv").containsEntry("position", 2L),
                        row -> assertThat(row).containsEntry("field", "email").containsEntry("rule", "format:email"));
        StoreResult crm = hub.bean("ingestStatistics", IngestStatistics.class).totals("crm");
        assertThat(crm.leftOut()).containsExactlyInAnyOrderEntriesOf(Map.of("birthDate", 1, "email", 1));
        assertThat(hub.bean("ingestStatistics", IngestStatistics.class).summary())
                .contains("crm: unreadable values left out of stored records (table value_finding): birthDate 1, email 1");

        // the next version reads well but for its e-mail: only that finding is left
        home.drop("crm", "day2.csv", (header + "F1,周敏,女,1991-02-28,13900000011,,zhou@@example,,,,,,,,2026-11-02 10:00:00\n")
                .getBytes(StandardCharsets.UTF_8));
        awaitDone("crm", 2);
        assertThat(sourceRow("crm", "F1").get("birth_date").toString()).isEqualTo("1991-02-28");
        assertThat(hub.query("SELECT source_key, field FROM value_finding"))
                .singleElement().satisfies(row -> assertThat(row).containsEntry("field", "email").containsEntry("source_key", "F1"));
    }

    @Test
    void aDeletedColumnInACsvDropMarksTheRecordDeletedAndALaterRowBringsItBack() throws Exception {
        Files.writeString(home.root().resolve("routes/sources/erp.camel.yaml"), """
                - templatedRoute:
                    routeTemplateRef: file-source
                    routeId: erp-ingest
                    parameters:
                      - name: source
                        value: erp
                      - name: format
                        value: csv
                      - name: mapping
                        value: |
                          key: no
                          updated-at: changed
                          deleted: deleted
                          fields:
                            fullName: name
                            phone: mobile
                """);
        hub.close();
        hub = RunningHub.start(home, Map.of("hub.cleanse.phone-area-code.crm", "010"));
        String header = "no,name,mobile,changed,deleted\n";
        home.drop("erp", "day1.csv", (header + "E1,孙丽,13900000001,2026-11-01T10:00:00Z,0\n"
                + "E2,周杰,13900000002,2026-11-01T10:00:00Z,\n").getBytes(StandardCharsets.UTF_8));
        awaitDone("erp", 1);
        // only the key and the flag: a deletion needs nothing else
        home.drop("erp", "day2.csv", (header + "E1,,,2026-11-02T10:00:00Z,1\n").getBytes(StandardCharsets.UTF_8));
        awaitDone("erp", 2);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(goldenStatusOf("erp", "E1")).isEqualTo("DELETED"));
        assertThat(sourceRow("erp", "E1")).containsEntry("status", "DELETED").containsEntry("full_name", "孙丽")
                .containsEntry("phone", "+8613900000001").containsEntry("origin", "day2.csv");
        assertThat(sourceRow("erp", "E2")).containsEntry("status", "ACTIVE");
        assertThat(goldenStatusOf("erp", "E2")).isEqualTo("ACTIVE");
        assertThat(hub.query("SELECT COUNT(*) AS n FROM quarantine").get(0).get("n")).isEqualTo(0L);
        assertThat(hub.query("SELECT change_type FROM customer_history WHERE source_key = ? ORDER BY id", "E1"))
                .extracting(row -> row.get("change_type")).containsExactly("DELETE", "UPDATE");

        home.drop("erp", "day3.csv", (header + "E1,孙丽,13900000003,2026-11-03T10:00:00Z,no\n").getBytes(StandardCharsets.UTF_8));
        awaitDone("erp", 3);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(goldenStatusOf("erp", "E1")).isEqualTo("ACTIVE"));
        assertThat(sourceRow("erp", "E1")).containsEntry("status", "ACTIVE").containsEntry("phone", "+8613900000003");
        assertThat(hub.query("SELECT c.phone FROM customer c JOIN customer_source s ON s.customer_id = c.id"
                + " WHERE s.source = ? AND s.source_key = ?", "erp", "E1").get(0)).containsEntry("phone", "+8613900000003");
    }

    private String goldenStatusOf(String source, String key) {
        return (String) hub.query("SELECT c.status FROM customer c JOIN customer_source s ON s.customer_id = c.id"
                + " WHERE s.source = ? AND s.source_key = ?", source, key).get(0).get("status");
    }

    @Test
    void unreadableFileMovesToTheFailedFolderWithItsReason() throws Exception {
        home.drop("shop", "broken.json", "this is not JSON at all".getBytes(StandardCharsets.UTF_8));
        home.dropSample("shop", "customers-api-dump.json");

        await().atMost(Duration.ofSeconds(20)).until(() -> home.files("failed", "shop").size() == 2);
        awaitDone("shop", 1);
        Path reason = home.files("failed", "shop").stream()
                .filter(p -> p.getFileName().toString().endsWith(".reason.txt")).findFirst().orElseThrow();
        assertThat(reason.getFileName().toString()).endsWith("broken.json.reason.txt");
        assertThat(Files.readString(reason)).isNotBlank();
        assertThat(home.files("inbox", "shop")).isEmpty();
        assertThat(hub.query("SELECT COUNT(*) AS n FROM customer_source WHERE source = ?", "shop").get(0).get("n"))
                .isEqualTo(4L);
    }

    /** A 0-byte file is no CSV: it ends in failed/ with its reason, not in the inbox for good (the read lock waits for data). */
    @Test
    void anEmptyFileMovesToTheFailedFolderWithItsReason() throws Exception {
        home.drop("crm", "empty.csv", new byte[0]);

        await().atMost(Duration.ofSeconds(20)).until(() -> home.files("failed", "crm").size() == 2);
        Path reason = home.files("failed", "crm").stream()
                .filter(p -> p.getFileName().toString().endsWith("empty.csv.reason.txt")).findFirst().orElseThrow();
        assertThat(Files.readString(reason)).contains("empty");
        assertThat(home.files("inbox", "crm")).isEmpty();
    }

    private Map<String, Object> sourceRow(String source, String key) {
        List<Map<String, Object>> rows = hub.query(
                "SELECT * FROM customer_source WHERE source = ? AND source_key = ?", source, key);
        assertThat(rows).as("customer_source row %s/%s", source, key).hasSize(1);
        return rows.get(0);
    }

    private void awaitDone(String source, int files) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> home.files("done", source).size() >= files && hub.camel().getInflightRepository().size() == 0);
    }
}
