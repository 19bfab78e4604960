package io.customerhub.ingest;

import io.customerhub.connect.FileFormat;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.customerhub.record.CanonicalField.CITY;
import static io.customerhub.record.CanonicalField.EMAIL;
import static io.customerhub.record.CanonicalField.FULL_NAME;
import static io.customerhub.record.CanonicalField.PHONE;
import static io.customerhub.record.CanonicalField.STREET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XmlReadingTest {

    private static final FieldMapping MAPPING = FieldMapping.parse("""
            key: "@id"
            fields:
              fullName: name
              city: address.city
              street: { concat: ["address.line[0]", "address.line[1]"], separator: " " }
              phone: "phone[-1]"
              email: { from: "contact", when: { "contact.@type": email } }
            """);

    @TempDir
    Path dir;

    @Test
    void attributesNestedAndRepeatedElementsBecomeATree() throws IOException {
        String text = """
                <?xml version="1.0" encoding="UTF-8"?>
                <export>
                  <customers>
                    <customer id="1">
                      <name>张三</name>
                      <address><city>上海</city><line>1 Road</line><line>Apt 2</line></address>
                      <phone>138</phone>
                      <phone>139</phone>
                      <contact type="email">z@example.com</contact>
                    </customer>
                    <customer id="2"><name>李四 &amp; Co</name><phone>150</phone><empty/></customer>
                  </customers>
                </export>
                """;
        List<SourceRecord> records = read(text.getBytes(StandardCharsets.UTF_8), "");
        assertThat(records).extracting(SourceRecord::position).containsExactly(4L, 11L);
        assertThat(records.get(0).values())
                .containsEntry(FULL_NAME, "张三").containsEntry(CITY, "上海").containsEntry(STREET, "1 Road Apt 2")
                .containsEntry(PHONE, "139").containsEntry(EMAIL, "z@example.com");
        assertThat(records.get(0).payload()).isEqualTo("{\"@id\":\"1\",\"name\":\"张三\","
                + "\"address\":{\"city\":\"上海\",\"line\":[\"1 Road\",\"Apt 2\"]},"
                + "\"phone\":[\"138\",\"139\"],\"contact\":{\"@type\":\"email\",\"#text\":\"z@example.com\"}}");
        assertThat(records.get(1).values()).containsEntry(FULL_NAME, "李四 & Co").containsEntry(PHONE, "150").doesNotContainKey(EMAIL);
    }

    @Test
    void declaredEncodingIsHonoured() throws IOException {
        String text = "<?xml version=\"1.0\" encoding=\"GBK\"?>\n<r><customer id=\"1\"><name>张三</name></customer></r>";
        assertThat(read(text.getBytes(Charset.forName("GBK")), "").get(0).value(FULL_NAME)).isEqualTo("张三");
    }

    @Test
    void configuredCharsetAppliesWithoutADeclaration() throws IOException {
        String text = "<r><customer id=\"1\"><name>张三</name></customer></r>";
        assertThat(read(text.getBytes(Charset.forName("GB18030")), "GB18030").get(0).value(FULL_NAME)).isEqualTo("张三");
    }

    @Test
    void malformedTailEndsWithOneUnparseableRecordNamingTheLine() throws IOException {
        String text = "<r>\n<customer id=\"1\"><name>a</name></customer>\n<customer id=\"2\"><name>b</customer>\n<customer id=\"3\"/></r>";
        List<SourceRecord> records = read(text.getBytes(StandardCharsets.UTF_8), "");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).sourceKey()).isEqualTo("1");
        assertThat(records.get(1).error()).startsWith("line 3: XML syntax error").contains("rest of the file");
    }

    @Test
    void externalEntityIsNotResolved() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String text = "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<r><customer id=\"1\"><name>&xxe;</name></customer></r>";
        List<SourceRecord> records;
        try {
            records = read(text.getBytes(StandardCharsets.UTF_8), "");
        } catch (UnreadableFileException refused) {
            return;
        }
        assertThat(records).isNotEmpty().allSatisfy(record -> {
            assertThat(record.error()).isNotNull();
            assertThat(String.valueOf(record.payload()) + record.values()).doesNotContain("TOP-SECRET");
        });
    }

    /** 100,000 nested elements in one record: that record is unreadable with the reason, the next one is read. */
    @Test
    void aRecordNestedTooDeeplyIsUnreadableAndTheRecordsAfterItAreRead() throws IOException {
        String text = "<customers><customer><id>1</id>" + "<n>".repeat(100_000) + "x" + "</n>".repeat(100_000) + "</customer>"
                + "<customer><id>2</id><name>李娜</name></customer></customers>";

        List<SourceRecord> records = read(text.getBytes(StandardCharsets.UTF_8), "");

        assertThat(records).hasSize(2);
        assertThat(records.get(0).error()).isEqualTo("line 1: the record nests elements deeper than 64 levels");
        assertThat(records.get(1).error()).isNull();
        assertThat(records.get(1).values()).containsEntry(CanonicalField.FULL_NAME, "李娜");
    }

    /** Found by fuzzing: the JDK's parser fails on this with a MissingResourceException, not a syntax error. */
    @Test
    void aControlCharacterInTheDoctypeMakesTheFileUnreadable() {
        String text = "<?xml version=\"1.0\"?><!DOCTYPE customers [\u0001]><customers><customer id=\"1\"><name>A</name></customer></customers>";

        assertThatThrownBy(() -> read(text.getBytes(StandardCharsets.UTF_8), ""))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageStartingWith("not XML");
    }

    @Test
    void fileThatIsNotXmlIsUnreadable() {
        assertThatThrownBy(() -> read("id,name\n1,a\n".getBytes(StandardCharsets.UTF_8), ""))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageStartingWith("not XML");
    }

    private List<SourceRecord> read(byte[] bytes, String charset) throws IOException {
        Path file = Files.write(dir.resolve("people.xml"), bytes);
        return CsvReadingTest.readFile(FileFormat.of("erp", "xml", charset, "", "", "", "customer", ""), MAPPING, file);
    }
}
