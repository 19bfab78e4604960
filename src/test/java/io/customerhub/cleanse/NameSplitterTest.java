package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerhub.cleanse.NameSplitter.PersonName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameSplitterTest {

    private final NameSplitter splitter = new NameSplitter();

    @ParameterizedTest(name = "{0} -> family {1}, given {2}")
    @CsvSource(delimiter = '|', textBlock = """
            张三                  | 张       | 三
            王小明                | 王       | 小明
            欧阳娜娜              | 欧阳     | 娜娜
            司马相如              | 司马     | 相如
            诸葛亮                | 诸葛     | 亮
            上官婉儿              | 上官     | 婉儿
            歐陽娜娜              | 歐陽     | 娜娜
            司馬相如              | 司馬     | 相如
            張偉                  | 張       | 偉
            鮮于通                | 鮮于     | 通
            欧阳                  | 欧       | 阳
            John Smith            | Smith    | John
            John Ronald Tolkien   | Tolkien  | John Ronald
            Smith, John           | Smith    | John
            Smith,John            | Smith    | John
            Madonna               |          |
            阿依古丽·买买提       |          |
            张                    |          |
            """)
    void fullNameIsSplit(String fullName, String family, String given) {
        assertThat(splitter.split(fullName)).isEqualTo(new PersonName(given, family));
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            娜娜   | 欧阳   | 欧阳娜娜
            John   | Smith  | John Smith
            John   |        | John
                   | Smith  | Smith
            """)
    void partsAreJoined(String given, String family, String expected) {
        assertThat(splitter.join(given, family)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            JOHN SMITH            | John Smith
            john smith            | John Smith
            o'brien               | O'Brien
            MARY-JANE WATSON      | Mary-Jane Watson
            McDonald              | McDonald
            van der Berg          | van der Berg
            张 三                 | 张三
            ÉMILE ZOLA            | Émile Zola
            """)
    void nameIsNormalized(String input, String expected) {
        assertThat(splitter.normalize(input)).isEqualTo(expected);
    }
}
