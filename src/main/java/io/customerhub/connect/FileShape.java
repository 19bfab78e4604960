package io.customerhub.connect;

/**
 * The parameters the {@code file-source} and {@code file-sync} templates share, declared once: the shape of a
 * system's files (format, encoding, CSV delimiter and quote, where the records are in XML and JSON). Each of the two
 * beans holds one, which its template configures through the nested properties {@code shape.<name>}; {@link #format}
 * checks them.
 */
public final class FileShape {

    private String format;
    private String charset = "UTF-8";
    private String delimiter = ",";
    private String quote = "\"";
    private String recordElement = "-";
    private String recordPath = "-";

    /**
     * The files' format, with {@code columns} (comma separated, empty for a header row).
     *
     * @throws IllegalArgumentException naming {@code source} and the parameter when one is wrong
     */
    public FileFormat format(String source, String columns) {
        return FileFormat.of(source, format, charset, delimiter, quote, columns, TemplateParameters.unset(recordElement),
                TemplateParameters.unset(recordPath));
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public void setCharset(String charset) {
        this.charset = charset;
    }

    public void setDelimiter(String delimiter) {
        this.delimiter = delimiter;
    }

    public void setQuote(String quote) {
        this.quote = quote;
    }

    public void setRecordElement(String recordElement) {
        this.recordElement = recordElement;
    }

    public void setRecordPath(String recordPath) {
        this.recordPath = recordPath;
    }
}
