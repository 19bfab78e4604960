package io.customerhub.connect;

/**
 * The parameters the {@code file-source} and {@code file-sync} templates share, declared once: the shape of a
 * system's files (format, encoding, CSV delimiter and quote, where the records are in XML and JSON). Each of the two
 * beans holds one, whose {@link Option options} are the bean's own ({@link Option.Nested}); {@link #format} checks
 * them.
 */
public final class FileShape {

    @Option(name = "format", description = "csv, json or xml; JSON read is an array or NDJSON (detected), JSON "
            + "written an array of objects.")
    private String format;
    @Option(name = "charset", description = "Character set of the files (UTF-8, read with or without BOM, GBK, "
            + "GB18030, ...).", defaultValue = "UTF-8")
    private String charset;
    @Option(name = "delimiter", description = "CSV field delimiter; \"tab\" for tab.", defaultValue = ",")
    private String delimiter;
    @Option(name = "quote", description = "CSV quote character.", defaultValue = "\"")
    private String quote;
    @Option(name = "record-element", description = "XML element that holds one record (\"-\" for other formats).",
            defaultValue = "-")
    private String recordElement;
    @Option(name = "record-path", description = "JSON: dotted path to the array of records inside a document (\"-\" "
            + "= a root array, or NDJSON when read); XML written: dotted path of the elements around the records (\"-\" = "
            + "none).", defaultValue = "-")
    private String recordPath;

    /**
     * The files' format, with {@code columns} (comma separated, empty for a header row).
     *
     * @throws IllegalArgumentException naming {@code source} and the parameter when one is wrong
     */
    public FileFormat format(String source, String columns) {
        return FileFormat.of(source, format, charset, delimiter, quote, columns, TemplateParameters.unset(recordElement),
                TemplateParameters.unset(recordPath));
    }
}
