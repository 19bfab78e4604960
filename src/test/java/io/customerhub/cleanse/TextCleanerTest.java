package io.customerhub.cleanse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TextCleanerTest {

    private final TextCleaner cleaner = new TextCleaner(Set.of("Unbekannt"));

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            John Smith             | John Smith
            "  John   Smith  "     | John Smith
            "John\tSmith"          | John Smith
            ＡＢＣ１２３           | ABC123
            张　三                 | 张 三
            "　 张三 　"           | 张三
            （北京）               | (北京)
            ｆｏｏ＠ｂａｒ．ｃｏｍ | foo@bar.com
            "a\u00A0b"             | a b
            NaN                    | NaN
            Nanjing                | Nanjing
            """)
    void textIsFoldedTrimmedAndCollapsed(String raw, String expected) {
        assertThat(cleaner.clean(raw.replace("\\t", "\t").replace("\\u00A0", "\u00A0"))).isEqualTo(expected);
    }

    @Test
    void controlCharactersAndBidirectionalOverridesAreRemoved() {
        assertThat(cleaner.clean("Wang\u0000 Fang")).isEqualTo("Wang Fang");
        assertThat(cleaner.clean("\u001B[31mWang Fang\u001B[0m")).isEqualTo("[31mWang Fang[0m");
        assertThat(cleaner.clean("invoice\u202Efdp.exe")).isEqualTo("invoicefdp.exe");
        assertThat(cleaner.clean("\uFEFF张三\u2066")).isEqualTo("张三");
        assertThat(cleaner.clean("\u0007\u202E")).as("nothing left").isNull();
    }

    @ParameterizedTest(name = "''{0}'' is missing")
    @ValueSource(strings = {"", "   ", "N/A", "n/a", "NA", "na", "null", "NULL", "Null", "none", "NONE", "-", "--",
            "无", "空", "未知", "不详", "(null)", "#N/A", "#n/a", " N/A ", "Ｎ／Ａ", "unbekannt", "UNBEKANNT"})
    void nullLikeBecomesNull(String raw) {
        assertThat(cleaner.clean(raw)).isNull();
    }

    @Test
    void nullStaysNull() {
        assertThat(cleaner.clean(null)).isNull();
    }

    @Test
    void cleanValueIsReturnedAsIs() {
        String clean = "Zhang San";

        assertThat(cleaner.clean(clean)).isSameAs(clean);
    }
}
