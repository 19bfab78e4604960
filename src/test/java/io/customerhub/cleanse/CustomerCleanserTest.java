package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerType;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import io.customerhub.record.SourceRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CustomerCleanserTest {

    private static final Clock TODAY = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneId.of("Asia/Shanghai"));
    private final CustomerCleanser cleanser = new CustomerCleanser(
            CleansingSettings.defaults(), ValidationRules.from(Map.of()), TODAY);

    /** Columns: field delivered, value delivered, field checked, expected canonical value (empty = null). */
    @ParameterizedTest(name = "{0} ''{1}'' -> {2} ''{3}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            sourceKey       | "  C-001 "                    | sourceKey       | C-001
            fullName        | "  张   三 "                  | fullName        | 张三
            fullName        | 欧阳娜娜                      | familyName      | 欧阳
            fullName        | 欧阳娜娜                      | givenName       | 娜娜
            fullName        | 王小明                        | familyName      | 王
            fullName        | JOHN   SMITH                  | fullName        | John Smith
            fullName        | john ronald tolkien           | givenName       | John Ronald
            fullName        | "Smith, John"                 | familyName      | Smith
            fullName        | "o'brien, mary-jane"          | givenName       | Mary-Jane
            fullName        | ＪＯＨＮ　ＳＭＩＴＨ          | fullName        | John Smith
            fullName        | N/A                           | fullName        |
            familyName      | o'brien                       | familyName      | O'Brien
            gender          | 男                            | gender          | M
            gender          | " female "                    | gender          | F
            gender          | 先生                          | gender          | M
            gender          | 女士                          | gender          | F
            gender          | 1                             | gender          | M
            gender          | 2                             | gender          | F
            gender          | 9                             | gender          |
            gender          | 未知                          | gender          |
            gender          | ｍ                            | gender          | M
            birthDate       | 1990-01-02                    | birthDate       | 1990-01-02
            birthDate       | 19900102                      | birthDate       | 1990-01-02
            birthDate       | 1990/1/2                      | birthDate       | 1990-01-02
            birthDate       | 1990.1.2                      | birthDate       | 1990-01-02
            birthDate       | 02/01/1990                    | birthDate       | 1990-01-02
            birthDate       | 02-01-1990                    | birthDate       | 1990-01-02
            birthDate       | 02.01.1990                    | birthDate       | 1990-01-02
            birthDate       | 1990年1月2日                  | birthDate       | 1990-01-02
            birthDate       | 2 January 1990                | birthDate       | 1990-01-02
            birthDate       | "Jan 2, 1990"                 | birthDate       | 1990-01-02
            birthDate       | 1990-01-02T08:30:00+08:00     | birthDate       | 1990-01-02
            birthDate       | １９９０－０１－０２          | birthDate       | 1990-01-02
            sourceUpdatedAt | 2024-01-02T03:04:05Z          | sourceUpdatedAt | 2024-01-02T03:04:05Z
            sourceUpdatedAt | 2024-01-02T11:04:05+08:00     | sourceUpdatedAt | 2024-01-02T03:04:05Z
            sourceUpdatedAt | 2024-01-02 11:04:05           | sourceUpdatedAt | 2024-01-02T03:04:05Z
            sourceUpdatedAt | 2024-01-02T11:04:05           | sourceUpdatedAt | 2024-01-02T03:04:05Z
            sourceUpdatedAt | 1704164645                    | sourceUpdatedAt | 2024-01-02T03:04:05Z
            sourceUpdatedAt | 1704164645000                 | sourceUpdatedAt | 2024-01-02T03:04:05Z
            email           | " Zhang.San@Example.COM "     | email           | zhang.san@example.com
            email           | mailto:li@example.cn          | email           | li@example.cn
            email           | ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ    | email           | li@example.cn
            phone           | +86 138-0013-8000             | phone           | +8613800138000
            phone           | 0086 13800138000              | phone           | +8613800138000
            phone           | 86-13800138000                | phone           | +8613800138000
            phone           | (010) 6552 9988               | phone           | +861065529988
            phone           | 138 0013 8000                 | phone           | +8613800138000
            phone           | １３８００１３８０００        | phone           | +8613800138000
            phone           | +61 2 9876 5432               | phone           | +61298765432
            country         | cn                            | country         | CN
            country         | CHN                           | country         | CN
            country         | China                         | country         | CN
            country         | 中国                          | country         | CN
            country         | PRC                           | country         | CN
            country         | Australia                     | country         | AU
            country         | AUS                           | country         | AU
            country         | " united  states "            | country         | US
            province        | 广东                          | province        | 广东省
            province        | 广东省                        | province        | 广东省
            province        | Guangdong                     | province        | 广东省
            province        | 内蒙古                        | province        | 内蒙古自治区
            province        | 广西                          | province        | 广西壮族自治区
            province        | 北京                          | province        | 北京市
            province        | 香港                          | province        | 香港特别行政区
            province        | Inner Mongolia                | province        | 内蒙古自治区
            province        | nsw                           | province        | nsw
            province        | 广东                          | country         | CN
            province        | 香港                          | country         | HK
            province        | nsw                           | country         |
            city            | 广州                          | city            | 广州市
            city            | 深圳市                        | city            | 深圳市
            city            | 延边                          | city            | 延边朝鲜族自治州
            city            | Springfield                   | city            | Springfield
            district        | " 天河区 "                    | district        | 天河区
            street          | "Main   St  12"               | street          | Main St 12
            postalCode      | 100 000                       | postalCode      | 100000
            postalCode      | SW1A  1AA                     | postalCode      | SW1A 1AA
            company         | ＡＣＭＥ（中国）有限公司      | company         | ACME(中国)有限公司
            company         | "#N/A"                        | company         |
            nationalId      | 1101 0519 4912 3100 2x        | nationalId      | 11010519491231002X
            nationalId      | 110105-19491231-002X          | birthDate       | 1949-12-31
            nationalId      | 11010519491231002X            | gender          | F
            nationalId      | 440306199003071232            | gender          | M
            nationalId      | 440524188001010014            | birthDate       |
            nationalId      | E1234567(8)                   | nationalId      | E1234567(8)
            """)
    void dirtyValueIsCleansed(String field, String dirty, String checked, String expected) {
        CleansingResult result = cleanser.cleanse(record(Map.of(CanonicalField.of(field), dirty)));

        assertThat(result.violations()).isEmpty();
        assertThat(CanonicalField.of(checked).textOf(result.record())).isEqualTo(expected);
    }

    /** Columns: field delivered, value delivered, rule expected. */
    @ParameterizedTest(name = "{0} ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            gender          | X                    | format:gender
            gender          | shemale              | format:gender
            email           | zhang.san@           | format:email
            email           | zhang san@example.cn | format:email
            email           | a@@example.cn        | format:email
            email           | a@example            | format:email
            email           | a@-example.cn        | format:email
            phone           | 12345                | format:phone
            phone           | call me              | format:phone
            birthDate       | 1990-02-30           | format:birthDate
            birthDate       | 31/31/1990           | format:birthDate
            birthDate       | yesterday            | format:birthDate
            birthDate       | 2099-01-01           | range:birthDate
            birthDate       | 1899-12-31           | range:birthDate
            sourceUpdatedAt | last tuesday         | format:sourceUpdatedAt
            sourceUpdatedAt | 2024-13-02 03:04:05  | format:sourceUpdatedAt
            country         | Atlantis             | format:country
            nationalId      | 110105194912310021   | format:nationalId
            nationalId      | 110105199902300023   | format:nationalId
            """)
    void badValueIsRejectedAndLeftOut(String field, String dirty, String rule) {
        CleansingResult result = cleanser.cleanse(record(Map.of(CanonicalField.of(field), dirty)));

        assertThat(result.accepted()).isFalse();
        assertThat(result.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).isEqualTo(rule);
            assertThat(violation.field()).isEqualTo(CanonicalField.of(field));
            assertThat(violation.reason()).contains(field).contains(dirty.trim());
        });
        assertThat(CanonicalField.of(field).textOf(result.record())).isNull();
    }

    @Test
    void phoneAsDeliveredIsKeptBesideTheNormalizedOne() {
        CustomerRecord valid = cleanser.cleanse(record(Map.of(CanonicalField.PHONE, "  +86 138-0013-8000 "))).record();
        CustomerRecord invalid = cleanser.cleanse(record(Map.of(CanonicalField.PHONE, " 12345 "))).record();

        assertThat(valid.phone()).isEqualTo("+8613800138000");
        assertThat(valid.phoneRaw()).isEqualTo("+86 138-0013-8000");
        assertThat(invalid.phone()).isNull();
        assertThat(invalid.phoneRaw()).isEqualTo("12345");
    }

    @Test
    void anOrganizationKeepsItsNameWholeAndItsCreditCodeIsChecked() {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        values.put(CanonicalField.CUSTOMER_TYPE, "企业");
        values.put(CanonicalField.FULL_NAME, "IBM China Co., Ltd.");
        values.put(CanonicalField.NATIONAL_ID, "9135 0100 M000 100Y 43");
        values.put(CanonicalField.GENDER, "M");
        CleansingResult organization = cleanser.cleanse(record(values));

        assertThat(organization.violations()).isEmpty();
        assertThat(organization.record().type()).isEqualTo(CustomerType.ORGANIZATION);
        assertThat(organization.record().fullName()).isEqualTo("IBM China Co., Ltd.");
        assertThat(organization.record().givenName()).isNull();
        assertThat(organization.record().familyName()).isNull();
        assertThat(organization.record().gender()).isEqualTo(Gender.U);
        assertThat(organization.record().nationalId()).isEqualTo("91350100M000100Y43");

        values.put(CanonicalField.NATIONAL_ID, "91350100M000100Y44");
        assertThat(cleanser.cleanse(record(values)).violations()).singleElement()
                .satisfies(v -> assertThat(v.reason()).contains("unified social credit code"));
        values.put(CanonicalField.NATIONAL_ID, "DE 123-456-789");
        assertThat(cleanser.cleanse(record(values)).record().nationalId()).as("another registry's id, as written")
                .isEqualTo("DE123456789");
        values.put(CanonicalField.CUSTOMER_TYPE, "robot");
        assertThat(cleanser.cleanse(record(values)).violations()).extracting(Violation::rule).contains("format:customerType");
    }

    @Test
    void missingSourceKeyIsRejected() {
        Map<CanonicalField, String> values = new EnumMap<>(CanonicalField.class);
        values.put(CanonicalField.SOURCE_KEY, "  ");
        values.put(CanonicalField.FULL_NAME, "张三");

        CleansingResult result = cleanser.cleanse(new SourceRecord("crm", "f.csv", 2, values, "{}", null));

        assertThat(result.violations()).extracting(Violation::rule).containsExactly("required:sourceKey");
        assertThat(result.record().fullName()).isEqualTo("张三");
        assertThat(result.record().source()).isEqualTo("crm");
    }

    @Test
    void unparseableRecordIsRejectedWithItsParseError() {
        CleansingResult result = cleanser.cleanse(SourceRecord.unparseable("crm", "f.csv", 7, "a,\"b", "unclosed quote"));

        assertThat(result.violations()).containsExactly(new Violation(null, "parse", "unclosed quote"));
    }

    @Test
    void fullNameIsBuiltFromItsParts() {
        CustomerRecord chinese = cleanser.cleanse(record(Map.of(
                CanonicalField.GIVEN_NAME, "娜娜", CanonicalField.FAMILY_NAME, "欧阳"))).record();
        CustomerRecord latin = cleanser.cleanse(record(Map.of(
                CanonicalField.GIVEN_NAME, "JOHN", CanonicalField.FAMILY_NAME, "smith"))).record();

        assertThat(chinese.fullName()).isEqualTo("欧阳娜娜");
        assertThat(latin.fullName()).isEqualTo("John Smith");
    }

    @Test
    void birthDateAndGenderFromTheRecordWinOverTheResidentId() {
        CustomerRecord customer = cleanser.cleanse(record(Map.of(
                CanonicalField.NATIONAL_ID, "11010519491231002X",
                CanonicalField.BIRTH_DATE, "1950-01-01",
                CanonicalField.GENDER, "M"))).record();

        assertThat(customer.birthDate()).isEqualTo(LocalDate.of(1950, 1, 1));
        assertThat(customer.gender()).isEqualTo(Gender.M);
    }

    @Test
    void givenCountryIsNotOverriddenByTheProvince() {
        CustomerRecord customer = cleanser.cleanse(record(Map.of(
                CanonicalField.COUNTRY, "Australia", CanonicalField.PROVINCE, "广东"))).record();

        assertThat(customer.address().country()).isEqualTo("AU");
    }

    @Test
    void settingsChangeHowValuesAreRead() {
        CleansingSettings us = CleansingSettings.from(Map.of(
                "phone-region", "us", "date-order", "MDY", "time-zone", "UTC", "null-likes", "?, unbekannt"));
        CustomerCleanser american = new CustomerCleanser(us, ValidationRules.from(Map.of()), TODAY);

        CustomerRecord customer = american.cleanse(record(Map.of(
                CanonicalField.PHONE, "(201) 555-0123",
                CanonicalField.BIRTH_DATE, "02/03/1990",
                CanonicalField.SOURCE_UPDATED_AT, "2024-01-02 03:04:05",
                CanonicalField.COMPANY, "UNBEKANNT",
                CanonicalField.STREET, "?"))).record();

        assertThat(customer.phone()).isEqualTo("+12015550123");
        assertThat(customer.birthDate()).isEqualTo(LocalDate.of(1990, 2, 3));
        assertThat(customer.sourceUpdatedAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(customer.company()).isNull();
        assertThat(customer.address().street()).isNull();
    }

    @Test
    void validationRulesRunOnCleansedValues() {
        CustomerCleanser strict = new CustomerCleanser(CleansingSettings.defaults(), ValidationRules.from(Map.of(
                "required", "sourceKey,fullName",
                "one-of", "phone,email",
                "pattern.postalCode", "\\d{6}",
                "values.province", "广东省,北京市")), TODAY);

        CleansingResult passing = strict.cleanse(record(Map.of(
                CanonicalField.FULL_NAME, "张三", CanonicalField.PHONE, "138 0013 8000",
                CanonicalField.POSTAL_CODE, "510 000", CanonicalField.PROVINCE, "广东")));
        CleansingResult failing = strict.cleanse(record(Map.of(
                CanonicalField.FULL_NAME, "N/A", CanonicalField.POSTAL_CODE, "5100", CanonicalField.PROVINCE, "湖南")));

        assertThat(passing.violations()).isEmpty();
        assertThat(failing.violations()).extracting(Violation::rule)
                .containsExactly("required:fullName", "one-of:phone,email", "pattern:postalCode", "values:province");
    }

    @Test
    void fieldThatFailedCleansingIsNotReportedAgainByValidation() {
        CustomerCleanser strict = new CustomerCleanser(CleansingSettings.defaults(),
                ValidationRules.from(Map.of("required", "sourceKey,email")), TODAY);

        CleansingResult result = strict.cleanse(new SourceRecord("crm", "f.csv", 2,
                Map.of(CanonicalField.EMAIL, "not-an-address"), "{}", null));

        assertThat(result.violations()).extracting(Violation::rule).containsExactly("required:sourceKey", "format:email");
    }

    @Test
    void everyViolationOfADirtyRecordIsReported() {
        CleansingResult result = cleanser.cleanse(record(Map.of(
                CanonicalField.GENDER, "?", CanonicalField.EMAIL, "x@", CanonicalField.PHONE, "1",
                CanonicalField.BIRTH_DATE, "1990-02-30", CanonicalField.COUNTRY, "Narnia")));

        assertThat(result.violations()).extracting(Violation::rule).containsExactlyInAnyOrder(
                "format:gender", "format:email", "format:phone", "format:birthDate", "format:country");
    }

    @Test
    void aDeletionNeedsOnlyItsKey() {
        CustomerCleanser strict = new CustomerCleanser(CleansingSettings.defaults(),
                ValidationRules.from(Map.of("required", "sourceKey,fullName", "one-of", "phone,email")), TODAY);

        CleansingResult keyOnly = strict.cleanse(record(Map.of(CanonicalField.DELETED, "true")));
        CleansingResult badValues = strict.cleanse(record(Map.of(CanonicalField.DELETED, "true",
                CanonicalField.EMAIL, "x@", CanonicalField.BIRTH_DATE, "1990-02-30")));
        CleansingResult badTime = strict.cleanse(record(Map.of(CanonicalField.DELETED, "true",
                CanonicalField.SOURCE_UPDATED_AT, "yesterday")));
        CleansingResult noKey = strict.cleanse(new SourceRecord("crm", "f.csv", 2,
                Map.of(CanonicalField.DELETED, "true"), "{}", null));

        assertThat(keyOnly.violations()).isEmpty();
        assertThat(badValues.violations()).as("its values are not used").isEmpty();
        assertThat(badTime.violations()).extracting(Violation::rule).as("it decides whether the deletion is stale")
                .containsExactly("format:sourceUpdatedAt");
        assertThat(noKey.violations()).extracting(Violation::rule).containsExactly("required:sourceKey");
    }

    @Test
    void aDeletionFlagThatIsNeitherYesNorNoIsRejected() {
        CleansingResult maybe = cleanser.cleanse(record(Map.of(CanonicalField.FULL_NAME, "张三",
                CanonicalField.DELETED, "maybe")));
        CleansingResult no = cleanser.cleanse(record(Map.of(CanonicalField.FULL_NAME, "张三", CanonicalField.DELETED, "No")));
        CleansingResult nullLike = cleanser.cleanse(record(Map.of(CanonicalField.FULL_NAME, "张三",
                CanonicalField.DELETED, "N/A")));

        assertThat(maybe.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("format:deleted");
            assertThat(v.reason()).contains("'maybe'").contains("equals");
        });
        assertThat(no.violations()).isEmpty();
        assertThat(nullLike.violations()).isEmpty();
    }

    @Test
    void typicalRowAllocatesLittle() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        SourceRecord row = record(Map.of(
                CanonicalField.SOURCE_UPDATED_AT, "2024-01-02 03:04:05", CanonicalField.FULL_NAME, "张三",
                CanonicalField.GENDER, "男", CanonicalField.BIRTH_DATE, "1990-01-02",
                CanonicalField.EMAIL, "zhang.san@example.com", CanonicalField.PHONE, "13800138000",
                CanonicalField.PROVINCE, "广东", CanonicalField.CITY, "广州", CanonicalField.STREET, "天河路 1 号",
                CanonicalField.POSTAL_CODE, "510000"));
        for (int i = 0; i < 2_000; i++) {
            cleanser.cleanse(row);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 1_000; i++) {
            cleanser.cleanse(row);
        }
        long perRow = (threads.getCurrentThreadAllocatedBytes() - before) / 1_000;

        // measured about 5 KB per row (mostly libphonenumber); the bound catches an order-of-magnitude regression
        assertThat(perRow).isLessThan(30_000);
    }

    private static SourceRecord record(Map<CanonicalField, String> values) {
        Map<CanonicalField, String> withKey = new EnumMap<>(values);
        withKey.putIfAbsent(CanonicalField.SOURCE_KEY, "K1");
        return new SourceRecord("crm", "customers.csv", 2, withKey, "{}", null);
    }

    /**
     * A 10 MB name and a row of 100,000 columns' worth of text in one street: quarantined by their length with
     * the field named, before any text work is spent on them (a quadratic cleanser would take hours here).
     */
    @Test
    void aFieldLongerThanTheLimitIsRejectedBeforeAnyTextWork() {
        Map<CanonicalField, String> giant = new EnumMap<>(CanonicalField.class);
        giant.put(CanonicalField.SOURCE_KEY, "C-1");
        giant.put(CanonicalField.FULL_NAME, "张".repeat(10_000_000));
        giant.put(CanonicalField.STREET, "a,".repeat(100_000));

        CleansingResult result = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> cleanser.cleanse(new SourceRecord("crm", "giant.csv", 2, giant, "{}", null)));

        assertThat(result.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.rule()).startsWith("length:");
            assertThat(violation.reason()).contains("characters, more than hub.cleanse.max-field-length (1000)")
                    .hasSizeLessThan(200);
        });
        assertThat(result.record().sourceKey()).as("the record is named").isEqualTo("C-1");
    }
}
