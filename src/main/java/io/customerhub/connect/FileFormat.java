package io.customerhub.connect;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of one system's files, as declared by the integrator in a route template: how the
 * {@code file-source} reads them, and how the {@code file-sync} writes files the source would read
 * back the same.
 *
 * @param source        the source system's name, copied into every record
 * @param format        {@code csv}, {@code json} (a root array, NDJSON, or an array at
 *                      {@code recordPath}) or {@code xml}
 * @param charset       the text encoding; a byte-order mark in the file wins over it
 * @param delimiter     the CSV field separator
 * @param quote         the CSV quote character
 * @param columns       the CSV column names when the file has no header row; empty when the first
 *                      row is the header
 * @param recordElement the XML element that holds one record (xml only)
 * @param recordPath    the dotted path of the record array inside a JSON document; empty for a
 *                      root array or NDJSON
 */
public record FileFormat(String source, Format format, Charset charset, char delimiter, char quote,
                             List<String> columns, String recordElement, String recordPath) {

    /** A file format, named in lower case in templates and as the files' extension. */
    public enum Format {
        CSV, JSON, XML;

        /** The name in templates, and the extension of the files written. */
        public String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public FileFormat {
        columns = List.copyOf(columns);
    }

    /**
     * Builds settings from route template parameters, which arrive as strings; a blank value takes
     * the default. Parameters that do not apply to the format are ignored.
     *
     * @throws IllegalArgumentException naming the parameter whose value is bad
     */
    public static FileFormat of(String source, String format, String charset, String delimiter, String quote,
                                    String columns, String recordElement, String recordPath) {
        if (isBlank(source)) {
            throw new IllegalArgumentException("source: a source name is required");
        }
        Format fmt = TemplateParameters.choice("format", format, Format.class);
        String element = isBlank(recordElement) ? "" : recordElement.strip();
        if (fmt == Format.XML && element.isEmpty()) {
            throw new IllegalArgumentException("recordElement: required for format xml (the element name of one record)");
        }
        char delim = delimiter(delimiter);
        char quoteChar = quote(quote);
        if (delim == quoteChar) {
            throw new IllegalArgumentException("quote: must differ from the delimiter '" + delim + "'");
        }
        return new FileFormat(source.strip(), fmt, charset(charset), delim, quoteChar,
                columns(columns), element, isBlank(recordPath) ? "" : recordPath.strip());
    }

    private static Charset charset(String name) {
        if (isBlank(name)) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("charset: unknown charset '" + name + "'", e);
        }
    }

    private static char delimiter(String value) {
        if (value == null || value.isEmpty()) {
            return ',';
        }
        // a tab typed into YAML is easily lost, so its spelled-out forms are accepted too
        if (value.equals("\t") || value.equals("\\t") || value.strip().equalsIgnoreCase("tab")) {
            return '\t';
        }
        String v = value.strip();
        if (v.length() != 1) {
            throw new IllegalArgumentException("delimiter: expected one character, \\t or tab but was '" + value + "'");
        }
        return v.charAt(0);
    }

    private static char quote(String value) {
        if (isBlank(value)) {
            return '"';
        }
        String v = value.strip();
        if (v.length() != 1) {
            throw new IllegalArgumentException("quote: expected one character but was '" + value + "'");
        }
        return v.charAt(0);
    }

    private static List<String> columns(String value) {
        if (isBlank(value)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("columns: blank column name in '" + value + "'");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("columns: duplicate column '" + name + "'");
            }
            names.add(name);
        }
        return List.copyOf(names);
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
