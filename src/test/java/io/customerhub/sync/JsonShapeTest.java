package io.customerhub.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.customerhub.mapping.FieldMapping;
import io.customerhub.record.CanonicalField;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonShapeTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonShape shape(String mapping) {
        return JsonShape.of(FieldMapping.parse(mapping).writableFields());
    }

    @Test
    void pathsBecomeNestedObjectsAndArrays() throws Exception {
        JsonShape shape = shape("""
                key: "@id"
                fields:
                  email: contact.email
                  phone: { first-of: ["phones[*].number", tel] }
                  city: address.city
                  street: address.lines[1]
                """);

        var document = shape.document(Map.of(CanonicalField.SOURCE_KEY, "C1", CanonicalField.EMAIL, "a@b.cn",
                CanonicalField.PHONE, "+8613800138000", CanonicalField.CITY, "Hangzhou", CanonicalField.STREET, "1 West Lake Rd"));

        assertThat(document).isEqualTo(JSON.readTree("""
                {"@id": "C1", "contact": {"email": "a@b.cn"}, "phones": [{"number": "+8613800138000"}],
                 "address": {"city": "Hangzhou", "lines": [null, "1 West Lake Rd"]}}"""));
    }

    @Test
    void unknownValuesAreLeftOut() throws Exception {
        JsonShape shape = shape("""
                key: id
                fields: { email: contact.email, city: address.city }
                """);

        assertThat(shape.document(Map.of(CanonicalField.SOURCE_KEY, "C1", CanonicalField.CITY, "Xi'an")))
                .isEqualTo(JSON.readTree("{\"id\": \"C1\", \"address\": {\"city\": \"Xi'an\"}}"));
    }

    @Test
    void fieldsWrittenAtTheSamePlaceAreRefused() {
        assertThatThrownBy(() -> shape("""
                key: id
                fields: { email: contact, phone: contact.phone }
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is written where another field already is");
        assertThatThrownBy(() -> shape("""
                key: id
                fields: { email: mail, phone: mail }
                """)).isInstanceOf(IllegalArgumentException.class);
    }
}
