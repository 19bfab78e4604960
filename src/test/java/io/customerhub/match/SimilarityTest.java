package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimilarityTest {

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "martha,    marhta,    0.961",
            "dwayne,    duane,     0.840",
            "dixon,     dicksonx,  0.813",
            "campbell,  campbell,  1.0",
            "nicholas,  nichooas,  0.950",
            "abc,       xyz,       0.0",
    })
    void jaroWinklerMatchesTheTextbookValues(String a, String b, double expected) {
        assertThat(Similarity.jaroWinkler(a, b)).isCloseTo(expected, within(0.001));
        assertThat(Similarity.jaroWinkler(b, a)).isCloseTo(expected, within(0.001));
    }

    @ParameterizedTest(name = "{0} -> {1} = {2}")
    @CsvSource({
            "kitten,   sitting,  3",
            "ab,       ba,       1",
            "2760,     2706,     1",
            "19361218, 19361281, 1",
            "张伟,      张炜,      1",
            "张伟,      伟张,      1",
            "'',       abc,      3",
            "smith,    smith,    0",
    })
    void editDistanceCountsAnAdjacentSwapAsOneEdit(String a, String b, int expected) {
        assertThat(Similarity.editDistance(a, b)).isEqualTo(expected);
        assertThat(Similarity.editDistance(b, a)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{0}] -> [{1}]")
    @CsvSource(value = {
            "'  José  O''Brien ' | jose o brien",
            "ＪＯＨＮ　ＳＭＩＴＨ      | john smith",
            "张 三               | 张 三",
            "Müller-Lüdenscheidt | muller ludenscheidt",
            "' -- '              | ",
    }, delimiter = '|')
    void normalizeIgnoresCaseAccentsWidthAndPunctuation(String value, String expected) {
        assertThat(Similarity.normalize(value)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1} >= {2}")
    @CsvSource({
            "darwinia terrace the canberra hospital, the canberra hospital darwinia terrace, 1.0",
            "main street,                            12 main street,                         1.0",
            "mary ann,                               mary,                                   1.0",
            "87 poynton street karma park,           87 poyntonstreet karma park,            0.95",
            "sal t,                                  salt,                                   1.0",
            "goodwin street,                         goodwinstreet,                          1.0",
    })
    void tokenSimilarityIgnoresWordOrderAndExtraWords(String a, String b, double atLeast) {
        assertThat(Similarity.tokenSimilarity(a, b)).isGreaterThanOrEqualTo(atLeast);
        assertThat(Similarity.tokenSimilarity(b, a)).isGreaterThanOrEqualTo(atLeast);
    }

    @ParameterizedTest(name = "{0} ~ {1} < 0.75")
    @CsvSource({
            "herbert,  harrington",
            "kody,     lillianna",
            "petersen, tuckwell",
    })
    void unrelatedNamesStayBelowTheNameFloor(String a, String b) {
        assertThat(Similarity.tokenSimilarity(a, b)).isLessThan(0.75);
    }
}
