package io.customerhub.ingest;

import io.customerhub.connect.FileFormat;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.customerhub.record.CanonicalField.EMAIL;
import static io.customerhub.record.CanonicalField.FULL_NAME;
import static io.customerhub.record.CanonicalField.PHONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonReadingTest {

    private static final FieldMapping MAPPING = FieldMapping.parse("""
            key: id
            fields:
              fullName: name
              email: contact.email
              phone: { first-of: ["phones[*].number", tel] }
            """);

    @TempDir
    Path dir;

    @Test
    void rootArrayIsReadRecordByRecordWithTheLineOfEachObject() throws IOException {
        String text = """
                [
                  {"id": 1, "name": "张三", "contact": {"email": "z@example.com"},
                   "phones": [{"number": ""}, {"number": "138"}]},
                  {"id": 2.50, "name": "李四", "tel": 139, "vip": true}
                ]
                """;
        List<SourceRecord> records = read("", text);
        assertThat(records).extracting(SourceRecord::position).containsExactly(2L, 4L);
        assertThat(records.get(0).values()).containsEntry(EMAIL, "z@example.com").containsEntry(PHONE, "138");
        assertThat(records.get(1).sourceKey()).as("numbers as written").isEqualTo("2.50");
        assertThat(records.get(1).value(PHONE)).isEqualTo("139");
        assertThat(records.get(1).payload()).isEqualTo("{\"id\":2.50,\"name\":\"李四\",\"tel\":139,\"vip\":true}");
    }

    @Test
    void arrayElementThatIsNotAnObjectIsUnparseable() throws IOException {
        List<SourceRecord> records = read("", "[{\"id\":1},\n42,\n{\"id\":3}]");
        assertThat(records).extracting(SourceRecord::error)
                .containsExactly(null, "line 2: expected a JSON object, found a number", null);
    }

    @Test
    void brokenArrayEndsWithOneUnparseableRecordNamingTheLine() throws IOException {
        List<SourceRecord> records = read("", "[\n{\"id\":1},\n{\"id\":2,,}\n,{\"id\":3}]");
        assertThat(records).hasSize(2);
        assertThat(records.get(0).sourceKey()).isEqualTo("1");
        assertThat(records.get(1).error()).startsWith("line 3: JSON syntax error").endsWith("the rest of the file was not read");
    }

    @Test
    void ndjsonBadLineIsUnparseableAndReadingGoesOn() throws IOException {
        String text = "{\"id\":1,\"name\":\"a\"}\n\n{\"id\":2,\"name\":\n{\"id\":3,\"name\":\"c\"}\n[1]\n";
        List<SourceRecord> records = read("", text);
        assertThat(records).extracting(SourceRecord::position).containsExactly(1L, 3L, 4L, 5L);
        assertThat(records.get(0).value(FULL_NAME)).isEqualTo("a");
        assertThat(records.get(1).error()).startsWith("line 3: not a JSON object");
        assertThat(records.get(1).payload()).isEqualTo("\"{\\\"id\\\":2,\\\"name\\\":\"");
        assertThat(records.get(2).value(FULL_NAME)).isEqualTo("c");
        assertThat(records.get(3).error()).isEqualTo("line 5: expected a JSON object, found an array");
    }

    @Test
    void recordsAtARecordPathAreFoundPastOtherFields() throws IOException {
        String text = """
                {"meta": {"count": 2, "tags": ["a", {"b": [1]}]},
                 "data": {"page": 1,
                   "customers": [
                     {"id": "c1", "name": "张三"},
                     {"id": "c2", "name": "李四"}
                   ]},
                 "after": "ignored"}
                """;
        List<SourceRecord> records = read("data.customers", text);
        assertThat(records).extracting(SourceRecord::sourceKey).containsExactly("c1", "c2");
        assertThat(records).extracting(SourceRecord::position).containsExactly(4L, 5L);
    }

    @Test
    void missingRecordPathMakesTheFileUnreadable() {
        assertThatThrownBy(() -> read("data.customers", "{\"data\": {\"clients\": []}}"))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageContaining("recordPath 'data.customers' not found");
    }

    @Test
    void fileThatIsNotJsonIsUnreadable() {
        assertThatThrownBy(() -> read("", "id,name\n1,a\n"))
                .isInstanceOf(UnreadableFileException.class)
                .hasMessageStartingWith("not JSON");
    }

    @Test
    void emptyFileHasNoRecords() throws IOException {
        assertThat(read("", "  \n")).isEmpty();
    }

    private List<SourceRecord> read(String recordPath, String text) throws IOException {
        Path file = Files.writeString(dir.resolve("people.json"), text, StandardCharsets.UTF_8);
        return CsvReadingTest.readFile(FileFormat.of("crm", "json", "", "", "", "", "", recordPath), MAPPING, file);
    }
}
