package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.CustomerType;
import io.customerhub.record.PostalAddress;
import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RecordComparatorTest {

    private final MatchSettings settings = MatchSettings.defaults();
    private final RecordComparator comparator = new RecordComparator(settings);

    private static final People JOHN = People.named("John", "Smith").born("1980-03-04")
            .living("12 Main Street", "Sydney", "2000");

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("identical", JOHN, JOHN, MatchDecision.MERGE),
                Arguments.of("typo in the given name", JOHN, People.named("Jonh", "Smith").born("1980-03-04")
                        .living("12 Main Street", "Sydney", "2000"), MatchDecision.MERGE),
                Arguments.of("given and family swapped", JOHN, People.named("Smith", "John").born("1980-03-04")
                        .living("12 Main St", "Sydney", "2000"), MatchDecision.MERGE),
                Arguments.of("day and month transposed", JOHN, People.named("John", "Smyth").born("1980-04-03")
                        .living("12 Main Street", "Sydney", "2000"), MatchDecision.MERGE),
                Arguments.of("one digit of the year wrong", JOHN, People.named("John", "Smith").born("1989-03-04")
                        .living("12 Main Street", "Sydney", "2000"), MatchDecision.MERGE),
                Arguments.of("only the names to go by", JOHN, People.named("John", "Smith"), MatchDecision.REVIEW),
                Arguments.of("same name, same birth date, nothing else", People.named("John", "Smith").born("1980-03-04"),
                        People.named("John", "Smith").born("1980-03-04"), MatchDecision.MERGE),
                Arguments.of("same name and address, other birth date", JOHN, People.named("John", "Smith").born("2011-09-23")
                        .living("12 Main Street", "Sydney", "2000"), MatchDecision.REVIEW),
                Arguments.of("same name, other birth date and address", JOHN, People.named("John", "Smith").born("1952-11-20")
                        .living("3 High Street", "Perth", "6000"), MatchDecision.NEW),
                Arguments.of("other person at the same address", JOHN, People.named("Mary", "Smith").born("1982-07-19")
                        .living("12 Main Street", "Sydney", "2000"), MatchDecision.NEW),
                Arguments.of("Chinese name with a space", People.named("伟", "张").born("1990-01-02"),
                        People.named("伟", "张").born("1990-01-02"), MatchDecision.MERGE),
                Arguments.of("Chinese name swapped", People.named("伟", "张").born("1990-01-02"),
                        People.named("张", "伟").born("1990-01-02"), MatchDecision.MERGE),
                Arguments.of("Chinese given name differs", People.named("伟", "张").born("1990-01-02"),
                        People.named("炜", "张").born("1990-01-02"), MatchDecision.REVIEW),
                Arguments.of("Chinese names differ", People.named("伟", "张").born("1990-01-02"),
                        People.named("芳", "李").born("1990-01-02"), MatchDecision.NEW));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("pairs")
    void decidesLikeAStewardWould(String name, People a, People b, MatchDecision expected) {
        MatchScore score = comparator.compare(a.record(), b.record());
        assertThat(settings.decide(score)).as(name + ": " + score).isEqualTo(expected);
        assertThat(comparator.compare(b.record(), a.record()).score()).isCloseTo(score.score(), within(1e-9));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "1980-03-04, 1980-03-04, 1.0",
            "1980-03-04, 1980-04-03, 0.8",
            "1980-03-04, 1989-03-04, 0.7",
            "1980-03-04, 1980-03-14, 0.7",
            "1980-03-04, 1908-03-04, 0.7",
            "1980-03-04, 1980-03-05, 0.7",
            "1980-03-04, 1980-03-27, 0.55",
            "1980-03-04, 1980-02-20, 0.55",
            "1980-03-04, 1980-09-30, 0.4",
            "1980-03-04, 1979-04-04, 0.4",
            "1980-03-04, 1975-11-30, 0.0",
            "1980-03-04, 1981-03-10, 0.0",
    })
    void birthDatesCompareInLevels(String a, String b, double expected) {
        assertThat(RecordComparator.dateSimilarity(LocalDate.parse(a), LocalDate.parse(b))).isEqualTo(expected);
    }

    @Test
    void missingValuesWeighNothing() {
        MatchScore score = comparator.compare(JOHN.record(), People.named("John", null).record());
        assertThat(score.fields()).filteredOn(f -> f.left() == null || f.right() == null)
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f.weight()).isZero());
        assertThat(score.score()).isEqualTo(settings.weights(CanonicalField.GIVEN_NAME).agree());
    }

    @Test
    void theScoreIsTheSumOfTheStoredComparisons() {
        MatchScore score = comparator.compare(JOHN.record(), People.named("Jon", "Smit").born("1980-04-03")
                .living("12 Main Rd", "Sydney", "2001").record());
        assertThat(score.rule()).isEqualTo("weighted");
        assertThat(score.fields().stream().mapToDouble(FieldComparison::weight).sum()).isCloseTo(score.score(), within(1e-9));
    }

    @Test
    void swappedNamesAreComparedCrosswiseAndSaySo() {
        MatchScore score = comparator.compare(JOHN.record(), People.named("Smith", "John").record());
        assertThat(score.rule()).isEqualTo("weighted+swapped-names");
        assertThat(score.fields().get(0)).extracting(FieldComparison::field, FieldComparison::left, FieldComparison::right)
                .containsExactly(CanonicalField.GIVEN_NAME, "john", "john");
    }

    private static CustomerRecord organization(String name, String id, String phone, String street, String city) {
        return new CustomerRecord("test", "k", null, name, null, null, Gender.U, null, null, phone, phone,
                new PostalAddress("CN", null, city, null, street, null), null, id, CustomerType.ORGANIZATION);
    }

    @Test
    void organizationsCompareByTheirNamesCoreAndAddressNotByASharedPhone() {
        CustomerRecord headOffice = organization("深圳市腾达电子科技有限公司", null, "+8675588886666", "科技园路1号", "深圳市");
        CustomerRecord sameAgain = organization("腾达电子科技股份有限公司", null, null, "科技园路1号", "深圳市");
        CustomerRecord branch = organization("腾达电子科技有限公司上海分公司", null, "+8675588886666", "浦东大道100号", "上海市");
        CustomerRecord otherBranch = organization("腾达电子科技有限公司广州分公司", null, "+8675588886666", null, "广州市");

        MatchScore same = comparator.compare(headOffice, sameAgain);
        assertThat(settings.decide(same)).as("%s", same).isEqualTo(MatchDecision.MERGE);
        assertThat(settings.decide(comparator.compare(headOffice, branch))).isEqualTo(MatchDecision.NEW);
        MatchScore branches = comparator.compare(branch, otherBranch);
        assertThat(branches.rule()).isEqualTo("weighted");
        assertThat(settings.decide(branches)).as("two branches sharing the head office's phone").isEqualTo(MatchDecision.NEW);
    }

    @Test
    void aCreditCodeMergesOrganizationsAndAPersonNeverMatchesAnOrganization() {
        MatchScore byCode = comparator.compare(organization("Acme Widgets, Inc.", "91350100M000100Y43", null, null, "Chicago"),
                organization("ACME WIDGETS LLC", "91350100M000100Y43", null, null, null));
        assertThat(byCode.rule()).isEqualTo("exact:nationalId");
        MatchScore mixed = comparator.compare(People.named("Acme", "Widgets").record(),
                organization("Acme Widgets", null, null, null, null));
        assertThat(settings.decide(mixed)).isEqualTo(MatchDecision.NEW);
        assertThat(mixed.rule()).isEqualTo("different-types");
    }

    @Test
    void aLoneNameIsComparedWithEitherNameOfTheOther() {
        MatchScore givenAsFamily = comparator.compare(People.named(null, "Emma").record(), People.named("Emma", "Caldwell").record());
        assertThat(givenAsFamily.fields().get(0)).extracting(FieldComparison::field, FieldComparison::left, FieldComparison::right)
                .containsExactly(CanonicalField.GIVEN_NAME, "emma", "emma");
        assertThat(givenAsFamily.score()).isPositive();
        CustomerRecord oneWord = new CustomerRecord("test", "k", null, "Caldwell", null, null, Gender.U, null, null, null, null,
                PostalAddress.EMPTY, null, null);
        MatchScore fullNameAlone = comparator.compare(oneWord, People.named("Emma", "Caldwell").record());
        assertThat(fullNameAlone.fields().get(1)).extracting(FieldComparison::field, FieldComparison::left, FieldComparison::right)
                .containsExactly(CanonicalField.FAMILY_NAME, "caldwell", "caldwell");
        assertThat(fullNameAlone.score()).isPositive();
    }

    @Test
    void aSharedEmailMergesWhenNothingContradictsIt() {
        MatchScore score = comparator.compare(People.named("John", "Smith").email("js@example.com").record(),
                People.named("J", "Smith").email("JS@example.com").living("3 High Street", "Perth", "6000").record());
        assertThat(score.rule()).isEqualTo("exact:email");
        assertThat(settings.decide(score)).isEqualTo(MatchDecision.MERGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contradictions")
    void aSharedIdentifierDoesNotOverruleAContradiction(String name, People other) {
        People john = People.named("John", "Smith").born("1980-03-04").phone("+61212345678").gender(Gender.M);
        MatchScore score = comparator.compare(john.record(), other.phone("+61212345678").record());
        assertThat(score.rule()).as(name).startsWith("weighted");
        assertThat(settings.decide(score)).as(name + ": " + score).isNotEqualTo(MatchDecision.MERGE);
    }

    static Stream<Arguments> contradictions() {
        return Stream.of(
                Arguments.of("another family member", People.named("Mary", "Smith").born("2008-09-10")),
                Arguments.of("other names", People.named("Wei", "Zhang")),
                Arguments.of("other gender and birth date", People.named("Jo", "Smith").born("1950-12-24").gender(Gender.F)));
    }

    @ParameterizedTest(name = "{0} {1} ~ {2} {3}: {4} bits")
    @CsvSource(delimiter = '|', textBlock = """
            伟   | 张   | 偉        | 張     | 9.73
            伟   | 张   | Wei       | Zhang  | 9.73
            伟   | 张   | Zhang     | Wei    | 9.73
            伟   | 张   | WEI       | ZHANG  | 9.73
            小明 | 王   | Xiao Ming | Wang   | 9.60
            小明 | 王   | Xiaoming  | Wang   | 9.60
            娜娜 | 欧阳 | Nana      | Ouyang | 14
            娜娜 | 歐陽 | Nana      | Ouyang | 14
            芳   | 吕   | Fang      | Lyu    | 12.11
            芳   | 吕   | Fang      | Lu     | 12.11
            伟   | 单   | Wei       | Shan   | 14
            伟   | 张   | Wei       | Zheng  | 3
            伟   | 张   | Fang      | Li     | -9
            伟   | 张   | 芳        | 李     | -9
            """)
    void chineseNamesCompareAcrossCharacterSetsAndWithTheirPinyin(String givenA, String familyA, String givenB, String familyB,
                                                                 double bits) {
        MatchScore score = comparator.compare(People.named(givenA, familyA).record(), People.named(givenB, familyB).record());
        assertThat(score.fields().get(0).weight() + score.fields().get(1).weight()).as(score.toString())
                .isCloseTo(bits, within(0.01));
    }

    @Test
    void aChineseNameAndItsPinyinSharingAPhoneMerge() {
        MatchScore score = comparator.compare(People.named("伟", "张").born("1990-01-02").phone("+8613800138000").record(),
                People.named("Zhang", "Wei").born("1990-01-02").phone("+8613800138000").record());
        assertThat(score.rule()).isEqualTo("exact:phone+swapped-names");
        assertThat(settings.decide(score)).isEqualTo(MatchDecision.MERGE);
    }

    @Test
    void aSharedNationalIdAndAgreeingNamesOutweighAnotherBirthDate() {
        MatchScore score = comparator.compare(People.named("Amber", "Pamplin").born("1937-04-07").nationalId("1824555").record(),
                People.named("Amber", "Pamplin").born("1969-10-06").nationalId("1824555").record());
        assertThat(score.rule()).isEqualTo("exact:nationalId");
        assertThat(settings.decide(score)).isEqualTo(MatchDecision.MERGE);
    }

    @Test
    void aCommonNameLearnedFromTheDataAgreesForLessThanARareOne() {
        MatchSettings learned = settings.learned(Map.of(), Map.of(CanonicalField.FAMILY_NAME, Map.of("smith", 0.05),
                CanonicalField.GIVEN_NAME, Map.of("john", 0.03)), Set.of(), "learned");
        RecordComparator adjusted = new RecordComparator(learned);
        MatchScore smith = adjusted.compare(People.named("John", "Smith").record(), People.named("John", "Smith").record());
        MatchScore pamplin = adjusted.compare(People.named("Amber", "Pamplin").record(), People.named("Amber", "Pamplin").record());
        assertThat(smith.fields().get(1).weight()).as("Smith: log2(0.9 / 0.05)").isCloseTo(4.17, within(0.01));
        assertThat(smith.fields().get(0).weight()).as("John: log2(0.9 / 0.03)").isCloseTo(4.91, within(0.01));
        assertThat(pamplin.fields().get(1).weight()).as("a rare name keeps its configured agreement")
                .isEqualTo(settings.weights(CanonicalField.FAMILY_NAME).agree());
        assertThat(comparator.compare(People.named("John", "Smith").record(), People.named("John", "Smith").record())
                .fields().get(1).weight()).as("without learned shares").isEqualTo(settings.weights(CanonicalField.FAMILY_NAME).agree());
    }

    @Test
    void aSharedEmailMergesUnlessTheEvidenceAgainstItIsStrongNotBecauseOneWeakFieldDisagrees() {
        People amber = People.named("Amber", "Pamplin").born("1937-04-07").email("amber@example.com").gender(Gender.F);
        // a gender miscoded: 4 bits against, not enough to overrule the e-mail
        MatchScore miscoded = comparator.compare(amber.record(),
                People.named("Amber", "Pamplin").born("1937-04-07").email("amber@example.com").gender(Gender.M).record());
        assertThat(miscoded.rule()).isEqualTo("exact:email");
        assertThat(settings.decide(miscoded)).isEqualTo(MatchDecision.MERGE);
        // another person of the household on the family mailbox: other given name and another year of birth
        MatchScore household = comparator.compare(amber.record(),
                People.named("Kylie", "Pamplin").born("1965-02-11").email("amber@example.com").gender(Gender.F).record());
        assertThat(household.rule()).isEqualTo("weighted");
        assertThat(settings.decide(household)).isNotEqualTo(MatchDecision.MERGE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nationalIdContradictions")
    void aSharedNationalIdDoesNotOverruleOtherNamesOrGender(String name, People other) {
        People amber = People.named("Amber", "Pamplin").born("1937-04-07").nationalId("1824555").gender(Gender.F);
        MatchScore score = comparator.compare(amber.record(), other.nationalId("1824555").record());
        assertThat(score.rule()).as(name).startsWith("weighted");
        assertThat(settings.decide(score)).as(name + ": " + score).isNotEqualTo(MatchDecision.MERGE);
    }

    static Stream<Arguments> nationalIdContradictions() {
        return Stream.of(
                Arguments.of("other given name and birth date", People.named("Kylie", "Pamplin").born("1900-04-04")),
                Arguments.of("other gender and birth date", People.named("Amber", "Pamplin").born("1969-10-06").gender(Gender.M)),
                Arguments.of("one name missing, other birth date", People.named(null, "Pamplin").born("1969-10-06")));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2} bits")
    @CsvSource({
            "9967952, 9967952, 16",
            "9967952, 9967942, 12",
            "9967952, 9969752, 12",
            "9967952, 996795,  12",
            "9967952, 1967042, -3",
            "12345,   12346,   -3",
    })
    void aNationalIdOneTypoAwayKeepsMostOfItsWeight(String a, String b, double bits) {
        MatchScore score = comparator.compare(People.named(null, null).nationalId(a).record(),
                People.named(null, null).nationalId(b).record());
        assertThat(score.fields()).filteredOn(f -> f.field() == CanonicalField.NATIONAL_ID).singleElement()
                .extracting(FieldComparison::weight).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.DOUBLE)
                .isCloseTo(bits, within(0.01));
    }

    @Test
    void aSharedNationalIdMergesDespiteATypoInTheName() {
        MatchScore score = comparator.compare(People.named("Wei", "Zhang").nationalId("11010519491231002X").record(),
                People.named("Wie", "Zhang").nationalId("11010519491231002x").record());
        assertThat(score.rule()).isEqualTo("exact:nationalId");
        assertThat(settings.decide(score)).isEqualTo(MatchDecision.MERGE);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2} bits")
    @CsvSource({
            "+8618900001795, +8618900001795, 12",
            "+8618900001795, +8618900001759, 0",
            "+8618900001795, +8618800001796, -1",
            "+8618900001795, +8613912345678, -1",
    })
    void aPhoneIsEqualOneTypoAwayOrAnother(String a, String b, double bits) {
        assertThat(weight(People.named(null, null).phone(a), People.named(null, null).phone(b), CanonicalField.PHONE))
                .isCloseTo(bits, within(0.01));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2} bits")
    @CsvSource({
            "hui.zhu1795@example.com, Hui.Zhu1795@example.com, 14",
            "hui.zhu1795@example.com, hui.zhu1759@example.com, 0",
            "hui.zhu1795@example.com, rui.zhu1796@example.com, -1",
    })
    void anEmailIsEqualOneTypoAwayOrAnother(String a, String b, double bits) {
        assertThat(weight(People.named(null, null).email(a), People.named(null, null).email(b), CanonicalField.EMAIL))
                .isCloseTo(bits, within(0.01));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
            "文化路 216号,            文化路 216号,             1.0",
            "文化路 216号,            文化路 242号,             0.0",
            "12 Main Street,          12 Main St,               0.94",
            "12 Main Street,          14 Main Street,           0.0",
            "main street,             12 main street,           1.0",
    })
    void streetsWithDifferentHouseNumbersAreDifferentAddresses(String a, String b, double similarity) {
        assertThat(RecordComparator.streetSimilarity(Similarity.normalize(a), Similarity.normalize(b)))
                .isCloseTo(similarity, within(0.01));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2} bits")
    @CsvSource({
            "310272, 310272, 7",
            "310272, 310277, 0",
            "310272, 310571, -2",
    })
    void aPostalCodeOneDigitOffIsNoEvidence(String a, String b, double bits) {
        assertThat(weight(People.named(null, null).living(null, null, a), People.named(null, null).living(null, null, b),
                CanonicalField.POSTAL_CODE)).isCloseTo(bits, within(0.01));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2} bits")
    @CsvSource({
            "Wang,   Wang,   3.60",
            "王,     王,     3.60",
            "Wang,   Wnag,   1.62",
            "Liu,    Liu,    4.06",
            "Ouyang, Ouyang, 8",
            "Smith,  Smith,  8",
    })
    void aCommonFamilyNameAgreesForLess(String a, String b, double bits) {
        assertThat(weight(People.named(null, a), People.named(null, b), CanonicalField.FAMILY_NAME)).isCloseTo(bits, within(0.01));
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2} bits")
    @CsvSource({
            "Huimin, Huimin, 6",
            "Wei,    Wie,    -3",
            "Hui,    Rui,    -2",
            "伟,     炜,     -3",
            "Bogang, Bomei,  -6",
            "Jiasong, Linwei, -6",
            "伟,     芳,     -6",
    })
    void anotherGivenNameWeighsTwiceAMisspeltOne(String a, String b, double bits) {
        assertThat(weight(People.named(a, "Ouyang"), People.named(b, "Ouyang"), CanonicalField.GIVEN_NAME)).isCloseTo(bits, within(0.01));
    }

    @Test
    void twoStrangersOfOneFamilyNameBirthDateAndRoadDoNotMerge() {
        People a = People.named("Huimin", "Wang").born("1985-06-01").gender(Gender.F).phone("+8618900001795")
                .email("huimin.wang1795@example.com").living("文化路 216号", "杭州市", "310272");
        People b = People.named("Jiayu", "Wang").born("1985-06-01").gender(Gender.F).phone("+8618800001796")
                .email("jiayu.wang1796@example.com").living("文化路 242号", "杭州市", "310277");
        MatchScore score = comparator.compare(a.record(), b.record());
        assertThat(settings.decide(score)).as(score.toString()).isNotEqualTo(MatchDecision.MERGE);
    }

    @ParameterizedTest(name = "{0}, {1} ~ {2}, {3}: province {4} bits")
    @CsvSource({
            "杭州市, 浙江省, 杭州市, 浙江省, 0",
            ",       浙江省, ,       浙江省, 2",
            "杭州市, 浙江省, 北京市, 北京市, -2",
    })
    void aCityImpliesItsProvince(String cityA, String provinceA, String cityB, String provinceB, double bits) {
        MatchScore score = comparator.compare(living(cityA, provinceA), living(cityB, provinceB));
        assertThat(score.fields()).filteredOn(f -> f.field() == CanonicalField.PROVINCE).singleElement()
                .extracting(FieldComparison::weight).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.DOUBLE)
                .isCloseTo(bits, within(0.01));
    }

    private static io.customerhub.record.CustomerRecord living(String city, String province) {
        return new io.customerhub.record.CustomerRecord("test", "k", null, null, null, null, Gender.U, null, null, null, null,
                new io.customerhub.record.PostalAddress("CN", province, city, null, null, null), null, null);
    }

    private double weight(People a, People b, CanonicalField field) {
        MatchScore score = comparator.compare(a.record(), b.record());
        return score.fields().stream().filter(f -> f.field() == field).findFirst().orElseThrow().weight();
    }
}
