package io.customerhub.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.customerhub.connect.FileFormat;
import io.customerhub.ingest.RecordReader;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.OutboundChange;
import io.customerhub.record.SourceRecord;
import io.customerhub.record.WriteOutcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.customerhub.record.CanonicalField.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The file export on real files, read back by the hub's own reader with the same mapping: what the
 * hub reads from the file it wrote must be what it wrote, or echo suppression cannot recognise it.
 */
class FileSyncWriterTest {

    private static final Instant NOW = Instant.parse("2026-12-01T08:30:15.123Z");

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"UTF-8, false", "GBK, false", "UTF-8, true"})
    void crmCsvWithChineseHeadersReadsBackToTheSameValues(String charset, boolean bom) throws Exception {
        String mapping = crmMapping();
        FileSyncWriter writer = writer("crm", "csv", mapping, w -> {
            w.getOptions().put("charset", charset);
            w.getOptions().put("bom", String.valueOf(bom));
        });
        List<OutboundChange> changes = List.of(
                change(7, "C1001", values(FULL_NAME, "张伟", GENDER, "M", BIRTH_DATE, "1985-03-12", PHONE, "+8613800138000",
                        EMAIL, "zhang.wei@example.com", PROVINCE, "广东省", CITY, "广州市", DISTRICT, "天河区",
                        STREET, "天河路 385 号, 2 栋", POSTAL_CODE, "510620", COMPANY, "广州\"天河\"贸易有限公司")),
                change(8, "01JD5Z", values(FULL_NAME, "欧阳娜娜", STREET, "漕溪北路 88 号\n3 楼", NATIONAL_ID, "110101199007081228")));

        assertThat(writer.write(changes).stream().map(WriteOutcome::error).toList()).containsExactly(null, null);

        Path file = onlyFile("crm-20261201-083015123-7.csv");
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes.length >= 3 && bytes[0] == (byte) 0xEF && bytes[1] == (byte) 0xBB && bytes[2] == (byte) 0xBF).isEqualTo(bom);
        String text = new String(bytes, Charset.forName(charset)).replace("\uFEFF", "");
        assertThat(text).startsWith("客户编号,姓名,性别,出生日期,手机,邮箱,省份,城市,区县,地址,邮编,公司,身份证号\r\n")
                .contains("\"天河路 385 号, 2 栋\"", "\"广州\"\"天河\"\"贸易有限公司\"", "\"漕溪北路 88 号\n3 楼\"");
        assertThat(writer.fields()).containsExactlyInAnyOrder(SOURCE_KEY, FULL_NAME, GENDER, BIRTH_DATE, PHONE, EMAIL,
                PROVINCE, CITY, DISTRICT, STREET, POSTAL_CODE, COMPANY, NATIONAL_ID);

        List<SourceRecord> read = read(file, FileFormat.of("crm", "csv", charset, ",", "\"", "", "", ""), mapping);
        assertRoundTrip(writer, changes, read);
    }

    @Test
    void delimiterQuoteAndLineBreaksInValuesAreQuotedAndReadBack() throws Exception {
        String mapping = "key: id\nfields:\n  fullName: name\n  street: street\n  company: company\n";
        FileSyncWriter writer = writer("erp", "csv", mapping, w -> {
            w.getOptions().put("delimiter", ";");
            w.getOptions().put("quote", "'");
        });
        List<OutboundChange> changes = List.of(change(3, "K;1", values(FULL_NAME, "O'Brien; Pat",
                STREET, "line one\r\nline two", COMPANY, "plain")));

        writer.write(changes).stream().map(WriteOutcome::error).toList();

        Path file = onlyFile("erp-20261201-083015123-3.csv");
        assertThat(Files.readString(file)).isEqualTo("id;name;street;company\r\n'K;1';'O''Brien; Pat';'line one\r\nline two';plain\r\n");
        assertRoundTrip(writer, changes, read(file, FileFormat.of("erp", "csv", "UTF-8", ";", "'", "", "", ""), mapping));
    }

    /** The OWASP CSV-injection rule: a spreadsheet opening the export runs none of these; numbers stay numbers. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '#', quoteCharacter = '`', value = {
            "neutralize # '=HYPERLINK(\"http://x\";\"y\") # '@SUM(A1) # '-2+3+cmd|' /C calc'!A0 # '+x # +86 138-0013-8000 # -12.50",
            "keep       # =HYPERLINK(\"http://x\";\"y\")  # @SUM(A1)  # -2+3+cmd|' /C calc'!A0  # +x  # +86 138-0013-8000 # -12.50"})
    void valuesASpreadsheetWouldRunAsFormulasAreNeutralizedUnlessKept(String formulas, String name, String street,
                                                                       String company, String city, String phone, String district) throws Exception {
        String mapping = "key: id\nfields:\n  fullName: name\n  street: street\n  company: company\n  city: city\n  phone: phone\n"
                + "  district: district\n";
        FileSyncWriter writer = writer("crm", "csv", mapping, w -> w.getOptions().put("formulas", formulas));

        writer.write(List.of(change(5, "K1", values(FULL_NAME, "=HYPERLINK(\"http://x\";\"y\")", STREET, "@SUM(A1)",
                COMPANY, "-2+3+cmd|' /C calc'!A0", CITY, "+x", PHONE, "+86 138-0013-8000", DISTRICT, "-12.50"))));

        List<SourceRecord> read = read(onlyFile("crm-20261201-083015123-5.csv"), FileFormat.of("crm", "csv", "UTF-8", ",", "\"", "", "", ""),
                mapping);
        assertThat(read).singleElement().satisfies(record -> assertThat(List.of(record.value(FULL_NAME), record.value(STREET),
                record.value(COMPANY), record.value(CITY), record.value(PHONE), record.value(DISTRICT)))
                .containsExactly(name, street, company, city, phone, district));
        assertThatThrownBy(() -> writer("crm", "csv", mapping, w -> w.getOptions().put("formulas", "escape"))).hasMessageContaining("formulas");
    }

    @Test
    void jsonNestsDottedPathsUnderTheRecordPath() throws Exception {
        String mapping = """
                key: id
                updated-at: updatedAt
                fields:
                  givenName: firstName
                  email: contact.email
                  phone: { first-of: ["phones[*].number"] }
                  city: address.city
                  postalCode: address.zip
                  street: { concat: [address.line1, address.line2], separator: ", " }
                """;
        FileSyncWriter writer = writer("shop", "json", mapping, w -> w.getOptions().put("record-path", "data.customers"));
        List<OutboundChange> changes = List.of(
                change(11, "S-1", values(GIVEN_NAME, "Anna \"Ann\"", EMAIL, "anna@example.com", PHONE, "+4915112345678",
                        CITY, "Berlin", POSTAL_CODE, "10115", STREET, "not written back")),
                change(12, "S-2", values(GIVEN_NAME, "李明")));

        writer.write(changes).stream().map(WriteOutcome::error).toList();

        Path file = onlyFile("shop-20261201-083015123-11.json");
        JsonNode document = JsonMapper.builder().build().readTree(file.toFile());
        JsonNode first = document.path("data").path("customers").get(0);
        assertThat(first.path("contact").path("email").asText()).isEqualTo("anna@example.com");
        assertThat(first.path("phones").get(0).path("number").asText()).isEqualTo("+4915112345678");
        assertThat(first.path("address").path("zip").asText()).isEqualTo("10115");
        assertThat(first.has("address.line1")).isFalse();
        // unknown values are left out, not written as blanks that would clear the target's
        assertThat(document.path("data").path("customers").get(1).has("contact")).isFalse();
        assertThat(writer.fields()).doesNotContain(STREET);

        assertRoundTrip(writer, changes, read(file, FileFormat.of("shop", "json", "UTF-8", ",", "\"", "", "", "data.customers"), mapping));
    }

    @Test
    void xmlHasOneRecordElementPerChangeWithAttributesAndEscapedText() throws Exception {
        String mapping = """
                key: "@no"
                fields:
                  fullName: name
                  email: mail
                  company: company
                  city: office.city
                  street: office.address
                """;
        FileSyncWriter writer = writer("oa", "xml", mapping, w -> {
            w.getOptions().put("charset", "GBK");
            w.getOptions().put("record-element", "employee");
            w.getOptions().put("record-path", "staff");
        });
        List<OutboundChange> changes = List.of(
                change(21, "E<1>", values(FULL_NAME, "张三 & 李四", COMPANY, "<示例集团> \"总部\"", CITY, "北京市", STREET, "长安街 1 号")),
                change(22, "E2", values(EMAIL, "e2@example.com", STREET, "第一行\r\n第二行\r第三行\n]]>")),
                change(23, "E\n3", values(EMAIL, "e3@example.com")));

        assertThat(writer.write(changes).stream().map(WriteOutcome::error).toList()).containsExactly(null, null, "sourceKey holds a tab or line break, which the XML attribute @no cannot carry");
        changes = changes.subList(0, 2);

        Path file = onlyFile("oa-20261201-083015123-21.xml");
        String text = Files.readString(file, Charset.forName("GBK"));
        assertThat(text).startsWith("<?xml version=\"1.0\" encoding=\"GBK\"?>")
                .contains("<staff>", "<employee no=\"E&lt;1&gt;\">", "<name>张三 &amp; 李四</name>", "<city>北京市</city>",
                        "<address>第一行&#xD;\n第二行&#xD;第三行\n]]&gt;</address>")
                .doesNotContain("E\n3");
        assertRoundTrip(writer, changes, read(file, FileFormat.of("oa", "xml", "GBK", ",", "\"", "", "employee", ""), mapping));
    }

    @Test
    void theDeletionFlagHasItsOwnColumn() throws Exception {
        String mapping = "key: id\ndeleted: is_deleted\nfields:\n  fullName: name\n";
        FileSyncWriter writer = writer("erp", "csv", mapping, w -> { });
        List<OutboundChange> changes = List.of(change(5, "A", true, values(FULL_NAME, "甲")), change(6, "B", false, values(FULL_NAME, "乙")));

        writer.write(changes).stream().map(WriteOutcome::error).toList();

        Path file = onlyFile("erp-20261201-083015123-5.csv");
        assertThat(Files.readString(file)).isEqualTo("id,name,is_deleted\r\nA,甲,true\r\nB,乙,false\r\n");
        List<SourceRecord> read = read(file, FileFormat.of("erp", "csv", "UTF-8", ",", "\"", "", "", ""), mapping);
        assertThat(read).extracting(SourceRecord::deleted).containsExactly(true, false);
    }

    @Test
    void theBasedOnColumnCarriesTheRecordsChangeTimeAsLastRead() throws Exception {
        String mapping = "key: id\nupdated-at: changed\nfields:\n  fullName: name\n";
        FileSyncWriter writer = writer("crm", "csv", mapping, w -> w.getOptions().put("based-on-column", "based_on"));
        Instant read = Instant.parse("2026-12-01T08:00:01.250Z");
        List<OutboundChange> changes = List.of(
                new OutboundChange(7, "crm", "01JD5Z7", "A", false, false, values(FULL_NAME, "甲"), NOW, read),
                new OutboundChange(8, "crm", "01JD5Z8", "B", true, false, values(FULL_NAME, "乙"), NOW, null));

        writer.write(changes);

        assertThat(Files.readString(onlyFile("crm-20261201-083015123-7.csv")))
                .as("the time as read for a record it holds, nothing for a new one")
                .isEqualTo("id,name,based_on\r\nA,甲,2026-12-01T08:00:01.250Z\r\nB,乙,\r\n");
        assertThatThrownBy(() -> writer("crm", "csv", mapping, w -> w.getOptions().put("based-on-column", "name")))
                .hasMessageContaining("based-on-column name is a column of the mapping");
    }

    @Test
    void aRetryWritesTheSameContentAgain() throws Exception {
        FileSyncWriter writer = writer("crm", "csv", crmMapping(), w -> { });
        List<OutboundChange> changes = List.of(change(9, "C1", values(FULL_NAME, "张伟", PHONE, "+8613800138000")));

        writer.write(changes).stream().map(WriteOutcome::error).toList();
        writer.setClock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
        writer.write(changes).stream().map(WriteOutcome::error).toList();

        List<Path> files = files();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("crm-20261201-083015123-9.csv", "crm-20261201-083115123-9.csv");
        assertThat(Files.readAllBytes(files.get(0))).isEqualTo(Files.readAllBytes(files.get(1)));
    }

    @Test
    void aValueTheCharsetCannotHoldIsRefusedAndTheOthersAreWritten() throws Exception {
        FileSyncWriter writer = writer("crm", "csv", crmMapping(), w -> w.getOptions().put("charset", "GBK"));
        List<OutboundChange> changes = List.of(change(1, "C1", values(FULL_NAME, "张伟 😀")), change(2, "C2", values(FULL_NAME, "王芳")));

        List<String> results = writer.write(changes).stream().map(WriteOutcome::error).toList();

        assertThat(results.get(0)).contains("fullName", "GBK");
        assertThat(results.get(1)).isNull();
        String text = Files.readString(onlyFile("crm-20261201-083015123-2.csv"), Charset.forName("GBK"));
        assertThat(text).contains("C2,王芳").doesNotContain("C1");
    }

    @Test
    void noChangesWriteNoFile() throws Exception {
        FileSyncWriter writer = writer("crm", "csv", crmMapping(), w -> { });

        assertThat(writer.write(List.of()).stream().map(WriteOutcome::error).toList()).isEmpty();
        assertThat(Files.exists(dir.resolve("out"))).isFalse();
    }

    @Test
    void aFolderThatCannotBeCreatedFailsTheWholeCall() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        FileSyncWriter writer = writer("crm", "csv", crmMapping(), w -> w.getOptions().put("directory", file.resolve("out").toString()));

        assertThatThrownBy(() -> writer.write(List.of(change(1, "C1", values(FULL_NAME, "张伟")))).stream().map(WriteOutcome::error).toList()).isInstanceOf(IOException.class);
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void aFailedRenameLeavesNeitherTheFileNorItsTemporary() throws Exception {
        FileSyncWriter writer = writer("crm", "csv", crmMapping(), w -> { });
        // the file's name is taken by a folder that is not empty, so the rename fails after the content is written
        Path taken = Files.createDirectories(dir.resolve("out").resolve("crm-20261201-083015123-1.csv"));
        Files.writeString(taken.resolve("keep"), "x");

        assertThatThrownBy(() -> writer.write(List.of(change(1, "C1", values(FULL_NAME, "张伟")))).stream().map(WriteOutcome::error).toList()).isInstanceOf(IOException.class);
        assertThat(files()).containsExactly(taken.resolve("keep"));
    }

    @Test
    void theDefaultFolderIsTheSourcesOutboxUnderTheDataFolder() {
        FileSyncWriter writer = new FileSyncWriter();
        writer.getOptions().put("source", "crm");
        writer.getOptions().put("format", "csv");
        writer.getOptions().put("mapping", crmMapping());
        writer.setDataDir(dir.toString());
        writer.init();

        assertThat(writer.folder()).isEqualTo(dir.resolve("outbox").resolve("crm"));
    }

    @Test
    void badParametersFailAtInit() {
        assertThatThrownBy(() -> writer("oa", "xml", "key: id\nfields:\n  fullName: name\n", w -> { }))
                .hasMessageContaining("recordElement");
        assertThatThrownBy(() -> writer("erp", "csv", "key: [a, b]\nfields:\n  fullName: name\n", w -> { }))
                .hasMessageContaining("key");
        assertThatThrownBy(() -> writer("shop", "json", "key: id\nfields:\n  fullName: name\n  givenName: name.given\n", w -> { }))
                .hasMessageContaining("name.given");
        assertThatThrownBy(() -> writer("crm", "csv", crmMapping(), w -> {
            w.getOptions().put("charset", "GBK");
            w.getOptions().put("bom", "true");
        })).hasMessageContaining("bom");
        assertThatThrownBy(() -> writer("crm", "csv", "", w -> { })).hasMessageContaining("mapping");
        assertThatThrownBy(() -> writer("../crm", "csv", crmMapping(), w -> { })).hasMessageContaining("source");
    }

    // ---

    private FileSyncWriter writer(String source, String format, String mapping, Consumer<FileSyncWriter> settings) {
        FileSyncWriter writer = new FileSyncWriter();
        writer.getOptions().put("source", source);
        writer.getOptions().put("format", format);
        writer.getOptions().put("mapping", mapping);
        writer.getOptions().put("directory", dir.resolve("out").toString());
        writer.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        settings.accept(writer);
        writer.init();
        return writer;
    }

    /** The mapping of the project's CRM source, as its route file declares it. */
    @SuppressWarnings("unchecked")
    static String crmMapping() {
        try {
            Object routes = new Load(LoadSettings.builder().build()).loadFromString(Files.readString(Path.of("routes/sources/crm.camel.yaml")));
            Map<String, Object> templated = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) routes).get(0)).get("templatedRoute");
            for (Object parameter : (List<Object>) templated.get("parameters")) {
                Map<String, Object> p = (Map<String, Object>) parameter;
                if ("mapping".equals(p.get("name"))) {
                    return (String) p.get("value");
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no mapping in routes/sources/crm.camel.yaml");
    }

    private static OutboundChange change(long id, String key, Map<CanonicalField, String> values) {
        return change(id, key, false, values);
    }

    private static OutboundChange change(long id, String key, boolean deleted, Map<CanonicalField, String> values) {
        return new OutboundChange(id, "t", "01JD5Z" + id, key, false, deleted, values, NOW);
    }

    private static Map<CanonicalField, String> values(Object... pairs) {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((CanonicalField) pairs[i], (String) pairs[i + 1]);
        }
        return values;
    }

    private static List<SourceRecord> read(Path file, FileFormat settings, String mapping) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterator<SourceRecord> it = new RecordReader(settings, FieldMapping.parse(mapping)).read(in, file.getFileName().toString());
            it.forEachRemaining(records::add);
        }
        return records;
    }

    /** Per change, the record read back holds exactly the values written of the fields the target holds. */
    private static void assertRoundTrip(FileSyncWriter writer, List<OutboundChange> changes, List<SourceRecord> read) {
        assertThat(read).hasSameSizeAs(changes);
        for (int i = 0; i < changes.size(); i++) {
            SourceRecord record = read.get(i);
            assertThat(record.error()).isNull();
            Map<CanonicalField, String> written = new EnumMap<>(CanonicalField.class);
            Map<CanonicalField, String> back = new EnumMap<>(CanonicalField.class);
            for (CanonicalField field : writer.fields()) {
                if (changes.get(i).value(field) != null) {
                    written.put(field, changes.get(i).value(field));
                }
                if (record.value(field) != null) {
                    back.put(field, record.value(field));
                }
            }
            assertThat(back).as("record %d", i).isEqualTo(written);
        }
    }

    private Path onlyFile(String name) throws IOException {
        List<Path> files = files();
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(name);
        return files.get(0);
    }

    /** Every file under the output folder, hidden ones included. */
    private List<Path> files() throws IOException {
        Path out = dir.resolve("out");
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }
}
