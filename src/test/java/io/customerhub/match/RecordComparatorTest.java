package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.customerhub.record.CanonicalField;
import io.customerhub.record.Gender;
import java.time.LocalDate;
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
            "1980-03-04, 1980-03-27, 0.0",
            "1980-03-04, 1975-11-30, 0.0",
    })
    void birthDatesForgiveTypingErrorsOnly(String a, String b, double expected) {
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
            伟   | 张   | 偉        | 張     | 14
            伟   | 张   | Wei       | Zhang  | 14
            伟   | 张   | Zhang     | Wei    | 14
            伟   | 张   | WEI       | ZHANG  | 14
            小明 | 王   | Xiao Ming | Wang   | 14
            小明 | 王   | Xiaoming  | Wang   | 14
            娜娜 | 欧阳 | Nana      | Ouyang | 14
            娜娜 | 歐陽 | Nana      | Ouyang | 14
            芳   | 吕   | Fang      | Lyu    | 14
            芳   | 吕   | Fang      | Lu     | 14
            伟   | 单   | Wei       | Shan   | 14
            伟   | 张   | Wei       | Zheng  | 3
            伟   | 张   | Fang      | Li     | -6
            伟   | 张   | 芳        | 李     | -6
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
            "12345,   12346,   3.33",
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
}
