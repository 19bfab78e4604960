package io.customerhub.connect;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileFormatTest {

    @Test
    void blankParametersTakeTheDefaults() {
        FileFormat settings = FileFormat.of("crm", "CSV", "", null, " ", "", "", "");
        assertThat(settings).isEqualTo(new FileFormat("crm", FileFormat.Format.CSV, StandardCharsets.UTF_8, ',', '"', List.of(), "", ""));
    }

    @Test
    void givenParametersAreParsed() {
        FileFormat settings = FileFormat.of("erp", "xml", "gbk", "tab", "'", " id, name ", "customer", "data.rows");
        assertThat(settings).isEqualTo(new FileFormat("erp", FileFormat.Format.XML, Charset.forName("GBK"), '\t', '\'',
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
        assertThatThrownBy(() -> FileFormat.of(source, format, charset, delimiter, quote, columns, recordElement, ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(expected);
    }
}
