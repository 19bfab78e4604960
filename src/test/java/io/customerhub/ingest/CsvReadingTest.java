package io.customerhub.ingest;

import io.customerhub.connect.FileFormat;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.customerhub.record.CanonicalField.COUNTRY;
import static io.customerhub.record.CanonicalField.EMAIL;
import static io.customerhub.record.CanonicalField.FAMILY_NAME;
import static io.customerhub.record.CanonicalField.FULL_NAME;
import static io.customerhub.record.CanonicalField.GIVEN_NAME;
import static io.customerhub.record.CanonicalField.PHONE;
import static io.customerhub.record.CanonicalField.SOURCE_KEY;
import static io.customerhub.record.CanonicalField.STREET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvReadingTest {

    private static final FieldMapping MAPPING = FieldMapping.parse("""
            key: cust_no
            fields:
              fullName: name
              phone: tel
            """);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "delimiter {0}")
    @CsvSource(delimiter = '|', value = {
            ",   | cust_no,name,tel",
            ";   | cust_no;name;tel",
            "tab | cust_no\tname\ttel",
            "\\t | cust_no\tname\ttel"})
    void delimitersAreHonoured(String delimiter, String header) throws IOException {
        char d = header.charAt(7);
        String text = header + "\n1" + d + "张三" + d + "138\n2" + d + "李四" + d + "139\n";
        List<SourceRecord> records = read(csv(delimiter, ""), text.getBytes(StandardCharsets.UTF_8));
        assertThat(records).extracting(r -> r.value(FULL_NAME)).containsExactly("张三", "李四");
        assertThat(records).extracting(r -> r.value(PHONE)).containsExactly("138", "139");
        assertThat(records).extracting(SourceRecord::position).containsExactly(2L, 3L);
    }

    @Test
    void payloadIsTheRowAsCompactJson() throws IOException {
        List<SourceRecord> records = read(csv(",", ""), "cust_no,name,tel\n1,\"Tom \"\"T\"\"\",\n".getBytes(StandardCharsets.UTF_8));
        assertThat(records.get(0).payload()).isEqualTo("{\"cust_no\":\"1\",\"name\":\"Tom \\\"T\\\"\",\"tel\":\"\"}");
        assertThat(records.get(0).values()).containsOnlyKeys(SOURCE_KEY, FULL_NAME);
    }

    @Test
    void quotedDelimiterAndEmbeddedNewlinesKeepLaterLineNumbersRight() throws IOException {
        String text = "cust_no,name,tel\n"
                + "1,\"Zhang, San\",138\n"
                + "2,\"two\nline\nname\",139\n"
                + "\n"
                + "3,\"crlf\r\nname\",140\n"
                + "4,plain,141";
        List<SourceRecord> records = read(csv(",", ""), text.getBytes(StandardCharsets.UTF_8));
        assertThat(records).extracting(SourceRecord::position).containsExactly(2L, 3L, 7L, 9L);
        assertThat(records).extracting(r -> r.value(FULL_NAME))
                .containsExactly("Zhang, San", "two\nline\nname", "crlf\r\nname", "plain");
        assertThat(records).allSatisfy(r -> assertThat(r.error()).isNull());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "LF with final newline      | cust_no,name,tel\\n1,a,1\\n2,b,2\\n",
            "LF without final newline   | cust_no,name,tel\\n1,a,1\\n2,b,2",
            "CRLF with final newline    | cust_no,name,tel\\r\\n1,a,1\\r\\n2,b,2\\r\\n",
            "CRLF without final newline | cust_no,name,tel\\r\\n1,a,1\\r\\n2,b,2",
            "blank lines between        | cust_no,name,tel\\n\\n1,a,1\\n   \\n2,b,2\\n\\n"})
    void lineEndingsAndBlankLines(String name, String escaped) throws IOException {
        String text = escaped.replace("\\r", "\r").replace("\\n", "\n");
        List<SourceRecord> records = read(csv(",", ""), text.getBytes(StandardCharsets.UTF_8));
        assertThat(records).extracting(SourceRecord::sourceKey).containsExactly("1", "2");
        assertThat(records).extracting(r -> r.value(FULL_NAME)).containsExactly("a", "b");
        assertThat(records).extracting(r -> r.value(PHONE)).containsExactly("1", "2");
        assertThat(records).allSatisfy(r -> assertThat(r.error()).isNull());
    }

    @Test
    void utf8ByteOrderMarkIsStripped() throws IOException {
        byte[] body = "cust_no,name,tel\n1,张三,138\n".getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[body.length + 3];
        bytes[0] = (byte) 0xEF;
        bytes[1] = (byte) 0xBB;
        bytes[2] = (byte) 0xBF;
        System.arraycopy(body, 0, bytes, 3, body.length);
        List<SourceRecord> records = read(csv(",", ""), bytes);
        assertThat(records.get(0).sourceKey()).isEqualTo("1");
        assertThat(records.get(0).payload()).startsWith("{\"cust_no\":");
    }

    @Test
    void utf16ByteOrderMarkWinsOverTheConfiguredCharset() throws IOException {
        byte[] bytes = "\uFEFFcust_no,name,tel\n1,张三,138\n".getBytes(StandardCharsets.UTF_16LE);
        assertThat(read(csv(",", "GBK"), bytes).get(0).value(FULL_NAME)).isEqualTo("张三");
    }

    @ParameterizedTest
    @CsvSource({"GBK", "GB18030"})
    void chineseCharsetsAreDecoded(String charset) throws IOException {
        byte[] bytes = "cust_no,name,tel\n1,张三,138\n2,欧阳娜娜,139\n".getBytes(Charset.forName(charset));
        assertThat(read(csv(",", charset), bytes)).extracting(r -> r.value(FULL_NAME)).containsExactly("张三", "欧阳娜娜");
    }

    @Test
    void gbkBytesReadAsUtf8MakeTheFileUnreadable() throws IOException {
        byte[] bytes = "cust_no,姓名,tel\n1,张三,138\n".getBytes(Charset.forName("GBK"));
        assertThatThrownBy(() -> read(csv(",", "UTF-8"), bytes))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void undecodableBytesAfterTheFirstRecordEndTheFileWithAnUnparseableRecord() throws IOException {
        byte[] head = "cust_no,name,tel\n1,a,138\n2,".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "张三".getBytes(Charset.forName("GBK"));
        byte[] bytes = new byte[head.length + bad.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(bad, 0, bytes, head.length, bad.length);
        List<SourceRecord> records = read(csv(",", ""), bytes);
        assertThat(records).hasSize(2);
        assertThat(records.get(0).error()).isNull();
        assertThat(records.get(1).position()).isEqualTo(3);
        assertThat(records.get(1).error()).startsWith("line 3:").contains("UTF-8").contains("rest of the file");
    }

    @Test
    void headerlessFileUsesTheConfiguredColumns() throws IOException {
        FileFormat settings = FileFormat.of("crm", "csv", "", "", "", "cust_no, name, tel", "", "");
        List<SourceRecord> records = read(settings, "1,张三,138\n2,李四,139\n".getBytes(StandardCharsets.UTF_8));
        assertThat(records).extracting(SourceRecord::sourceKey).containsExactly("1", "2");
        assertThat(records).extracting(SourceRecord::position).containsExactly(1L, 2L);
    }

    @Test
    void wrongFieldCountMakesOneUnparseableRecordAndNeighboursAreFine() throws IOException {
        String text = "cust_no,name,tel\n1,a,138\n2,b,139,extra\n3,c\n4,d,140\n";
        List<SourceRecord> records = read(csv(",", ""), text.getBytes(StandardCharsets.UTF_8));
        assertThat(records).extracting(SourceRecord::position).containsExactly(2L, 3L, 4L, 5L);
        assertThat(records.get(0).sourceKey()).isEqualTo("1");
        assertThat(records.get(1).error()).isEqualTo("line 3: expected 3 fields as in the header, found 4");
        assertThat(records.get(1).payload()).isEqualTo("[\"2\",\"b\",\"139\",\"extra\"]");
        assertThat(records.get(2).error()).isEqualTo("line 4: expected 3 fields as in the header, found 2");
        assertThat(records.get(3).sourceKey()).isEqualTo("4");
    }

    @Test
    void brokenQuotingEndsTheFileWithOneUnparseableRecordNamingItsLine() throws IOException {
        String text = "cust_no,name,tel\n1,a,138\n2,\"unclosed,139\n3,c,140\n";
        List<SourceRecord> records = read(csv(",", ""), text.getBytes(StandardCharsets.UTF_8));
        assertThat(records).hasSize(2);
        assertThat(records.get(1).position()).isEqualTo(3);
        assertThat(records.get(1).error()).startsWith("line 3: broken quoting");
        assertThat(records.get(1).payload()).contains("people.csv");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty file      | ''",
            "only blank lines| '\\n\\n'",
            "blank header    | ' , ,\\n1,2,3\\n'",
            "duplicate column| 'a,b,a\\n1,2,3\\n'"})
    void fileWithoutAUsableHeaderIsUnreadable(String name, String escaped) {
        byte[] bytes = escaped.replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> read(csv(",", ""), bytes)).isInstanceOf(UnreadableFileException.class);
    }

    @Test
    void headerWithDotsMatchesExactlyBeforePathParsing() throws IOException {
        FieldMapping mapping = FieldMapping.parse("""
                key: "contact.id"
                fields:
                  phone: "phones[0]"
                """);
        List<SourceRecord> records = read(csv(",", ""), mapping, "contact.id,phones[0]\n7,138\n".getBytes(StandardCharsets.UTF_8));
        assertThat(records.get(0).values()).containsEntry(SOURCE_KEY, "7").containsEntry(PHONE, "138");
    }

    @Test
    void largeFileIsStreamedLazily() throws IOException {
        Path file = dir.resolve("big.csv");
        int rows = 300_000;
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("cust_no,name,tel\n");
            for (int i = 1; i <= rows; i++) {
                out.write(i + ",\"name " + i + "\",138" + i + "\n");
            }
        }
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new java.io.FilterInputStream(Files.newInputStream(file)) {
            @Override
            public void close() throws IOException {
                closed.set(true);
                super.close();
            }
        };
        Iterator<SourceRecord> records = new RecordReader(csv(",", ""), MAPPING).read(in, "big.csv");
        long count = 0;
        long lastPosition = 0;
        while (records.hasNext()) {
            SourceRecord record = records.next();
            assertThat(record.error()).isNull();
            lastPosition = record.position();
            count++;
        }
        assertThat(count).isEqualTo(rows);
        assertThat(lastPosition).isEqualTo(rows + 1);
        assertThat(closed).as("stream closed at the end").isTrue();
    }

    @Test
    void closingTheIteratorClosesTheStream() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream in = new java.io.ByteArrayInputStream("cust_no,name,tel\n1,a,1\n2,b,2\n".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.set(true);
            }
        };
        Iterator<SourceRecord> records = new RecordReader(csv(",", ""), MAPPING).read(in, "x.csv");
        records.next();
        ((Closeable) records).close();
        assertThat(closed).isTrue();
    }

    private static FileFormat csv(String delimiter, String charset) {
        return FileFormat.of("crm", "csv", charset, delimiter, "", "", "", "");
    }

    @Test
    void groupedRowsOfAPivotedTableFormOneRecordPerCustomer() throws IOException {
        FieldMapping mapping = FieldMapping.parse("""
                key: cust_no
                group-rows: true
                fields:
                  fullName: name
                  givenName: { split: name, on: " ", index: 0 }
                  familyName: { split: name, on: " ", index: -1 }
                  email: { from: value, when: { type: email } }
                  phone: { from: value, when: { type: phone } }
                  country: { constant: CN }
                  street: { from: street, default: unknown }
                """);
        String text = """
                cust_no,name,type,value,street
                1,Ada Lovelace,email,ada@x.cn,
                1,,phone,138,
                2,Alan Turing,phone,139,
                x,y
                2,,email,alan@x.cn,Bletchley 1
                3,Grace Hopper,fax,000,
                """;
        Path file = Files.writeString(dir.resolve("pivot.csv"), text, StandardCharsets.UTF_8);
        List<SourceRecord> records = readFile(FileFormat.of("oa", "csv", "", "", "", "", "", ""), mapping, file);

        assertThat(records).extracting(SourceRecord::position).containsExactly(2L, 5L, 4L, 7L);
        SourceRecord ada = records.get(0);
        assertThat(ada.values()).containsExactlyInAnyOrderEntriesOf(Map.of(SOURCE_KEY, "1", FULL_NAME, "Ada Lovelace",
                GIVEN_NAME, "Ada", FAMILY_NAME, "Lovelace", EMAIL, "ada@x.cn", PHONE, "138", COUNTRY, "CN", STREET, "unknown"));
        assertThat(ada.payload()).isEqualTo("[{\"cust_no\":\"1\",\"name\":\"Ada Lovelace\",\"type\":\"email\",\"value\":\"ada@x.cn\",\"street\":\"\"},"
                + "{\"cust_no\":\"1\",\"name\":\"\",\"type\":\"phone\",\"value\":\"138\",\"street\":\"\"}]");
        assertThat(records.get(1).error()).isEqualTo("line 5: expected 5 fields as in the header, found 2");
        SourceRecord alan = records.get(2);
        assertThat(alan.values()).containsEntry(PHONE, "139").containsEntry(EMAIL, "alan@x.cn").containsEntry(STREET, "Bletchley 1");
        assertThat(records.get(3).values()).containsEntry(SOURCE_KEY, "3").doesNotContainKeys(EMAIL, PHONE);
    }

    private List<SourceRecord> read(FileFormat settings, byte[] bytes) throws IOException {
        return read(settings, MAPPING, bytes);
    }

    private List<SourceRecord> read(FileFormat settings, FieldMapping mapping, byte[] bytes) throws IOException {
        return readFile(settings, mapping, Files.write(dir.resolve("people.csv"), bytes));
    }

    static List<SourceRecord> readFile(FileFormat settings, FieldMapping mapping, Path file) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        new RecordReader(settings, mapping).read(Files.newInputStream(file), file.getFileName().toString())
                .forEachRemaining(records::add);
        return records;
    }
}
