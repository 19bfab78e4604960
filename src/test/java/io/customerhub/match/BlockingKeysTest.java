package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerhub.record.CustomerRecord;
import io.customerhub.record.Gender;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class BlockingKeysTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "robert,   R163",
            "rupert,   R163",
            "ashcraft, A261",
            "tymczak,  T522",
            "pfister,  P236",
            "honeyman, H555",
            "lee,      L000",
    })
    void soundexFollowsTheAmericanRules(String word, String code) {
        assertThat(BlockingKeys.soundex(word)).isEqualTo(code);
    }

    static Stream<Arguments> samePersonPairs() {
        People original = People.named("Nicholas", "Campbell").born("1904-12-12").nationalId("9882754")
                .living("87 poynton street karma park", "albion park", "4655");
        return Stream.of(
                Arguments.of("typo in the given name", original, People.named("Nichooas", "Campbell").born("1904-12-12")),
                Arguments.of("typo in the family name", original, People.named("Nicholas", "Campbel").born("1904-12-12")),
                Arguments.of("given and family swapped", original, People.named("Campbell", "Nicholas").living(null, null, "4655")),
                Arguments.of("birth date missing", original, People.named("Nichooas", "Campbell").living(null, null, "4655")),
                Arguments.of("both names rewritten", original, People.named("Nick", "Kamp").born("1904-12-12").living(null, null, "4655")),
                Arguments.of("only the address left", original, People.named(null, "Kamp").living("87 poynton st", "albion", "4655")),
                Arguments.of("both names and the postal code mistyped", People.named("Eliza", "Keany").born("1928-08-02")
                        .living(null, "longreach", "2760"), People.named("Eriaz", "Keacny").born("1928-08-02").living(null, "longeach", "2706")),
                Arguments.of("no birth date, postal code mistyped", People.named("Thomas", "Alagich")
                        .living(null, "toorak", "2316"), People.named("Thomas", "Alagich").living(null, "toorak", "3216")),
                Arguments.of("birth date and postal code wrong, same house", People.named("Finlay", "White").born("1964-01-21")
                        .living("15 goodwinstreet", "salisbury heights", "4227"), People.named("Finlay", "White").born("1970-03-09")
                        .living("15 goodwin street", "salisbury heights", "4228")),
                Arguments.of("family name in two words", People.named("Harry", "Reid").born("1928-07-14"),
                        People.named("William", "Rei D").born("1928-07-14")),
                Arguments.of("Chinese name, parts swapped", People.named("伟", "张").born("1990-01-02"),
                        People.named("张", "伟").born("1990-01-02")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samePersonPairs")
    void duplicatesWithOneCorruptedFieldShareAKey(String name, People a, People b) {
        Set<String> shared = new HashSet<>(BlockingKeys.of(a.record()));
        shared.retainAll(BlockingKeys.of(b.record()));
        assertThat(shared).isNotEmpty();
    }

    @Test
    void aRecordHasAtMostMaxKeysIdentifiersFirst() {
        CustomerRecord full = People.named("John", "Smith").born("1980-01-01").email("John@Example.com")
                .phone("+61212345678").nationalId("1234567").living("12 main street", "sydney", "2000").record();
        Set<String> keys = BlockingKeys.of(full);
        assertThat(keys).hasSizeLessThanOrEqualTo(BlockingKeys.MAX_KEYS)
                .startsWith("e:john@example.com", "p:+61212345678", "n:1234567");
    }

    @Test
    void chineseNamesEnterAsTheirPinyinACommonFamilyNameWithTheOtherInitial() {
        assertThat(BlockingKeys.of(People.named("伟", "张").born("1990-01-02").living(null, "杭州市", null).record()))
                .contains("nb:zhang+W|1990-01-02", "nb:wei+Z|1990-01-02", "bi:1990-01-02|WZ", "ny:wei+zhang|1990|杭州市");
        assertThat(BlockingKeys.of(People.named("娜娜", "司马").born("1990-01-02").record()))
                .contains("nb:sima|1990-01-02", "nb:nana|1990-01-02");
    }

    @ParameterizedTest(name = "{0}, {1} -> {2}")
    @CsvSource({
            "Zhang,     true,  zhang",
            "Zheng,     true,  zheng",
            "Xiao Ming, false, xiaoming",
            "Nicholas,  false, N242",
            "Campbell,  true,  C514",
            "Rei D,     true,  R300",
    })
    void pinyinNamesEnterAsWrittenOtherLatinNamesAsSoundex(String name, boolean family, String code) {
        assertThat(BlockingKeys.nameCode(name, family)).isEqualTo(code);
    }

    @ParameterizedTest(name = "张伟 ~ {0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            伟        | 张
            偉        | 張
            Wei       | Zhang
            Zhang     | Wei
            WEI       | ZHANG
            """)
    void aChineseNameSharesKeysWithItsTraditionalFormAndItsPinyinInEitherOrder(String given, String family) {
        Set<String> shared = new HashSet<>(BlockingKeys.of(People.named("伟", "张").born("1990-01-02").record()));
        shared.retainAll(BlockingKeys.of(People.named(given, family).born("1990-01-02").record()));
        assertThat(shared).contains("nb:zhang+W|1990-01-02", "nb:wei+Z|1990-01-02", "bi:1990-01-02|WZ");
    }

    @Test
    void aCompoundSurnameEntersWhole() {
        assertThat(BlockingKeys.of(People.named("娜娜", "欧阳").born("1990-01-02").record()))
                .contains("nb:ouyang|1990-01-02", "nb:nana|1990-01-02");
        assertThat(BlockingKeys.of(People.named("Nana", "Ouyang").born("1990-01-02").record()))
                .contains("nb:ouyang|1990-01-02", "nb:nana|1990-01-02");
    }

    @Test
    void aTransposedBirthDateKeepsTheInitialsKey() {
        Set<String> shared = new HashSet<>(BlockingKeys.of(People.named("Megan", "Hernandez").born("1949-06-03").record()));
        shared.retainAll(BlockingKeys.of(People.named("Meran", "Hernandez").born("1949-03-06").record()));
        assertThat(shared).containsExactly("bi:1949-03-06|HM");
    }

    @Test
    void aOneWordFullNameEntersAsTheFamilyName() {
        CustomerRecord kathleen = People.named("x", "y").born("1972-03-10").record();
        CustomerRecord lone = new CustomerRecord("test", "k", null, "Kathleen", null, null, Gender.U, kathleen.birthDate(), null,
                null, null, kathleen.address(), null, null);
        Set<String> shared = new HashSet<>(BlockingKeys.of(lone));
        shared.retainAll(BlockingKeys.of(People.named("Kathleen", "Hernandez").born("1972-03-10").record()));
        assertThat(shared).containsExactly("nb:K345|1972-03-10");
    }

    @Test
    void aRecordWithoutUsableValuesHasNoKeys() {
        assertThat(BlockingKeys.of(People.named("John", "Smith").record())).isEmpty();
    }

    @Test
    void differentPeopleInDifferentPlacesShareNoKey() {
        Set<String> shared = new HashSet<>(BlockingKeys.of(People.named("John", "Smith").born("1980-01-01")
                .living("12 main street", "sydney", "2000").record()));
        shared.retainAll(BlockingKeys.of(People.named("Mary", "Jones").born("1975-05-06")
                .living("3 high street", "perth", "6000").record()));
        assertThat(shared).isEmpty();
    }
}
