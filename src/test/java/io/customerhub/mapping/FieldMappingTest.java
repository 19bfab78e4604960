package io.customerhub.mapping;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static io.customerhub.record.CanonicalField.FULL_NAME;
import static io.customerhub.record.CanonicalField.SOURCE_KEY;
import static io.customerhub.record.CanonicalField.SOURCE_UPDATED_AT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldMappingTest {

    /** As the sources read JSON: numbers keep the digits they were written with. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .build();

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "name                                              | {\"name\":\"Ada Lovelace\"}                 | Ada Lovelace",
            "contact.email                                     | {\"contact\":{\"email\":\"a@x.cn\"}}        | a@x.cn",
            "phones[0].number                                  | {\"phones\":[{\"number\":\"1\"},{\"number\":\"2\"}]} | 1",
            "phones[-1].number                                 | {\"phones\":[{\"number\":\"1\"},{\"number\":\"2\"}]} | 2",
            "phones[*].number                                  | {\"phones\":[{\"number\":\" \"},{\"number\":\"2\"}]} | 2",
            "phones[5].number                                  | {\"phones\":[{\"number\":\"1\"}]}           | ",
            "\"@id\"                                           | {\"@id\":\"7\"}                            | 7",
            "age                                               | {\"age\":42}                               | 42",
            "vip                                               | {\"vip\":false}                            | false",
            "name                                              | {\"name\":null}                            | ",
            "name                                              | {\"name\":\"   \"}                         | ",
            "{ split: name, on: \" \", index: 0 }              | {\"name\":\"Ada  King Lovelace\"}          | Ada",
            "{ split: name, on: \" \", index: -1 }             | {\"name\":\"Ada  King Lovelace\"}          | Lovelace",
            "{ split: name, on: \" \", index: 1 }              | {\"name\":\"Ada  King Lovelace\"}          | King",
            "{ split: name, on: \" \", index: 3 }              | {\"name\":\"Ada King\"}                    | ",
            "{ first-of: [mobile, tel] }                       | {\"mobile\":\"\",\"tel\":\"021\"}          | 021",
            "{ first-of: [mobile, tel] }                       | {\"other\":\"1\"}                          | ",
            "{ from: mail, default: none@example.com }         | {\"mail\":\"\"}                            | none@example.com",
            "{ from: mail, default: none@example.com }         | {\"mail\":\"m@x.cn\"}                      | m@x.cn",
            "{ constant: CN }                                  | {}                                         | CN",
            "{ concat: [a1, a2, a3], separator: \" \" }        | {\"a1\":\"Road 1\",\"a2\":\"\",\"a3\":\"Apt 2\"} | Road 1 Apt 2",
            "{ concat: [a1, a2] }                              | {\"a1\":\"上海\",\"a2\":\"南京路\"}          | 上海南京路",
            "{ concat: [a1, a2] }                              | {}                                         | ",
            "{ from: value, when: { type: email } }            | {\"type\":\"email\",\"value\":\"v@x.cn\"}  | v@x.cn",
            "{ from: value, when: { type: email } }            | {\"type\":\"phone\",\"value\":\"138\"}     | ",
            "{ first-of: [{ split: name, on: \",\", index: 1 }, name] } | {\"name\":\"solo\"}                   | solo"})
    void expressionsYieldTheirValue(String expression, String json, String expected) throws IOException {
        FieldMapping mapping = FieldMapping.parse("key: id\nfields:\n  fullName: " + expression + "\n");
        Map<CanonicalField, String> values = mapping.map(JSON.readTree(json));
        if (expected == null) {
            assertThat(values).doesNotContainKey(FULL_NAME);
        } else {
            assertThat(values).containsEntry(FULL_NAME, expected);
        }
    }

    @Test
    void compositeKeyJoinsPartsAndIsMissingWhenAPartIs() throws IOException {
        FieldMapping mapping = FieldMapping.parse("key: [region, cust_no]\nupdated-at: modified\n");
        JsonNode full = JSON.readTree("{\"region\":\"east\",\"cust_no\":\"7\",\"modified\":\"2024-01-02\"}");
        JsonNode partial = JSON.readTree("{\"cust_no\":\"7\"}");
        assertThat(mapping.map(full)).containsEntry(SOURCE_KEY, "east:7").containsEntry(SOURCE_UPDATED_AT, "2024-01-02");
        assertThat(mapping.map(partial)).isEmpty();
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "is_deleted                             | {\"is_deleted\":1}          | true",
            "is_deleted                             | {\"is_deleted\":\" YES \"} | true",
            "is_deleted                             | {\"is_deleted\":\"X\"}     | true",
            "is_deleted                             | {\"is_deleted\":true}       | true",
            "is_deleted                             | {\"is_deleted\":\"Deleted\"} | true",
            "is_deleted                             | {\"is_deleted\":0}          | ",
            "is_deleted                             | {\"is_deleted\":\"N\"}     | ",
            "is_deleted                             | {\"is_deleted\":false}      | ",
            "is_deleted                             | {\"is_deleted\":null}       | ",
            "is_deleted                             | {}                           | ",
            "is_deleted                             | {\"is_deleted\":\"maybe\"} | maybe",
            "'{ from: status, equals: D }'          | {\"status\":\" D \"}       | true",
            "'{ from: status, equals: D }'          | {\"status\":\"d\"}         | ",
            "'{ from: status, equals: D }'          | {\"status\":\"A\"}         | ",
            "'{ from: status, equals: [D, X] }'     | {\"status\":\"X\"}         | true",
            "'{ from: state, equals: 9 }'           | {\"state\":9}               | true",
            "'{ first-of: [deleted, removed] }'     | {\"removed\":\"y\"}        | true"})
    void theDeletedEntryMarksTheRecordDeleted(String expression, String json, String expected) throws IOException {
        FieldMapping mapping = FieldMapping.parse("key: id\ndeleted: " + expression + "\nfields:\n  fullName: name\n");
        Map<CanonicalField, String> values = mapping.map(JSON.readTree(json));
        if (expected == null) {
            assertThat(values).doesNotContainKey(CanonicalField.DELETED);
        } else {
            assertThat(values).containsEntry(CanonicalField.DELETED, expected);
        }
    }

    @Test
    void aDeletionOfAnUnchangedRecordIsANewDeliveryWhileLiveRecordsKeepTheirIds() throws IOException {
        FieldMapping without = FieldMapping.parse("key: id\nfields: {fullName: name}\n");
        FieldMapping with = FieldMapping.parse("key: id\ndeleted: is_deleted\nfields: {fullName: name}\n");
        JsonNode live = JSON.readTree("{\"id\":\"7\",\"name\":\"Ada\",\"is_deleted\":0}");
        JsonNode dead = JSON.readTree("{\"id\":\"7\",\"name\":\"Ada\",\"is_deleted\":1}");

        SourceRecord before = new SourceRecord("crm", "a.csv", 2, without.map(live), "{}", null);
        SourceRecord alive = new SourceRecord("crm", "b.csv", 2, with.map(live), "{}", null);
        SourceRecord deleted = new SourceRecord("crm", "c.csv", 2, with.map(dead), "{}", null);

        assertThat(alive.messageId()).as("adding the entry changes no live record's id").isEqualTo(before.messageId());
        assertThat(deleted.messageId()).isNotEqualTo(alive.messageId());
        assertThat(deleted.deleted()).isTrue();
        assertThat(alive.deleted()).isFalse();
    }

    @Test
    void aRecordOfSeveralRowsIsDeletedWhenOneOfThemSaysSo() throws IOException {
        FieldMapping mapping = FieldMapping.parse("""
                key: id
                group-rows: true
                deleted: { from: state, equals: D }
                fields:
                  fullName: name
                """);
        Map<CanonicalField, String> values = mapping.map(List.of(
                JSON.readTree("{\"id\":\"7\",\"name\":\"Ada\",\"state\":\"A\"}"),
                JSON.readTree("{\"id\":\"7\",\"state\":\"D\"}")));

        assertThat(values).containsEntry(CanonicalField.DELETED, "true").containsEntry(FULL_NAME, "Ada");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "'fields: {fullName: name}'                                   | key",
            "'key: id\nfields: {nickName: nick}'                          | fields.nickName",
            "'key: id\nfields: {nickName: nick}'                          | unknown canonical field 'nickName'",
            "'key: id\nfields: {sourceKey: id}'                           | fields.sourceKey",
            "'key: id\ncolumns: x'                                        | unknown entry 'columns'",
            "'key: id\ngroup-rows: maybe'                                 | group-rows",
            "'key: id\nfields: {givenName: {split: name, on: \" \"}}'     | fields.givenName.index",
            "'key: id\nfields: {givenName: {split: name, index: x}}'      | fields.givenName.index",
            "'key: id\nfields: {phone: {first-of: mobile}}'               | fields.phone.first-of",
            "'key: id\nfields: {phone: {from: a, constant: b}}'           | fields.phone: expected exactly one of",
            "'key: id\nfields: {phone: {from: a, fallback: b}}'           | fields.phone: unknown option 'fallback'",
            "'key: id\nfields: {phone: {from: a, when: email}}'           | fields.phone.when",
            "'key: id\nfields: {phone: \"tels[x]\"}'                       | fields.phone: bad path",
            "'key: id\nfields: {phone: 42}'                               | fields.phone",
            "'key: id\nfields:\n  phone: a\n  phone: b'                   | phone",
            "'key: [id\n'                                                 | not valid YAML",
            "'- just\n- a list'                                           | expected a map",
            "'key: id\nfields: {deleted: is_deleted}'                     | fields.deleted: set it with the top-level deleted entry",
            "'key: id\ndeleted: {equals: D}'                              | deleted: expected the field that holds the flag",
            "'key: id\ndeleted: {from: status, equals: []}'               | deleted.equals: expected a value or a non-empty list",
            "'key: id\ndeleted: {from: status, equals: {a: b}}'           | deleted.equals",
            "'key: id\ndeleted: {from: status, equals: D, on: x}'         | deleted: unknown option 'on'",
            "'key: id\ndeleted: {from: status, is: D}'                    | deleted: unknown option 'is'",
            "'key: id\ndeleted: [a, b]'                                   | deleted: expected a field name",
            "'key: id\ndelete: flag'                                      | expected one of key, updated-at, deleted, group-rows, type, fields",
            "'key: id\ntype: robot'                                       | type: expected person or organization but was 'robot'",
            "'key: id\ntype: organization\nfields: {customerType: kind}' | takes the type from fields.customerType already"})
    void badDeclarationsNameTheEntry(String yaml, String expectedInMessage) {
        assertThatThrownBy(() -> FieldMapping.parse(yaml))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedInMessage);
    }
}
