package io.customerhub.match;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChineseNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            張偉      | 张伟
            歐陽娜娜  | 欧阳娜娜
            司馬相如  | 司马相如
            鍾麗華    | 钟丽华
            张伟      | 张伟
            Zhang Wei | Zhang Wei
            """)
    void traditionalCharactersBecomeSimplified(String name, String simplified) {
        assertThat(ChineseNames.simplified(name)).isEqualTo(simplified);
    }

    @ParameterizedTest(name = "{0} (family {1}) -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            张    | true  | zhang
            張    | true  | zhang
            伟    | false | wei
            偉    | false | wei
            小明  | false | xiaoming
            欧阳  | true  | ouyang
            歐陽  | true  | ouyang
            司马  | true  | sima
            尉迟  | true  | yuchi
            单    | true  | shan
            曾    | true  | zeng
            解    | true  | xie
            仇    | true  | qiu
            吕    | true  | lu
            """)
    void aNameReadsAsItsMostLikelyPinyin(String name, boolean family, String pinyin) {
        assertThat(ChineseNames.pinyin(name, family)).isEqualTo(pinyin);
    }

    @ParameterizedTest(name = "{0} may be written {1}")
    @CsvSource(delimiter = '|', textBlock = """
            吕   | lv
            吕   | lyu
            女   | nv
            曾   | ceng
            单   | dan
            长孙 | zhangsun
            """)
    void otherReadingsAreKeptForComparison(String name, String reading) {
        assertThat(ChineseNames.readings(name, true)).contains(reading).hasSizeLessThanOrEqualTo(ChineseNames.MAX_READINGS);
    }

    @ParameterizedTest(name = "{0}: Han {1}")
    @CsvSource(delimiter = '|', textBlock = """
            张伟      | true
            Zhang 伟  | true
            Zhang Wei | false
            Иван      | false
            """)
    void tellsChineseCharactersFromOtherScripts(String value, boolean han) {
        assertThat(ChineseNames.isHan(value)).isEqualTo(han);
    }

    @ParameterizedTest(name = "{0}: pinyin {1}")
    @CsvSource({
            "zhang,     true",
            "xiao ming, true",
            "ouyang,    true",
            "lyu,       true",
            "zhanng,    false",
            "campbell,  false",
            "smith,     false",
    })
    void tellsARomanizedChineseNameFromOtherLatinNames(String name, boolean pinyin) {
        assertThat(ChineseNames.isPinyin(name)).isEqualTo(pinyin);
    }
}
