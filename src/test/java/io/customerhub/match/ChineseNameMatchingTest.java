package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.customerhub.cleanse.CleansingSettings;
import io.customerhub.cleanse.CustomerCleanser;
import io.customerhub.cleanse.RecordChecker;
import io.customerhub.cleanse.ValidationRules;
import io.customerhub.record.CanonicalField;
import io.customerhub.record.CheckedBatch;
import io.customerhub.record.SourceRecord;
import io.customerhub.store.CustomerStore;
import io.customerhub.store.StoreDataSource;
import io.customerhub.store.StoreSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A person known to a Chinese CRM in Chinese characters and to a shop in pinyin (or in
 * traditional characters), cleansed by the real cleanser and stored through the real store on a
 * migrated H2 database: one golden record when birth date and phone or e-mail agree, two when
 * only the names do.
 */
class ChineseNameMatchingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> pairs() {
        Map<CanonicalField, String> crm = fields(CanonicalField.FULL_NAME, "张伟", CanonicalField.BIRTH_DATE, "1990-01-02",
                CanonicalField.PHONE, "138 0013 8000", CanonicalField.EMAIL, "zhang.wei@example.cn");
        return Stream.of(
                Arguments.of("given and family name in pinyin, same birth date and phone", crm,
                        fields(CanonicalField.GIVEN_NAME, "Wei", CanonicalField.FAMILY_NAME, "Zhang",
                                CanonicalField.BIRTH_DATE, "1990-01-02", CanonicalField.PHONE, "+86 138-0013-8000"), 1),
                Arguments.of("full name in pinyin, family name first, same birth date and e-mail", crm,
                        fields(CanonicalField.FULL_NAME, "ZHANG Wei", CanonicalField.BIRTH_DATE, "1990-01-02",
                                CanonicalField.EMAIL, "Zhang.Wei@example.cn"), 1),
                Arguments.of("full name in pinyin, given name first, same birth date and phone", crm,
                        fields(CanonicalField.FULL_NAME, "Wei Zhang", CanonicalField.BIRTH_DATE, "1990-01-02",
                                CanonicalField.PHONE, "13800138000"), 1),
                Arguments.of("traditional characters, same birth date", crm,
                        fields(CanonicalField.FULL_NAME, "張偉", CanonicalField.BIRTH_DATE, "1990-01-02"), 1),
                Arguments.of("compound surname in pinyin, same birth date and phone",
                        fields(CanonicalField.FULL_NAME, "欧阳娜娜", CanonicalField.BIRTH_DATE, "1988-07-15",
                                CanonicalField.PHONE, "139 1234 5678"),
                        fields(CanonicalField.FULL_NAME, "Nana Ouyang", CanonicalField.BIRTH_DATE, "1988-07-15",
                                CanonicalField.PHONE, "13912345678"), 1),
                Arguments.of("the same name in pinyin, another birth date and phone", crm,
                        fields(CanonicalField.FULL_NAME, "Zhang Wei", CanonicalField.BIRTH_DATE, "1975-11-30",
                                CanonicalField.PHONE, "139 8765 4321"), 2));
    }

    @ParameterizedTest(name = "{0}: {3} golden")
    @MethodSource("pairs")
    void aCrmAndAShopRecordShareAGoldenRecordWhenMoreThanTheirNamesAgree(String name, Map<CanonicalField, String> crm,
                                                            Map<CanonicalField, String> shop, int golden,
                                                            @TempDir Path directory) throws SQLException {
        RecordChecker checker = new RecordChecker(new CustomerCleanser(CleansingSettings.defaults(), ValidationRules.from(Map.of())),
                ValidationRules.from(Map.of()), RecordChecker.InvalidValues.QUARANTINE);
        StoreSettings settings = new StoreSettings("jdbc:h2:file:" + directory.resolve("store").toAbsolutePath(), "sa", "", 2);
        try (HikariDataSource dataSource = StoreDataSource.open(settings)) {
            CustomerStore store = new CustomerStore(dataSource);
            store.store(checked(checker, "crm", "C-1", crm));
            store.store(checked(checker, "shop", "S-1", shop));

            assertThat(count(dataSource, "SELECT COUNT(*) FROM customer_source")).isEqualTo(2);
            assertThat(count(dataSource, "SELECT COUNT(DISTINCT customer_id) FROM customer_source")).as(name).isEqualTo(golden);
            assertThat(count(dataSource, "SELECT COUNT(*) FROM customer")).as(name).isEqualTo(golden);
        }
    }

    private static CheckedBatch checked(RecordChecker checker, String source, String key, Map<CanonicalField, String> fields) {
        Map<CanonicalField, String> values = new EnumMap<>(fields);
        values.put(CanonicalField.SOURCE_KEY, key);
        Map<String, String> payload = new LinkedHashMap<>();
        values.forEach((field, value) -> payload.put(field.key(), value));
        try {
            CheckedBatch batch = checker.check(List.of(new SourceRecord(source, source + ".csv", 1, values,
                    JSON.writeValueAsString(payload), null)));
            assertThat(batch.rejected()).as(source + " " + fields).isEmpty();
            return batch;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<CanonicalField, String> fields(Object... pairs) {
        Map<CanonicalField, String> fields = new EnumMap<>(CanonicalField.class);
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((CanonicalField) pairs[i], (String) pairs[i + 1]);
        }
        return fields;
    }

    private static long count(HikariDataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
