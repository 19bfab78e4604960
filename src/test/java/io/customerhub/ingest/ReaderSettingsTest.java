package io.customerhub.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReaderSettingsTest {

    @Test
    void blankParametersTakeTheDefaults() {
        ReaderSettings settings = ReaderSettings.of("crm", "CSV", "", null, " ", "", "", "");
        assertThat(settings).isEqualTo(new ReaderSettings("crm", "csv", StandardCharsets.UTF_8, ',', '"', List.of(), "", ""));
    }

    @Test
    void givenParametersAreParsed() {
        ReaderSettings settings = ReaderSettings.of("erp", "xml", "gbk", "tab", "'", " id, name ", "customer", "data.rows");
        assertThat(settings).isEqualTo(new ReaderSettings("erp", "xml", Charset.forName("GBK"), '\t', '\'',
                List.of("id", "name"), "customer", "data.rows"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no source       | ''  | csv  | ''      | ,   | ''  | ''     | ''       | source",
            "unknown format  | crm | yaml | ''      | ,   | ''  | ''     | ''       | format",
            "unknown charset | crm | csv  | klingon | ,   | ''  | ''     | ''       | charset",
            "long delimiter  | crm | csv  | ''      | ';;'| ''  | ''     | ''       | delimiter",
            "long quote      | crm | csv  | ''      | ,   | ab  | ''     | ''       | quote",
            "quote=delimiter | crm | csv  | ''      | ;   | ;   | ''     | ''       | quote",
            "blank column    | crm | csv  | ''      | ,   | ''  | 'a,,b' | ''       | columns",
            "xml no element  | crm | xml  | ''      | ,   | ''  | ''     | ''       | recordElement"})
    void badParametersAreNamed(String name, String source, String format, String charset, String delimiter,
                               String quote, String columns, String recordElement, String expected) {
        assertThatThrownBy(() -> ReaderSettings.of(source, format, charset, delimiter, quote, columns, recordElement, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected);
    }
}
